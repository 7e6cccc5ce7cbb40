/**
 * Processing job for one recorded webhook delivery (`webhooks.process`): normalise the REST payload
 * and apply it through the repositories (only if newer), or run the lifecycle / compliance action.
 * Idempotent: running it twice (after a crash) gives the same state.
 */
import type { Db } from "~/db/connect.server";
import { enqueueJob } from "~/jobs/db-queue.server";
import { PermanentJobError, type JobQueue } from "~/jobs/types";
import type { JobContext } from "~/jobs/registry.server";
import { markCustomerDeleted, upsertCustomerIfNewer } from "~/models/customers.server";
import { upsertOrderIfNewer, upsertRefund } from "~/models/orders.server";
import { isOfferCode } from "~/actions/retention.server";
import { markRedemptions } from "~/actions/redemption.server";
import { ValidationError } from "~/models/common.server";
import { deleteShopSessions } from "~/models/sessions.server";
import { markShopUninstalled, updateShopScopes } from "~/models/shops.server";
import { getDelivery, recordDeliveryOutcome } from "~/models/webhook-deliveries.server";
import { handleCustomerDataRequest, handleCustomerRedact, handleShopRedact } from "~/gdpr/compliance.server";
import { enqueueFacts, noteOrdersChanged } from "~/lifecycle/chain.server";
import type { DeliveryKey } from "./ingest.server";
import {
  PayloadError,
  normalizeBulkFinish,
  normalizeComplianceCustomer,
  normalizeRestCustomer,
  normalizeRestCustomerDelete,
  normalizeRestOrder,
  normalizeRestRefund,
  normalizeScopesUpdate,
} from "./normalize-rest";

/** Job type sync-B's backfill registers to continue after a bulk operation finished. */
export const BACKFILL_CONTINUE_JOB = "sync.backfill.continue";

/** Payload of the `webhooks.process` job: the delivery's ledger key (shop is the job's shop). */
export type ProcessWebhookPayload = DeliveryKey;

interface Delivery {
  id: number;
  shop: string;
  topic: string;
  payload: unknown;
  triggeredAt: Date | null;
  receivedAt: Date;
}

/** Applies one delivery; returns a short description of the effect (stored as the job result). */
export async function applyDelivery(db: Db, queue: JobQueue, d: Delivery, jobId: number): Promise<string> {
  const { shop, topic, payload } = d;
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled": {
      const { order, refunds } = normalizeRestOrder(payload, topic);
      const r = await upsertOrderIfNewer(db, shop, order);
      for (const rf of refunds) await upsertRefund(db, shop, order.id, rf);
      // Retention offers: an order carrying one of the app's codes marks that offer redeemed.
      const redeemed =
        order.customerId && order.discountCodes.some(isOfferCode)
          ? await markRedemptions(db, shop, [order.customerId])
          : 0;
      return `order ${r}${redeemed ? `, ${redeemed} retention offer(s) redeemed` : ""}`;
    }
    case "refunds/create": {
      const rf = normalizeRestRefund(payload, topic);
      return `refund ${await upsertRefund(db, shop, rf.orderId, rf)}`;
    }
    case "customers/create":
    case "customers/update": {
      // REST customer payloads carry no predicted spend tier and (in 2026-07) usually no tags:
      // keep what the backfill/reconciliation stored instead of erasing it.
      const hasTags = typeof payload === "object" && payload !== null && "tags" in payload;
      const keep: Array<"tags" | "predictedSpendTier"> = hasTags
        ? ["predictedSpendTier"]
        : ["tags", "predictedSpendTier"];
      return `customer ${await upsertCustomerIfNewer(db, shop, normalizeRestCustomer(payload, topic), { keep })}`;
    }
    case "customers/delete": {
      const { id } = normalizeRestCustomerDelete(payload, topic);
      return `customer delete ${await markCustomerDeleted(db, shop, id, d.triggeredAt ?? d.receivedAt)}`;
    }
    case "bulk_operations/finish": {
      const b = normalizeBulkFinish(payload, topic);
      const j = await enqueueJob(db, shop, BACKFILL_CONTINUE_JOB, b, {
        dedupeKey: `bulk-finish:${shop}:${b.bulkOperationId}`,
      });
      return `backfill continue job ${j.id}${j.created ? "" : " (already queued)"}`;
    }
    case "shop/update":
      // The lifecycle re-reads currency, time zone and locale through Admin GraphQL.
      await enqueueFacts(db, queue, shop, { continueLifecycle: false });
      return "shop facts refresh queued";
    case "app/uninstalled": {
      const sessions = await deleteShopSessions(db, shop);
      await markShopUninstalled(db, shop, d.triggeredAt ?? d.receivedAt);
      const cancelled = await queue.cancel(shop, { exceptId: jobId });
      return `uninstalled: ${sessions} session(s) deleted, ${cancelled} job(s) cancelled`;
    }
    case "app/scopes_update": {
      const { scopes } = normalizeScopesUpdate(payload, topic);
      await updateShopScopes(db, shop, scopes.join(","));
      return `scopes ${scopes.length}`;
    }
    case "customers/data_request": {
      const c = normalizeComplianceCustomer(payload, topic);
      const id = await handleCustomerDataRequest(db, shop, c.customerId, c.orderIds, c.requestId);
      return `data request export ${id}`;
    }
    case "customers/redact": {
      const c = normalizeComplianceCustomer(payload, topic);
      const r = await handleCustomerRedact(db, shop, c.customerId, c.orderIds);
      return `redacted ${r.orders} order(s)`;
    }
    case "shop/redact":
      await handleShopRedact(db, shop);
      return "shop erased";
    default:
      throw new PermanentJobError(`no processor for webhook topic "${topic}"`);
  }
}

/** The `webhooks.process` job handler. */
export async function processWebhookJob(ctx: JobContext<ProcessWebhookPayload>): Promise<string> {
  const { db, shop, payload, queue, job } = ctx;
  if (typeof payload?.topic !== "string" || typeof payload?.eventKey !== "string") {
    throw new PermanentJobError("webhooks.process: payload must be { topic, eventKey }");
  }
  const row = await getDelivery(db, shop, payload.topic, payload.eventKey);
  if (!row) return "delivery gone (shop erased)";
  if (row.status === "processed") return "already processed";
  if (row.payload === null) {
    // Payload removed by a redaction or the retention purge before processing.
    await recordDeliveryOutcome(db, shop, row.id, { status: "redacted", at: new Date() });
    return "payload redacted";
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.payload);
  } catch {
    throw new PermanentJobError(`delivery ${row.id}: stored payload is not valid JSON`);
  }
  try {
    const effect = await applyDelivery(db, queue, { ...row, payload: parsed }, job.id);
    // Changed orders: the lifecycle rescores their customers after a debounce window.
    if (/^(orders|refunds)\//.test(row.topic) && !/skipped/.test(effect))
      await noteOrdersChanged(queue, shop, ctx.tuning.rescoreDebounceMs);
    // shop/redact erased the row itself; redaction may have cleared it: update only if still there.
    await recordDeliveryOutcome(db, shop, row.id, { status: "processed", at: new Date() });
    return effect;
  } catch (e) {
    const permanent = e instanceof PayloadError || e instanceof PermanentJobError || e instanceof ValidationError;
    await recordDeliveryOutcome(db, shop, row.id, {
      status: permanent ? "failed" : "retrying",
      error: (e as Error).message,
    });
    if (permanent) throw new PermanentJobError((e as Error).message);
    throw e;
  }
}
