/**
 * Calibration of predicted spend on a validation fold, and the empirical per-customer interval
 * (pure, no I/O). Formulas and reasoning: docs/models/calibration-and-intervals.md.
 *
 * - Total calibration: one scale factor per candidate, c = Σ actual / Σ predicted on the
 *   candidate's validation fold (clamped to [1/20, 20]); served and evaluated predictions are
 *   c × raw. A scale factor keeps the ranking (Gini) unchanged and fixes the total.
 * - Calibration error: predicted / actual total overall and per predicted decile.
 * - Empirical interval: customers are split into 10 equal-count bins by their rank of predicted
 *   spend; in each bin the central-γ quantiles of actual / predicted (or of actual per day when the
 *   prediction is 0) give the interval. γ is chosen so the interval covers the nominal share of the
 *   fitting fold; its coverage is then measured on a later fold it was not fitted on.
 */
import { argsort } from "~/clv/metrics";

/** Bounds of a calibration scale factor (outside them the fold is too unlike the target to trust). */
export const SCALE_BOUNDS = [1 / 20, 20] as const;

/** Nominal coverage of the served per-customer interval. */
export const INTERVAL_NOMINAL = 0.8;

const BINS = 10;

/** c = Σ actual / Σ predicted, clamped; 1 when either total is not positive. */
export function totalScale(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  let p = 0,
    a = 0;
  for (let i = 0; i < pred.length; i++) {
    p += pred[i];
    a += actual[i];
  }
  if (!(p > 0) || !(a > 0)) return 1;
  return Math.min(SCALE_BOUNDS[1], Math.max(SCALE_BOUNDS[0], a / p));
}

/**
 * The scale factor served from the factors of successive folds, **newest first** (drift guard;
 * docs/models/calibration-and-intervals.md):
 * 1. When the folds disagree on the direction (some raise, some lower the prediction): 1 — a factor
 *    that flips between folds describes the period, not the model.
 * 2. With the folds' cutoffs (`time`: fold cutoffs and the serving instant, in days, at least three
 *    folds of the same length): the trend of the log-factor over the cutoffs (least squares) is
 *    carried toward the serving instant — no further ahead of the newest fold than the folds span,
 *    only **toward 1** and never past it: a model's bias that shrinks as the history behind a cutoff
 *    grows (past spend's over-prediction does) keeps shrinking for a while; a bias that grows is not
 *    extrapolated (the newest factor is kept).
 * 3. The result is shrunk toward 1 by the folds' disagreement around that trend (or around their
 *    mean without `time`): log c × m² / (m² + v), m the mean log-factor, v the residual variance —
 *    a factor that jumps between folds (the customer mix changing) is carried only partly.
 */
export function servingScale(foldScales: readonly number[], time?: { cutoffs: readonly number[]; at: number }): number {
  const ok = foldScales.map((v, i) => [v, i] as const).filter(([v]) => Number.isFinite(v) && v > 0);
  const logs = ok.map(([v]) => Math.log(v));
  if (!logs.length) return 1;
  if (!(logs.every((l) => l > 0) || logs.every((l) => l < 0))) return 1;
  const k = logs.length;
  const m = logs.reduce((a, b) => a + b, 0) / k;
  let target = logs[0];
  let v = k > 1 ? logs.reduce((a, b) => a + (b - m) ** 2, 0) / (k - 1) : 0;
  if (time && k >= 3) {
    const t = ok.map(([, i]) => time.cutoffs[i]);
    const tm = t.reduce((a, b) => a + b, 0) / k;
    const sxx = t.reduce((a, b) => a + (b - tm) ** 2, 0);
    if (sxx > 0) {
      const slope = t.reduce((a, b, j) => a + (b - tm) * (logs[j] - m), 0) / sxx;
      // no further ahead of the newest fold than the folds span
      const span = Math.max(...t) - Math.min(...t);
      const at = m + slope * (Math.min(time.at, t[0] + span) - tm);
      // toward 1 only, never past it, never further from 1 than the newest fold
      target = logs[0] > 0 ? Math.min(logs[0], Math.max(0, at)) : Math.max(logs[0], Math.min(0, at));
      v = t.reduce((a, b, j) => a + (logs[j] - (m + slope * (b - tm))) ** 2, 0) / (k - 2);
    }
  }
  return Math.exp((target * m * m) / (m * m + v));
}

/** Predicted / actual total per predicted decile (1 = highest predicted) and overall. */
export interface CalibrationReport {
  /** Σ predicted / Σ actual (1 = calibrated; NaN when nothing was spent). */
  ratio: number;
  deciles: Array<{ decile: number; predicted: number; actual: number; ratio: number }>;
}

/** Bin (0 = highest predicted … BINS − 1) of every row by its rank of `pred` (stable radix order). */
export function rankBins(pred: ArrayLike<number>, bins = BINS): Int32Array {
  const n = pred.length;
  const out = new Int32Array(n);
  const order = argsort(pred, true);
  for (let k = 0; k < n; k++) out[order[k]] = Math.min(bins - 1, Math.floor((k * bins) / Math.max(1, n)));
  return out;
}

/** Calibration error of `pred` against `actual`: overall and per predicted decile. */
export function calibrationReport(pred: ArrayLike<number>, actual: ArrayLike<number>): CalibrationReport {
  const bin = rankBins(pred);
  const p = new Float64Array(BINS),
    a = new Float64Array(BINS);
  let tp = 0,
    ta = 0;
  for (let i = 0; i < pred.length; i++) {
    p[bin[i]] += pred[i];
    a[bin[i]] += actual[i];
    tp += pred[i];
    ta += actual[i];
  }
  return {
    ratio: ta > 0 ? tp / ta : Number.NaN,
    deciles: Array.from({ length: BINS }, (_, d) => ({
      decile: d + 1,
      predicted: p[d],
      actual: a[d],
      ratio: a[d] > 0 ? p[d] / a[d] : Number.NaN,
    })),
  };
}

/** The fitted empirical interval (no customer data: per-bin quantiles only). */
export interface EmpiricalInterval {
  nominal: number;
  /** Central share of each bin's distribution used (chosen so the fitting fold is covered at `nominal`). */
  level: number;
  /** Per bin (0 = highest predicted): multipliers of the prediction, or per-day spend when the prediction is 0. */
  low: number[];
  high: number[];
  /** Quantiles of actual spend per day for customers predicted 0. */
  zeroLowPerDay: number;
  zeroHighPerDay: number;
}

function quantile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return 0;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Applies an interval to predictions of a window of `days` days: [low, high] spend per customer. */
export function applyInterval(
  iv: EmpiricalInterval,
  pred: ArrayLike<number>,
  days: number,
  bin: Int32Array = rankBins(pred, iv.low.length),
): { low: Float64Array; high: Float64Array } {
  const low = new Float64Array(pred.length),
    high = new Float64Array(pred.length);
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] > 0) {
      low[i] = pred[i] * iv.low[bin[i]];
      high[i] = pred[i] * iv.high[bin[i]];
    } else {
      low[i] = iv.zeroLowPerDay * days;
      high[i] = iv.zeroHighPerDay * days;
    }
  }
  return { low, high };
}

/** Share of customers whose actual spend lies in [low, high] (with a relative tolerance for rounding). */
export function coverage(low: ArrayLike<number>, high: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (!actual.length) return Number.NaN;
  let c = 0;
  for (let i = 0; i < actual.length; i++) {
    const tol = 1e-9 * Math.max(1, Math.abs(actual[i]));
    if (actual[i] >= low[i] - tol && actual[i] <= high[i] + tol) c++;
  }
  return c / actual.length;
}

/** Per-bin ratio quantiles of a fold at any central level (the interval's shape). */
export type IntervalTable = (level: number) => EmpiricalInterval;

/** The quantile table of a fold: predictions of spend over `days` days and the actual spend. Null below 50 customers. */
export function intervalTable(
  pred: ArrayLike<number>,
  actual: ArrayLike<number>,
  days: number,
  nominal = INTERVAL_NOMINAL,
): IntervalTable | null {
  const n = pred.length;
  if (n < 50 || !(days > 0)) return null;
  const bin = rankBins(pred);
  const ratios: number[][] = Array.from({ length: BINS }, () => []);
  const zero: number[] = [];
  for (let i = 0; i < n; i++) {
    if (pred[i] > 0) ratios[bin[i]].push(actual[i] / pred[i]);
    else zero.push(actual[i] / days);
  }
  const sorted = ratios.map((r) => Float64Array.from(r).sort());
  const zs = Float64Array.from(zero).sort();
  // Bins with no positive prediction borrow the neighbouring bins' ratios (pooled).
  const pooled = Float64Array.from(ratios.flat()).sort();
  return (level: number): EmpiricalInterval => {
    const lq = (1 - level) / 2,
      hq = (1 + level) / 2;
    return {
      nominal,
      level,
      low: sorted.map((s) => quantile(s.length ? s : pooled, lq)),
      high: sorted.map((s) => quantile(s.length ? s : pooled, hq)),
      zeroLowPerDay: quantile(zs, lq),
      zeroHighPerDay: quantile(zs, hq),
    };
  };
}

/**
 * The smallest level of `table` whose interval covers the nominal share of a fold (bisection;
 * coverage grows with the level). Null when the fold has fewer than 50 customers.
 */
export function conformalLevel(
  table: IntervalTable,
  pred: ArrayLike<number>,
  actual: ArrayLike<number>,
  days: number,
  nominal = INTERVAL_NOMINAL,
): EmpiricalInterval | null {
  if (pred.length < 50 || !(days > 0)) return null;
  const bin = rankBins(pred, table(0.5).low.length);
  const cover = (level: number) => {
    const iv = applyInterval(table(level), pred, days, bin);
    return coverage(iv.low, iv.high, actual);
  };
  let lo = 0.2,
    hi = 0.995;
  if (cover(lo) >= nominal) return table(lo);
  for (let k = 0; k < 20; k++) {
    const mid = (lo + hi) / 2;
    if (cover(mid) >= nominal) hi = mid;
    else lo = mid;
  }
  return table(hi);
}

/**
 * Fits the empirical interval on a fold: predictions `pred` of spend over `days` days and what the
 * customers actually spent; the level is chosen on the same fold. Needs at least 50 customers (else null).
 */
export function fitEmpiricalInterval(
  pred: ArrayLike<number>,
  actual: ArrayLike<number>,
  days: number,
  nominal = INTERVAL_NOMINAL,
): EmpiricalInterval | null {
  const t = intervalTable(pred, actual, days, nominal);
  return t && conformalLevel(t, pred, actual, days, nominal);
}

/**
 * Split-conformal interval across folds: the shape (per-bin ratio quantiles) from an older fold, the
 * level from a newer one, so the level absorbs the drift between folds the way it will have to
 * between the newest fold and the scoring instant. Falls back to fitting on the newer fold alone.
 */
export function crossFoldInterval(
  shape: { pred: ArrayLike<number>; actual: ArrayLike<number>; days: number } | null,
  level: { pred: ArrayLike<number>; actual: ArrayLike<number>; days: number },
  nominal = INTERVAL_NOMINAL,
): EmpiricalInterval | null {
  const t = shape && intervalTable(shape.pred, shape.actual, shape.days, nominal);
  return (
    (t && conformalLevel(t, level.pred, level.actual, level.days, nominal)) ??
    fitEmpiricalInterval(level.pred, level.actual, level.days, nominal)
  );
}
