/**
 * Privacy operations on stored data (GDPR compliance topics): redact one customer, erase a shop,
 * export everything held on a customer. Every query is scoped by shop.
 */
import { assertId, assertShop, type Db } from "./common.server";

/** True when `text` contains `id` as a whole number token (not as part of a longer number). */
export function mentionsId(text: string | null | undefined, id: string): boolean {
  if (!text) return false;
  let from = 0;
  for (;;) {
    const i = text.indexOf(id, from);
    if (i < 0) return false;
    const before = i === 0 ? "" : text[i - 1];
    const after = text[i + id.length] ?? "";
    if (!/[0-9]/.test(before) && !/[0-9]/.test(after)) return true;
    from = i + 1;
  }
}

/** Counts of rows removed or scrubbed by a redaction. */
export interface RedactResult {
  customers: number;
  orders: number;
  refunds: number;
  predictions: number;
  tierHistory: number;
  dataRequests: number;
  webhookPayloads: number;
  jobs: number;
  /** Actions' rows on the customer: action state, Flow events, retention offers. */
  actionRows: number;
  /** Model runs whose metrics/artefact still mention the customer (must be 0; trainer's duty). */
  modelRunsMentioning: number;
}

/**
 * Deletes everything held on one customer: the customer row, their orders and the listed
 * `orderIds`, refunds of those orders, predictions, tier history, data-request exports, the actions'
 * rows (action state, Flow events, retention offers), raw webhook
 * payloads that mention the customer (payload cleared; the ledger key stays for dedupe) and job rows
 * whose payload/result/error mention the customer or one of the orders. One transaction.
 */
export async function redactCustomer(
  db: Db,
  shop: string,
  customerId: string,
  orderIds: readonly string[] = [],
): Promise<RedactResult> {
  assertShop(shop);
  assertId("customerId", customerId);
  orderIds.forEach((o) => assertId("orderIds[]", o));
  return db.$transaction(
    async (tx) => {
      const own = await tx.order.findMany({ where: { shop, customerId }, select: { id: true } });
      const allOrders = [...new Set([...own.map((o) => o.id), ...orderIds])];
      const ids = [customerId, ...allOrders];
      const refunds = await tx.refund.deleteMany({
        where: { shop, OR: [{ customerId }, { orderId: { in: allOrders } }] },
      });
      const orders = await tx.order.deleteMany({ where: { shop, id: { in: allOrders } } });
      const customers = await tx.customer.deleteMany({ where: { shop, id: customerId } });
      const predictions = await tx.prediction.deleteMany({ where: { shop, customerId } });
      const tierHistory = await tx.tierHistory.deleteMany({ where: { shop, customerId } });
      // What the write-back last sent to the customer (tags, metafield values).
      await tx.writebackRecord.deleteMany({ where: { shop, customerId } });
      const dataRequests = await tx.dataRequest.deleteMany({ where: { shop, customerId } });
      const actionRows =
        (await tx.customerActionState.deleteMany({ where: { shop, customerId } })).count +
        (await tx.flowTriggerEvent.deleteMany({ where: { shop, customerId } })).count +
        (await tx.retentionOffer.deleteMany({ where: { shop, customerId } })).count;

      let webhookPayloads = 0;
      let jobs = 0;
      for (const id of ids) {
        const deliveries = await tx.webhookDelivery.findMany({
          where: { shop, OR: [{ payload: { contains: id } }, { error: { contains: id } }] },
          select: { id: true, payload: true, error: true },
        });
        const hit = deliveries.filter((d) => mentionsId(d.payload, id) || mentionsId(d.error, id)).map((d) => d.id);
        if (hit.length) {
          const r = await tx.webhookDelivery.updateMany({
            where: { id: { in: hit } },
            data: { payload: null, error: null, status: "redacted" },
          });
          webhookPayloads += r.count;
        }
        const jobRows = await tx.job.findMany({
          where: {
            shop,
            OR: [
              { payload: { contains: id } },
              { result: { contains: id } },
              { lastError: { contains: id } },
              { progress: { contains: id } },
            ],
          },
          select: { id: true, payload: true, result: true, lastError: true, progress: true },
        });
        const jobHit = jobRows
          .filter((j) => [j.payload, j.result, j.lastError, j.progress].some((t) => mentionsId(t, id)))
          .map((j) => j.id);
        if (jobHit.length) jobs += (await tx.job.deleteMany({ where: { id: { in: jobHit } } })).count;
        const other = await tx.dataRequest.findMany({
          where: { shop, content: { contains: id } },
          select: { id: true, content: true },
        });
        const otherHit = other.filter((d) => mentionsId(d.content, id)).map((d) => d.id);
        if (otherHit.length) await tx.dataRequest.deleteMany({ where: { id: { in: otherHit } } });
      }
      const runs = await tx.modelRun.findMany({
        where: { shop, OR: [{ artefact: { contains: customerId } }, { metrics: { contains: customerId } }] },
        select: { artefact: true, metrics: true },
      });
      const modelRunsMentioning = runs.filter(
        (r) => mentionsId(r.artefact, customerId) || mentionsId(r.metrics, customerId),
      ).length;
      return {
        customers: customers.count,
        orders: orders.count,
        refunds: refunds.count,
        predictions: predictions.count,
        tierHistory: tierHistory.count,
        dataRequests: dataRequests.count,
        webhookPayloads,
        jobs,
        actionRows,
        modelRunsMentioning,
      };
    },
    { timeout: 60_000 },
  );
}

/** Row counts deleted by eraseShop, per table. */
export type EraseResult = Record<string, number>;

/**
 * Erases every row of a shop in every table (shop/redact): sessions, shop, settings, customers,
 * orders, refunds, webhook ledger, jobs, sync runs, model runs, predictions, tier history, exports.
 * One transaction; idempotent.
 */
export async function eraseShop(db: Db, shop: string): Promise<EraseResult> {
  assertShop(shop);
  return db.$transaction(
    async (tx) => {
      const w = { where: { shop } };
      return {
        session: (await tx.session.deleteMany(w)).count,
        prediction: (await tx.prediction.deleteMany(w)).count,
        tierHistory: (await tx.tierHistory.deleteMany(w)).count,
        writebackRecord: (await tx.writebackRecord.deleteMany(w)).count,
        writebackAudit: (await tx.writebackAudit.deleteMany(w)).count,
        lifecycleStep: (await tx.lifecycleStep.deleteMany(w)).count,
        modelRun: (await tx.modelRun.deleteMany(w)).count,
        refund: (await tx.refund.deleteMany(w)).count,
        order: (await tx.order.deleteMany(w)).count,
        customer: (await tx.customer.deleteMany(w)).count,
        webhookDelivery: (await tx.webhookDelivery.deleteMany(w)).count,
        job: (await tx.job.deleteMany(w)).count,
        syncRun: (await tx.syncRun.deleteMany(w)).count,
        dataRequest: (await tx.dataRequest.deleteMany(w)).count,
        actionSegment: (await tx.actionSegment.deleteMany(w)).count,
        tierDiscount: (await tx.tierDiscount.deleteMany(w)).count,
        tierSegmentDiscount: (await tx.tierSegmentDiscount.deleteMany(w)).count,
        flowTriggerUsage: (await tx.flowTriggerUsage.deleteMany(w)).count,
        customerActionState: (await tx.customerActionState.deleteMany(w)).count,
        flowTriggerEvent: (await tx.flowTriggerEvent.deleteMany(w)).count,
        retentionOffer: (await tx.retentionOffer.deleteMany(w)).count,
        retentionCampaign: (await tx.retentionCampaign.deleteMany(w)).count,
        settings: (await tx.settings.deleteMany(w)).count,
        shop: (await tx.shop.deleteMany(w)).count,
      };
    },
    { timeout: 60_000 },
  );
}

/** Everything the app holds on one customer (customers/data_request). */
export interface CustomerExport {
  shop: string;
  customerId: string;
  generatedAt: string;
  customer: unknown;
  orders: unknown[];
  refunds: unknown[];
  predictions: unknown[];
  tierHistory: unknown[];
  /** Retention offers made to the customer: code, campaign value and expiry, created/redeemed. */
  retentionOffers: unknown[];
  /** The actions' last seen tier and at-risk flag, and the Flow trigger events sent about the customer. */
  actionState: unknown;
  flowEvents: unknown[];
  /** Explains what is and is not stored. */
  note: string;
}

/**
 * Compiles everything stored about a customer: the customer row, orders (own + `orderIds`), refunds,
 * prediction and tier history. JSON-safe (dates as ISO strings).
 */
export async function exportCustomerData(
  db: Db,
  shop: string,
  customerId: string,
  orderIds: readonly string[] = [],
): Promise<CustomerExport> {
  assertShop(shop);
  assertId("customerId", customerId);
  const customer = await db.customer.findUnique({ where: { shop_id: { shop, id: customerId } } });
  const orders = await db.order.findMany({
    where: { shop, OR: [{ customerId }, { id: { in: [...orderIds] } }] },
    orderBy: { processedAt: "asc" },
  });
  const refunds = await db.refund.findMany({
    where: { shop, OR: [{ customerId }, { orderId: { in: orders.map((o) => o.id) } }] },
    orderBy: { processedAt: "asc" },
  });
  const predictions = await db.prediction.findMany({ where: { shop, customerId } });
  const tierHistory = await db.tierHistory.findMany({ where: { shop, customerId }, orderBy: { changedAt: "asc" } });
  const offers = await db.retentionOffer.findMany({ where: { shop, customerId }, orderBy: { id: "asc" } });
  const campaigns = new Map(
    (
      await db.retentionCampaign.findMany({
        where: { shop, id: { in: [...new Set(offers.map((o) => o.campaignId))] } },
        select: { id: true, audience: true, percentage: true, startsAt: true, endsAt: true },
      })
    ).map((c) => [c.id, c]),
  );
  const actionState = await db.customerActionState.findUnique({ where: { shop_customerId: { shop, customerId } } });
  const flowEvents = await db.flowTriggerEvent.findMany({ where: { shop, customerId }, orderBy: { id: "asc" } });
  const plain = <T>(v: T): unknown =>
    JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));
  return {
    shop,
    customerId,
    generatedAt: new Date().toISOString(),
    customer: plain(customer),
    orders: orders.map(plain),
    refunds: refunds.map(plain),
    predictions: predictions.map(plain),
    tierHistory: tierHistory.map(plain),
    retentionOffers: offers.map((o) => plain({ ...o, campaign: campaigns.get(o.campaignId) ?? null })),
    actionState: plain(actionState),
    flowEvents: flowEvents.map((e) => plain({ ...e, payload: JSON.parse(e.payload) as unknown })),
    note:
      "Horizon CLV stores no names, emails, phones or addresses. Held: order facts (ids, dates, amounts, " +
      "currencies, statuses, product ids, discount/channel/country codes), predictions and tier history, " +
      "retention offer codes made for the customer (value, expiry, redemption) and the Flow trigger events " +
      "sent about the customer.",
  };
}

/** The stored export for a data request id (customers/data_request is retried), if any. */
export async function findDataRequestId(
  db: Db,
  shop: string,
  customerId: string,
  requestId: string,
): Promise<number | null> {
  assertShop(shop);
  const row = await db.dataRequest.findFirst({ where: { shop, customerId, requestId }, select: { id: true } });
  return row?.id ?? null;
}

/** Stores a customer export for the merchant; returns its id. */
export async function createDataRequest(
  db: Db,
  shop: string,
  customerId: string,
  requestId: string | null,
  content: CustomerExport,
): Promise<number> {
  assertShop(shop);
  assertId("customerId", customerId);
  const row = await db.dataRequest.create({
    data: { shop, customerId, requestId, content: JSON.stringify(content) },
    select: { id: true },
  });
  return row.id;
}
