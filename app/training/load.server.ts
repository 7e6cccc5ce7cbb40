/**
 * The trainer's data (queries in app/models, every one scoped by shop): loads a shop's orders as
 * point-in-time `OrderRecord`s and writes a run's predictions and tier history.
 */
import type { Db } from "~/db/connect.server";
import type { OrderRecord } from "./orders";
import type { CustomerScores } from "./score";
import { buildAggregates } from "~/pages/shared/dashboard-aggregates.server";
import { setModelRunIntervalLevel } from "~/models/runs.server";
import { listShopRefunds, listTrainingOrders } from "~/models/orders.server";
import {
  deletePredictions,
  inPredictionWriteTransaction,
  insertPredictions,
  insertTierChanges,
  readPredictionTiers,
} from "~/models/predictions.server";

const parseList = (s: string | null | undefined): string[] => {
  if (!s) return [];
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

/**
 * All live, non-test orders with a customer, as trainer records. Amount = Shopify subtotal
 * (after discounts, before refunds); refunds come from the Refund table with their own
 * timestamps (orders without refund rows but with `totalRefunded` > 0 count that amount as
 * refunded at the order time).
 */
export async function loadShopOrders(db: Db, shop: string): Promise<OrderRecord[]> {
  if (!shop) throw new Error("loadShopOrders: shop is required");
  const rows = await listTrainingOrders(db, shop);
  const refunds = await listShopRefunds(db, shop);
  const byOrder = new Map<string, Array<{ at: Date; amount: number }>>();
  for (const r of refunds) {
    const l = byOrder.get(r.orderId) ?? [];
    l.push({ at: r.processedAt, amount: r.amount });
    byOrder.set(r.orderId, l);
  }
  return rows.map((o) => ({
    customerId: o.customerId!,
    processedAt: o.processedAt,
    amount: o.subtotal,
    discount: Math.max(0, o.totalDiscounts),
    ...(byOrder.has(o.id) ? { refunds: byOrder.get(o.id) } : { refunded: Math.max(0, o.totalRefunded) }),
    cancelled: o.cancelledAt,
    sourceName: o.sourceName,
    countryCode: o.countryCode,
    discountCodes: parseList(o.discountCodes),
    productIds: parseList(o.productIds),
  }));
}

/** Options of `writePredictions`. */
export interface WritePredictionsOptions {
  /**
   * Rows per insert statement (default 200): each insert runs synchronously on SQLite, so the batch
   * size bounds how long the event loop stalls (≈ 0.3 s at 200 rows on a loaded 2-core machine,
   * ≈ 1 s at 1,000).
   */
  chunkSize?: number;
  /**
   * Write only these customers' rows (incremental rescoring): their old rows are replaced, every
   * other customer's prediction stays as it is. Default: replace the shop's whole set.
   */
  onlyCustomers?: ReadonlySet<string>;
}

/** Lets timers and I/O (HTTP requests of the same process) run between batches. */
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Writes a run's scores as the shop's predictions in one transaction (on failure the previous
 * predictions stay) and appends TierHistory rows for customers whose tier changed or who are new.
 * Rows are built and inserted in batches with a yield to the event loop between them, so an
 * in-process worker writing 100k predictions does not stall the web requests of the same process.
 */
export async function writePredictions(
  db: Db,
  shop: string,
  modelRunId: number,
  s: CustomerScores,
  opts: WritePredictionsOptions = {},
): Promise<{ written: number; tierChanges: number }> {
  if (!shop) throw new Error("writePredictions: shop is required");
  const chunkSize = opts.chunkSize ?? 200;
  const only = opts.onlyCustomers;
  const previous = await readPredictionTiers(db, shop, only ? [...only] : null);
  const now = new Date();
  const indices: number[] = [];
  for (let i = 0; i < s.customerIds.length; i++) if (!only || only.has(s.customerIds[i]!)) indices.push(i);
  for (const i of indices)
    for (const [k, v] of [
      ["clv", s.clv[i]],
      ["clvLow", s.clvLow[i]],
      ["clvHigh", s.clvHigh[i]],
      ["pAlive", s.pAlive[i]],
      ["expectedOrders", s.expectedOrders[i]],
    ] as const)
      if (!Number.isFinite(v))
        throw new Error(
          `writePredictions: ${k} of customer ${s.customerIds[i]} (row ${i}) is not finite; nothing written`,
        );
  const row = (i: number) => ({
    shop,
    customerId: s.customerIds[i]!,
    modelRunId,
    clv: s.clv[i]!,
    clvLow: s.clvLow[i]!,
    clvHigh: s.clvHigh[i]!,
    pAlive: s.pAlive[i]!,
    churnProbability: Number.isFinite(s.churnProbability?.[i]) ? s.churnProbability[i]! : null,
    nextOrderAt: Number.isFinite(s.nextOrderAt?.[i]) ? new Date(s.nextOrderAt[i]!) : null,
    expectedOrders: s.expectedOrders[i]!,
    historicSpend: s.historicSpend[i]!,
    orderCount: s.orderCount[i]!,
    lastOrderAt: Number.isFinite(s.lastAt[i]) ? new Date(s.lastAt[i]!) : null,
    firstOrderAt: Number.isFinite(s.firstAt[i]) ? new Date(s.firstAt[i]!) : null,
    tier: s.tier[i]!,
    drivers: JSON.stringify(s.drivers[i] ?? []),
    computedAt: now,
  });
  let tierChanges = 0;
  await inPredictionWriteTransaction(db, async (tx) => {
    if (only) await deletePredictions(tx, shop, [...only]);
    else {
      await deletePredictions(tx, shop);
      // The interval level the scores were computed at, so pages state it ("90 % interval").
      await setModelRunIntervalLevel(tx, shop, modelRunId, s.interval);
    }
    for (let start = 0; start < indices.length; start += chunkSize) {
      const rows = indices.slice(start, start + chunkSize).map(row);
      await insertPredictions(tx, shop, rows);
      const changes = rows
        .filter((r) => previous.get(r.customerId) !== r.tier)
        .map((r) => ({ shop, customerId: r.customerId, tier: r.tier, clv: r.clv, modelRunId, changedAt: now }));
      if (changes.length) await insertTierChanges(tx, shop, changes);
      tierChanges += changes.length;
      await yieldToEventLoop();
    }
  });
  await buildAggregates(db, shop).catch((e: Error) =>
    console.warn(`[training] dashboard aggregates for ${shop} not cached (built on the next read): ${e.message}`),
  );
  return { written: indices.length, tierChanges };
}
