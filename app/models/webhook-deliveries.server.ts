/**
 * One recorded webhook delivery (`WebhookDelivery`) at a time: read it for processing, record the
 * outcome, and the retention purge of payloads and ledger keys. Batched appends live in
 * webhook-ledger.server.ts. Every query is scoped by shop.
 */
import { assertShop, type Db } from "./common.server";

/** The delivery recorded under a ledger key (null when absent, e.g. the shop was erased). */
export function getDelivery(db: Db, shop: string, topic: string, eventKey: string) {
  assertShop(shop);
  return db.webhookDelivery.findUnique({ where: { shop_topic_eventKey: { shop, topic, eventKey } } });
}

/** Outcome of processing a delivery. */
export type DeliveryOutcome =
  /** Applied; the error of an earlier attempt is cleared. */
  | { status: "processed"; at: Date }
  /** The payload was cleared (redaction, retention) before it was processed. */
  | { status: "redacted"; at: Date }
  /** Failed: "failed" (permanent) or "retrying". */
  | { status: "failed" | "retrying"; error: string };

/**
 * Records the outcome on the delivery if it still exists (shop/redact erases the row itself, a
 * redaction may clear it); processed and failed attempts count towards `attempts`.
 */
export async function recordDeliveryOutcome(db: Db, shop: string, id: number, o: DeliveryOutcome): Promise<void> {
  assertShop(shop);
  const data =
    o.status === "processed"
      ? { status: o.status, processedAt: o.at, attempts: { increment: 1 }, error: null }
      : o.status === "redacted"
        ? { status: o.status, processedAt: o.at }
        : { status: o.status, attempts: { increment: 1 }, error: o.error.slice(0, 1000) };
  await db.webhookDelivery.updateMany({ where: { shop, id }, data });
}

/** Shops with at least one ledger row (all shops: the retention sweep). */
export async function listLedgerShopsAllShops(db: Db): Promise<string[]> {
  const rows = await db.webhookDelivery.findMany({ distinct: ["shop"], select: { shop: true } });
  return rows.map((r) => r.shop);
}

/**
 * Clears the payload of finished deliveries received before `cutoff` (unprocessed ones keep theirs
 * until processed or until the ledger row itself is purged); returns how many.
 */
export async function clearDeliveryPayloadsBefore(db: Db, shop: string, cutoff: Date): Promise<number> {
  assertShop(shop);
  const r = await db.webhookDelivery.updateMany({
    where: {
      shop,
      receivedAt: { lt: cutoff },
      payload: { not: null },
      status: { in: ["processed", "failed", "redacted"] },
    },
    data: { payload: null },
  });
  return r.count;
}

/** Deletes ledger rows received before `cutoff`; returns how many. */
export async function deleteDeliveriesBefore(db: Db, shop: string, cutoff: Date): Promise<number> {
  assertShop(shop);
  return (await db.webhookDelivery.deleteMany({ where: { shop, receivedAt: { lt: cutoff } } })).count;
}
