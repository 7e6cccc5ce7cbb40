/**
 * Dashboard aggregates over a shop's predictions, cached on the predictions' model run
 * (`ModelRun.aggregates`), so the dashboard reads one small row instead of every prediction.
 *
 * Validity: database triggers (migrations 0004/0005) set `aggregates` to NULL for every run of the
 * shop whenever a prediction of the shop is deleted or updated — and, on PostgreSQL, inserted — in
 * the same transaction: training and rescoring (which delete the shop's predictions before
 * inserting), GDPR redaction, shop erasure. So a ready cache is always the current one. SQLite has
 * no insert trigger (row-level, it made a bulk rewrite ~5x slower): a writer that only inserts
 * must call `invalidateAggregates` in its transaction.
 * Building (after a run's predictions are written, or lazily on the first read) is optimistic: a
 * "building" marker is written first, the aggregates are computed, and they are stored only if
 * the marker is still there — a prediction change meanwhile cleared it, and the result is then
 * used for that request but not stored. A transaction that changed predictions before the marker
 * but commits after it cannot slip through either: SQLite serialises writers (the marker waits),
 * and on PostgreSQL the trigger holds the shop's ModelRun row locks until commit (migration 0005),
 * so the marker waits there too.
 *
 * The cache holds aggregates only (sums, counts, histogram, concentration curve): no customer ids.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "~/db.server";
import { clvHistogram, concentrationCurve, type HistogramBin, type LorenzPoint } from "~/presentation/stats";
import { getDataSufficiency, type DataSufficiency } from "./data-sufficiency.server";
import { intervalLevelOf, type IntervalLevel } from "~/presentation/interval-level";
import { parseJson } from "~/models/common.server";
import {
  clearAggregatesMarker,
  clearCachedAggregates,
  getModelRunArtefact,
  getModelRunIntervalColumns,
  listCachedAggregates,
  markAggregatesBuilding,
  setModelRunIntervalLevel,
  storeAggregatesIfMarked,
} from "~/models/runs.server";
import { anyPredictionRunId, countPredictions, readPredictionValues } from "~/models/predictions.server";

/** Equal-width bins of the cached CLV histogram (re-binned to round edges for display: stats.niceHistogram). */
export const FINE_BINS = 240;

/** Format version of the cached JSON (older or newer versions are recomputed). */
export const AGGREGATES_VERSION = 2;

/** Tier summary row. */
export interface TierSummary {
  tier: string;
  customers: number;
  value: number;
  /** Sums of the tier's customers' interval bounds. */
  low: number;
  high: number;
  /** Σ (high − low)² of the tier's customers: the tier total's interval (total-interval.ts). */
  sumSquaredWidths: number;
  /** Share of total predicted value (0–1). */
  valueShare: number;
}

/** Everything the dashboard shows that is derived from the predictions. */
export interface PredictionAggregates {
  version: number;
  /** Run the predictions belong to (the highest when, unusually, several runs are present). */
  modelRunId: number;
  predictions: number;
  totalValue: number;
  /** Sums of the customers' interval bounds (a conservative range for the total). */
  totalLow: number;
  totalHigh: number;
  /** Σ (clvHigh − clvLow)² over the customers: the total's own interval (total-interval.ts). */
  sumSquaredWidths: number;
  historicSpend: number;
  tiers: TierSummary[];
  histogram: { bins: HistogramBin[]; overflow: HistogramBin | null };
  lorenz: LorenzPoint[];
  gini: number;
  /** Share of predicted value held by the top 20% of customers. */
  top20Share: number | null;
  /** Order history when the aggregates were built (what the predictions were made from). */
  data: DataSufficiency;
  builtAt: string;
}

/** Drops the shop's cached aggregates (for writers that insert predictions without deleting). */
export async function invalidateAggregates(db: Db, shop: string): Promise<void> {
  await clearCachedAggregates(db, shop);
}

/** Lets timers and I/O of the process run between the pages of a build. */
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Computes the aggregates from the shop's predictions (no cache). Null when there are none. The
 * predictions are read in pages with a yield between them, so a build (after every training run,
 * or on the first dashboard visit after a change) never blocks the process for long.
 */
export async function computeAggregates(db: Db, shop: string): Promise<PredictionAggregates | null> {
  const v = await readPredictionValues(db, shop, yieldToEventLoop);
  const data = await getDataSufficiency(db, shop);
  const n = v.clv.length;
  if (n === 0) return null;
  let total = 0,
    totalLow = 0,
    totalHigh = 0,
    historicSpend = 0,
    sumSquaredWidths = 0,
    modelRunId = -Infinity;
  const byTier = new Map<string, { customers: number; value: number; low: number; high: number; sq: number }>();
  for (let i = 0; i < n; i++) {
    const sq = (v.clvHigh[i]! - v.clvLow[i]!) ** 2;
    total += v.clv[i]!;
    totalLow += v.clvLow[i]!;
    totalHigh += v.clvHigh[i]!;
    historicSpend += v.historicSpend[i]!;
    sumSquaredWidths += sq;
    modelRunId = Math.max(modelRunId, v.modelRunId[i]!);
    const t = byTier.get(v.tier[i]!) ?? { customers: 0, value: 0, low: 0, high: 0, sq: 0 };
    t.customers++;
    t.value += v.clv[i]!;
    t.low += v.clvLow[i]!;
    t.high += v.clvHigh[i]!;
    t.sq += sq;
    byTier.set(v.tier[i]!, t);
  }
  const sorted = Float64Array.from(v.clv).sort();
  const { curve, gini } = concentrationCurve(sorted, 50);
  const at20 = curve.find((p) => Math.abs(p.customerShare - 0.2) < 1e-9);
  return {
    version: AGGREGATES_VERSION,
    modelRunId,
    predictions: n,
    totalValue: total,
    totalLow,
    totalHigh,
    sumSquaredWidths,
    historicSpend,
    tiers: [...byTier]
      .map(([tier, t]) => ({
        tier,
        customers: t.customers,
        value: t.value,
        low: t.low,
        high: t.high,
        sumSquaredWidths: t.sq,
        valueShare: total > 0 ? t.value / total : 0,
      }))
      .sort((a, b) => b.value - a.value),
    histogram: clvHistogram(sorted, FINE_BINS),
    lorenz: curve,
    gini,
    top20Share: at20?.valueShare ?? null,
    data,
    builtAt: new Date().toISOString(),
  };
}

/** Parses a cached value; null for a marker, another version or a malformed blob. */
export function parseCachedAggregates(json: string | null | undefined): PredictionAggregates | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<PredictionAggregates> & { state?: string };
    return v &&
      v.version === AGGREGATES_VERSION &&
      typeof v.predictions === "number" &&
      typeof v.modelRunId === "number"
      ? (v as PredictionAggregates)
      : null;
  } catch {
    return null;
  }
}

/** The shop's ready cache, if any (one small indexed read). */
export async function readCachedAggregates(db: Db, shop: string): Promise<PredictionAggregates | null> {
  for (const json of await listCachedAggregates(db, shop)) {
    const a = parseCachedAggregates(json);
    if (a) return a;
  }
  return null;
}

/**
 * Computes the shop's aggregates and stores them on the predictions' run unless the predictions
 * changed meanwhile (see the file comment). Returns them (null: no predictions). Call after a
 * run's predictions are written; the dashboard also calls it on a cache miss.
 */
export async function buildAggregates(db: Db, shop: string): Promise<PredictionAggregates | null> {
  // The marker goes on every run of the shop: which run the predictions belong to is only known
  // once they are read, and a change to them clears all markers.
  const marker = JSON.stringify({ state: "building", token: randomUUID() });
  await markAggregatesBuilding(db, shop, marker);
  const aggregates = await computeAggregates(db, shop);
  if (aggregates) await storeAggregatesIfMarked(db, shop, aggregates.modelRunId, marker, JSON.stringify(aggregates));
  await clearAggregatesMarker(db, shop, marker);
  return aggregates;
}

/**
 * The shop's aggregates: the cache when ready, otherwise built (and stored) now. When the build
 * cannot write (e.g. SQLite busy behind another process's long write), they are computed without
 * being stored.
 */
export async function getAggregates(db: Db, shop: string): Promise<PredictionAggregates | null> {
  const cached = await readCachedAggregates(db, shop);
  if (cached) return cached;
  try {
    return await buildAggregates(db, shop);
  } catch (e) {
    console.warn(`[dashboard] aggregates for ${shop} computed without caching: ${(e as Error).message}`);
    return computeAggregates(db, shop);
  }
}

/**
 * The interval level of a run, recorded on the run the first time it is asked for (inferred from
 * the artefact when the trainer did not record it; `customers` is only called then). Null when
 * unknown.
 */
export async function runIntervalLevel(
  db: Db,
  shop: string,
  runId: number,
  customers: () => Promise<number>,
): Promise<IntervalLevel | null> {
  const run = await getModelRunIntervalColumns(db, shop, runId);
  if (!run) return null;
  if (run.intervalMethod)
    return {
      lower: run.intervalLower,
      upper: run.intervalUpper,
      method: run.intervalMethod as IntervalLevel["method"],
    };
  const artefact = parseJson<unknown>(await getModelRunArtefact(db, shop, runId), null);
  if (artefact === null) return null;
  const level = intervalLevelOf(artefact, await customers());
  if (level) await setModelRunIntervalLevel(db, shop, runId, level);
  return level;
}

/** The run serving the shop's predictions and its interval level (small reads). Null without predictions. */
export async function currentIntervalLevel(
  db: Db,
  shop: string,
): Promise<{ runId: number; level: IntervalLevel | null } | null> {
  const runId = await anyPredictionRunId(db, shop);
  if (runId === null) return null;
  const level = await runIntervalLevel(db, shop, runId, () => countPredictions(db, shop));
  return { runId, level };
}
