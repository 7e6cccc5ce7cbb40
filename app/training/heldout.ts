/**
 * Held-out evaluation of what the app would serve (pure apart from tf.js compute): the trainer
 * sees only orders up to `cutoff` (optionally only the last `historyDays` of them, to mimic a
 * store with a short history), picks and calibrates its champion on its own folds, and its served
 * spend over the next `truthDays` is compared with what the customers actually spent — beside the
 * two simple references scored from the same history: past spend (calendar-window scaling) and
 * BG/NBD × Gamma-Gamma. Used by the quality benchmark (bench/quality.bench.ts).
 */
import { evaluate } from "~/clv/metrics";
import { baselinePredict, type CandidateName } from "./candidates";
import { fitBtyd, predictBtyd } from "./btyd";
import { computeFeatures } from "./features";
import { buildOrderTable, spendInWindow, type OrderRecord } from "./orders";
import { coverage } from "./calibration";
import { trainShop, type TrainShopOptions } from "./pipeline";

const DAY = 86_400_000;
const DAYS_PER_MONTH = 365.25 / 12;

export interface HeldOutOptions {
  /** End of the history the trainer sees (inclusive, epoch ms). */
  cutoff: number;
  /** Length of the truth window after the cutoff, in days. */
  truthDays: number;
  /** Keep only orders in the last `historyDays` before the cutoff (short-history variant). */
  historyDays?: number;
  candidates?: readonly CandidateName[];
  trainer?: Partial<TrainShopOptions>;
}

export interface HeldOutRow {
  gini: number;
  /** Σ predicted / Σ actual − 1. */
  totalError: number;
  decileMape: number;
  /** Share of customers whose actual spend lies in the served interval (served model only). */
  coverage?: number;
  /** Share of customers whose served interval starts at 0, and the share who actually spent nothing (served only). */
  zeroLowShare?: number;
  actualZeroShare?: number;
}

export interface HeldOutResult {
  customers: number;
  champion: string;
  status: string;
  reason: string;
  served: HeldOutRow;
  pastSpend: HeldOutRow;
  btyd: HeldOutRow | null;
  trainMs: number;
}

const row = (pred: Float64Array, y: Float64Array): HeldOutRow => {
  const m = evaluate(pred, y);
  return { gini: m.gini, totalError: m.totalErrorRelative, decileMape: m.decileMape };
};

/** Trains on the history up to the cutoff and scores the served model against the truth window. */
export async function evaluateHeldOut(orders: readonly OrderRecord[], o: HeldOutOptions): Promise<HeldOutResult> {
  const t = (v: number | Date) => (typeof v === "number" ? v : v.getTime());
  const from = o.historyDays ? o.cutoff - o.historyDays * DAY : -Infinity;
  const hist = orders.filter((r) => t(r.processedAt) <= o.cutoff && t(r.processedAt) > from);
  const months = o.truthDays / DAYS_PER_MONTH;
  // CLV as undiscounted revenue over the truth window: the served CLV is the served spend forecast.
  const settings = { horizonMonths: Math.max(1, Math.round(months)), annualDiscountRate: 0, grossMargin: 1 };
  const t0 = Date.now();
  const r = await trainShop(hist, { settings, asOf: o.cutoff, candidates: o.candidates, ...o.trainer });
  const trainMs = Date.now() - t0;
  const full = buildOrderTable(orders);
  const y = spendInWindow(full, r.scores.customerIds, o.cutoff, o.truthDays * DAY);
  // The CLV horizon is whole months: rescale to the truth window exactly.
  const k = months / settings.horizonMonths;
  const served = r.scores.clv.map((v) => v * k);
  const fs = computeFeatures(buildOrderTable(hist), o.cutoff);
  let btyd: HeldOutRow | null = null;
  try {
    btyd = row(predictBtyd(fitBtyd(fs.rft), fs.rft, o.truthDays / 7).spend, y);
  } catch {
    btyd = null;
  }
  const low = r.scores.clvLow;
  const share = (a: ArrayLike<number>) => Array.prototype.filter.call(a, (v: number) => v <= 0).length / a.length;
  return {
    customers: y.length,
    champion: r.champion,
    status: r.status,
    reason: r.reason,
    served: {
      ...row(served, y),
      coverage: coverage(
        r.scores.clvLow.map((v) => v * k),
        r.scores.clvHigh.map((v) => v * k),
        y,
      ),
      zeroLowShare: share(low),
      actualZeroShare: share(y),
    },
    pastSpend: row(baselinePredict(fs, o.truthDays), y),
    btyd,
    trainMs,
  };
}
