/**
 * GDPR compliance actions behind the mandatory webhooks:
 * - customers/data_request → a DataRequest row holding everything stored on the customer;
 * - customers/redact → the customer's rows deleted everywhere (see redactCustomer);
 * - shop/redact → every row of the shop erased.
 */
import type { Db } from "~/db/connect.server";
import {
  createDataRequest,
  eraseShop,
  findDataRequestId,
  exportCustomerData,
  redactCustomer,
  type EraseResult,
  type RedactResult,
} from "~/models/privacy.server";

/** Compiles the export for a data request and stores it for the merchant; returns the DataRequest id. */
export async function handleCustomerDataRequest(
  db: Db,
  shop: string,
  customerId: string,
  orderIds: readonly string[],
  requestId: string | null,
): Promise<number> {
  if (requestId) {
    // Idempotent per request id (a retried job must not store a second export).
    const existing = await findDataRequestId(db, shop, customerId, requestId);
    if (existing !== null) return existing;
  }
  const content = await exportCustomerData(db, shop, customerId, orderIds);
  const id = await createDataRequest(db, shop, customerId, requestId, content);
  console.info(`[gdpr] customers/data_request ${requestId ?? "(no id)"} for ${shop}: export ${id} stored`);
  return id;
}

/** Deletes everything held on a customer (and the listed orders). */
export async function handleCustomerRedact(
  db: Db,
  shop: string,
  customerId: string,
  orderIds: readonly string[],
): Promise<RedactResult> {
  const r = await redactCustomer(db, shop, customerId, orderIds);
  if (r.modelRunsMentioning > 0) {
    console.error(
      `[gdpr] customers/redact for ${shop}: ${r.modelRunsMentioning} model run artefact(s) still mention the customer`,
    );
  }
  return r;
}

/** Erases the shop entirely (sent 48 h after uninstall). */
export function handleShopRedact(db: Db, shop: string): Promise<EraseResult> {
  return eraseShop(db, shop);
}
