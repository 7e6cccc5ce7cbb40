/**
 * Repository of the actions (app/actions): segments and the tier discount the app keeps in Shopify,
 * Flow trigger usage, per-customer action state with its Flow event outbox, retention campaigns and
 * offers. Every function takes `(db, shop, …)` and scopes by shop.
 */
import { assertShop, chunk, type Db } from "./common.server";

// ------------------------------------------------------------------ segments

/** A segment the app created, as stored. */
export interface StoredSegment {
  key: string;
  segmentId: string;
  name: string;
  query: string;
}

export async function listActionSegments(db: Db, shop: string): Promise<StoredSegment[]> {
  assertShop(shop);
  return db.actionSegment.findMany({
    where: { shop },
    select: { key: true, segmentId: true, name: true, query: true },
    orderBy: { key: "asc" },
  });
}

export async function saveActionSegment(db: Db, shop: string, s: StoredSegment): Promise<void> {
  assertShop(shop);
  const data = { segmentId: s.segmentId, name: s.name, query: s.query };
  await db.actionSegment.upsert({
    where: { shop_key: { shop, key: s.key } },
    create: { shop, key: s.key, ...data },
    update: data,
  });
}

export async function deleteActionSegment(db: Db, shop: string, key: string): Promise<void> {
  assertShop(shop);
  await db.actionSegment.deleteMany({ where: { shop, key } });
}

// ------------------------------------------------------------------ tier discount

export interface StoredTierDiscount {
  discountId: string | null;
  rules: string | null;
  config: string | null;
  active: boolean;
  /** "function" (the app's discount Function) or "segments" (native discounts per tier segment). */
  mode: string;
}

export async function getTierDiscount(db: Db, shop: string): Promise<StoredTierDiscount | null> {
  assertShop(shop);
  return db.tierDiscount.findUnique({
    where: { shop },
    select: { discountId: true, rules: true, config: true, active: true, mode: true },
  });
}

export async function saveTierDiscount(db: Db, shop: string, d: StoredTierDiscount): Promise<void> {
  assertShop(shop);
  await db.tierDiscount.upsert({ where: { shop }, create: { shop, ...d }, update: d });
}

/** A native tier discount (mode "segments") as stored. */
export interface StoredSegmentDiscount {
  tier: string;
  discountId: string;
  segmentId: string;
  percentage: number;
  active: boolean;
}

export async function listSegmentDiscounts(db: Db, shop: string): Promise<StoredSegmentDiscount[]> {
  assertShop(shop);
  return db.tierSegmentDiscount.findMany({
    where: { shop },
    select: { tier: true, discountId: true, segmentId: true, percentage: true, active: true },
    orderBy: { tier: "asc" },
  });
}

export async function saveSegmentDiscount(db: Db, shop: string, d: StoredSegmentDiscount): Promise<void> {
  assertShop(shop);
  const { tier, ...data } = d;
  await db.tierSegmentDiscount.upsert({
    where: { shop_tier: { shop, tier } },
    create: { shop, tier, ...data },
    update: data,
  });
}

// ------------------------------------------------------------------ Flow trigger usage

/** Records a lifecycle callback; an older callback never overwrites a newer one. */
export async function recordFlowTriggerUsage(
  db: Db,
  shop: string,
  handle: string,
  enabled: boolean,
  changedAt: Date,
): Promise<"applied" | "skipped"> {
  assertShop(shop);
  const prev = await db.flowTriggerUsage.findUnique({ where: { shop_handle: { shop, handle } } });
  if (prev && prev.changedAt > changedAt) return "skipped";
  await db.flowTriggerUsage.upsert({
    where: { shop_handle: { shop, handle } },
    create: { shop, handle, enabled, changedAt },
    update: { enabled, changedAt },
  });
  return "applied";
}

/** Handles of the triggers an enabled workflow of the shop uses. */
export async function enabledFlowTriggers(db: Db, shop: string): Promise<Set<string>> {
  assertShop(shop);
  const rows = await db.flowTriggerUsage.findMany({ where: { shop, enabled: true }, select: { handle: true } });
  return new Set(rows.map((r) => r.handle));
}

// ------------------------------------------------------------------ customer action state + outbox

/** The prediction fields the actions read. */
export interface ActionPrediction {
  customerId: string;
  tier: string;
  clv: number;
  pAlive: number;
  churnProbability: number | null;
  orderCount: number;
}

export async function listActionPredictions(db: Db, shop: string): Promise<ActionPrediction[]> {
  assertShop(shop);
  return db.prediction.findMany({
    where: { shop },
    select: { customerId: true, tier: true, clv: true, pAlive: true, churnProbability: true, orderCount: true },
    orderBy: { customerId: "asc" },
  });
}

export async function loadCustomerActionStates(
  db: Db,
  shop: string,
): Promise<Map<string, { tier: string; atRisk: boolean }>> {
  assertShop(shop);
  const rows = await db.customerActionState.findMany({
    where: { shop },
    select: { customerId: true, tier: true, atRisk: true },
  });
  return new Map(rows.map((r) => [r.customerId, { tier: r.tier, atRisk: r.atRisk }]));
}

/**
 * Stores the new per-customer states and queues their Flow events in one transaction (outbox): a
 * crash after it leaves the events pending, never a changed state without its event.
 */
export async function applyActionStateChanges(
  db: Db,
  shop: string,
  upserts: ReadonlyArray<{ customerId: string; tier: string; atRisk: boolean }>,
  events: ReadonlyArray<{ handle: string; customerId: string; payload: Record<string, unknown> }>,
): Promise<void> {
  assertShop(shop);
  if (!upserts.length && !events.length) return;
  await db.$transaction(
    async (tx) => {
      for (const part of chunk(upserts, 200))
        await Promise.all(
          part.map((u) =>
            tx.customerActionState.upsert({
              where: { shop_customerId: { shop, customerId: u.customerId } },
              create: { shop, customerId: u.customerId, tier: u.tier, atRisk: u.atRisk },
              update: { tier: u.tier, atRisk: u.atRisk },
            }),
          ),
        );
      for (const part of chunk(events, 500))
        await tx.flowTriggerEvent.createMany({
          data: part.map((e) => ({
            shop,
            handle: e.handle,
            customerId: e.customerId,
            payload: JSON.stringify(e.payload),
          })),
        });
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
}

export interface PendingFlowEvent {
  id: number;
  handle: string;
  customerId: string;
  payload: Record<string, unknown>;
}

export async function pendingFlowEvents(db: Db, shop: string, limit: number): Promise<PendingFlowEvent[]> {
  assertShop(shop);
  const rows = await db.flowTriggerEvent.findMany({
    where: { shop, sentAt: null, error: null },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, handle: true, customerId: true, payload: true },
  });
  return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

export async function markFlowEventsSent(db: Db, shop: string, ids: number[], at = new Date()): Promise<void> {
  assertShop(shop);
  if (ids.length) await db.flowTriggerEvent.updateMany({ where: { shop, id: { in: ids } }, data: { sentAt: at } });
}

/** A permanent rejection (userErrors): kept with its message, not retried. */
export async function markFlowEventFailed(db: Db, shop: string, id: number, error: string): Promise<void> {
  assertShop(shop);
  await db.flowTriggerEvent.updateMany({ where: { shop, id }, data: { error: error.slice(0, 500) } });
}

/** Recent Flow events (newest first) for the offers page. */
export async function recentFlowEvents(db: Db, shop: string, take = 20) {
  assertShop(shop);
  return db.flowTriggerEvent.findMany({
    where: { shop },
    orderBy: { id: "desc" },
    take,
    select: { id: true, handle: true, customerId: true, createdAt: true, sentAt: true, error: true },
  });
}

/** Customer ids whose stored state is at risk. */
export async function atRiskCustomerIds(db: Db, shop: string): Promise<string[]> {
  assertShop(shop);
  const rows = await db.customerActionState.findMany({ where: { shop, atRisk: true }, select: { customerId: true } });
  return rows.map((r) => r.customerId);
}

/** Customer ids currently predicted in a tier. */
export async function customerIdsInTier(db: Db, shop: string, tier: string): Promise<string[]> {
  assertShop(shop);
  const rows = await db.prediction.findMany({ where: { shop, tier }, select: { customerId: true } });
  return rows.map((r) => r.customerId);
}

/** Of `ids`, the `limit` customers with the highest past spend (ties: lower id first). */
export async function topSpendersAmong(db: Db, shop: string, ids: readonly string[], limit: number): Promise<string[]> {
  assertShop(shop);
  const wanted = new Set(ids);
  const rows = await db.prediction.findMany({
    where: { shop },
    select: { customerId: true, historicSpend: true },
    orderBy: [{ historicSpend: "desc" }, { customerId: "asc" }],
  });
  return rows
    .filter((r) => wanted.has(r.customerId))
    .slice(0, limit)
    .map((r) => r.customerId);
}

/** Our copy of some customers' tags (to compute tag changes). */
export async function customerTagsOf(db: Db, shop: string, ids?: readonly string[]): Promise<Map<string, string>> {
  assertShop(shop);
  const rows = await db.customer.findMany({
    where: { shop, ...(ids ? { id: { in: [...ids] } } : {}) },
    select: { id: true, tags: true },
  });
  return new Map(rows.map((r) => [r.id, r.tags]));
}

/** One customer's prediction fields the actions read, or null. */
export async function actionPredictionOf(db: Db, shop: string, customerId: string): Promise<ActionPrediction | null> {
  assertShop(shop);
  return db.prediction.findUnique({
    where: { shop_customerId: { shop, customerId } },
    select: { customerId: true, tier: true, clv: true, pAlive: true, churnProbability: true, orderCount: true },
  });
}
