/**
 * The trainer's data (queries in app/models, every one scoped by shop): loads a shop's orders as
 * columns for the training thread and writes a run's predictions and tier history.
 */
import { providerOfClient, type Db } from "~/db/connect.server";
import { OrderColumnsBuilder, isScoreColumns, stringAt, type OrderColumns, type ScoreColumns } from "./thread-columns";
import type { CustomerScores } from "./score";
import { buildAggregates } from "~/aggregates/dashboard-aggregates.server";
import { setModelRunIntervalLevel } from "~/models/runs.server";
import { listShopRefunds, listTrainingOrders } from "~/models/orders.server";
import {
  deletePredictions,
  deleteStalePredictions,
  inPredictionWriteTransaction,
  insertPredictions,
  insertTierChanges,
  readPredictionTiers,
} from "~/models/predictions.server";

/** Lets timers and I/O (HTTP requests of the same process) run between batches. */
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/** Orders converted per slice before the process yields to the event loop. */
const ORDERS_PER_SLICE = 5000;

/**
 * All live, non-test orders with a customer, as columns for the training thread
 * (thread-columns.ts). Amount = Shopify subtotal (after discounts, before refunds); refunds come
 * from the Refund table with their own timestamps (orders without refund rows but with
 * `totalRefunded` > 0 count that amount as refunded at the order time). Lists stay as stored
 * (JSON text) and are read on the training thread; the conversion yields between slices.
 */
export async function loadShopOrderColumns(db: Db, shop: string): Promise<OrderColumns> {
  if (!shop) throw new Error("loadShopOrderColumns: shop is required");
  const rows = await listTrainingOrders(db, shop, yieldToEventLoop);
  const refunds = await listShopRefunds(db, shop);
  const byOrder = new Map<string, Array<{ at: number; amount: number }>>();
  for (const r of refunds) {
    const l = byOrder.get(r.orderId) ?? [];
    l.push({ at: r.processedAt.getTime(), amount: r.amount });
    byOrder.set(r.orderId, l);
  }
  const columns = new OrderColumnsBuilder(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % ORDERS_PER_SLICE === 0) await yieldToEventLoop();
    const o = rows[i]!;
    columns.add({
      customerId: o.customerId!,
      processedAt: o.processedAt.getTime(),
      amount: o.subtotal,
      discount: Math.max(0, o.totalDiscounts),
      refunded: Math.max(0, o.totalRefunded),
      refunds: byOrder.get(o.id),
      cancelledAt: o.cancelledAt ? o.cancelledAt.getTime() : null,
      sourceName: o.sourceName,
      countryCode: o.countryCode,
      discountCodesJson: o.discountCodes,
      productIdsJson: o.productIds,
    });
  }
  return columns.build();
}

/** Options of `writePredictions`. */
export interface WritePredictionsOptions {
  /**
   * Synchronous work per batch in ms (default 25). Every statement runs synchronously on SQLite
   * (better-sqlite3), so the batch size adapts to keep each batch near this budget: that bounds
   * how long the process's other requests wait (the longest event-loop stall).
   */
  batchBudgetMs?: number;
  /**
   * Write only these customers' rows (incremental rescoring): their old rows are replaced, every
   * other customer's prediction stays as it is. Default: replace the shop's whole set.
   */
  onlyCustomers?: ReadonlySet<string>;
}

/** Rows of the first batch, and the bounds of the adaptive batch size. */
const FIRST_BATCH = 50;
const MIN_BATCH = 10;
const MAX_BATCH = 2000;

/** The next batch size: scaled towards the time budget, at most doubling, within the bounds. */
export function nextBatchSize(size: number, elapsedMs: number, budgetMs: number): number {
  const scaled = elapsedMs > 0 ? Math.floor((size * budgetMs) / elapsedMs) : size * 2;
  return Math.max(MIN_BATCH, Math.min(MAX_BATCH, size * 2, scaled));
}

/** Values that must be finite in every written row. */
const FINITE = ["clv", "clvLow", "clvHigh", "pAlive", "expectedOrders"] as const;

/** Throws (nothing written) on a customer scored twice or a non-finite value; no per-row allocation. */
function assertWritable(
  s: Pick<CustomerScores, (typeof FINITE)[number]>,
  idAt: (i: number) => string,
  indices: readonly number[],
): void {
  const seen = new Set<string>();
  for (const i of indices) {
    const id = idAt(i);
    if (seen.has(id)) throw new Error(`writePredictions: customer ${id} is scored twice (row ${i}); nothing written`);
    seen.add(id);
    for (const k of FINITE)
      if (!Number.isFinite(s[k][i]))
        throw new Error(`writePredictions: ${k} of customer ${id} (row ${i}) is not finite; nothing written`);
  }
}

/**
 * Writes a run's scores as the shop's predictions in one transaction (on failure the previous
 * predictions stay; other connections and processes see the previous set until the commit) and
 * appends TierHistory rows for customers whose tier changed or who are new.
 *
 * No step holds the event loop for long (issue 11: a 20k-row write stalled an in-process worker's
 * web requests for ≈ 1 s): the previous tiers are read in pages, each batch replaces its own
 * customers' rows (delete + insert, sized to `batchBudgetMs`), the customers no longer scored are
 * removed at the end in batches, and the process yields to the event loop between batches.
 * Replacing customer by customer (not "delete all, then insert") means a reader on the same SQLite
 * connection (which shares the open transaction) sees every customer throughout, each with the
 * previous or the new prediction — never an empty or shrinking set.
 */
export async function writePredictions(
  db: Db,
  shop: string,
  modelRunId: number,
  s: CustomerScores | ScoreColumns,
  opts: WritePredictionsOptions = {},
): Promise<{ written: number; tierChanges: number }> {
  if (!shop) throw new Error("writePredictions: shop is required");
  const budget = opts.batchBudgetMs ?? 25;
  const only = opts.onlyCustomers;
  const previous = await readPredictionTiers(db, shop, only ? [...only] : null, yieldToEventLoop);
  const now = new Date();
  // Scores from the training thread come as columns (ids, tiers and drivers' JSON as text).
  const cols = isScoreColumns(s) ? s : null;
  const idAt = cols
    ? (i: number) => stringAt(cols.customerId, i)!
    : (i: number) => (s as CustomerScores).customerIds[i]!;
  const tierAt = cols ? (i: number) => stringAt(cols.tier, i)! : (i: number) => (s as CustomerScores).tier[i]!;
  const driversAt = cols
    ? (i: number) => stringAt(cols.driversJson, i)!
    : (i: number) => JSON.stringify((s as CustomerScores).drivers[i] ?? []);
  const indices: number[] = [];
  for (let i = 0; i < s.clv.length; i++) if (!only || only.has(idAt(i))) indices.push(i);
  assertWritable(s, idAt, indices);
  const row = (i: number) => ({
    shop,
    customerId: idAt(i),
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
    tier: tierAt(i),
    drivers: driversAt(i),
    computedAt: now,
  });
  let tierChanges = 0;
  const provider = providerOfClient(db);
  await inPredictionWriteTransaction(db, async (tx) => {
    // The interval level the scores were computed at, so pages state it ("90 % interval").
    if (!only) await setModelRunIntervalLevel(tx, shop, modelRunId, s.interval);
    let size = FIRST_BATCH;
    for (let start = 0; start < indices.length;) {
      const t0 = performance.now();
      const rows = indices.slice(start, start + size).map(row);
      await deletePredictions(
        tx,
        shop,
        rows.map((r) => r.customerId),
      );
      await insertPredictions(tx, shop, rows, provider);
      const changes = rows
        .filter((r) => previous.get(r.customerId) !== r.tier)
        .map((r) => ({ shop, customerId: r.customerId, tier: r.tier, clv: r.clv, modelRunId, changedAt: now }));
      if (changes.length) await insertTierChanges(tx, shop, changes, provider);
      tierChanges += changes.length;
      start += rows.length;
      size = nextBatchSize(size, performance.now() - t0, budget);
      await yieldToEventLoop();
    }
    // A full write replaces the whole set: customers scored before but not now lose their row.
    if (!only) await deleteStalePredictions(tx, shop, { modelRunId, computedAt: now }, yieldToEventLoop);
  });
  await buildAggregates(db, shop).catch((e: Error) =>
    console.warn(`[training] dashboard aggregates for ${shop} not cached (built on the next read): ${e.message}`),
  );
  return { written: indices.length, tierChanges };
}
