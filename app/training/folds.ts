/**
 * Extra rolling-origin folds of the backtest (pure apart from tf.js compute; docs/models/backtest-and-champion.md).
 *
 * Besides the validation fold (deep models' training window) and the evaluation fold (asOf − h → asOf),
 * the history is cut at earlier cutoffs `evalCutoff − j·step` (j = 1 … HISTORY_FOLDS), each predicting
 * the next `h` days — the same length as the evaluation fold, so their calibration factors and interval
 * tables describe the same horizon. `step` = h when the history allows non-overlapping windows, else
 * the room left after the feature minimum divided evenly (at least MIN_FOLD_STEP days): a 12-month
 * history gets three folds of the same horizon, staggered by a month.
 *
 * Cost rule (the trainer's 100k-customers < 60 s goal): only the cheap candidates run on these folds —
 * past spend and BG/NBD × Gamma-Gamma (no labels needed, one fit per fold) and any other candidate
 * that is not a deep model, when a training window of at least `minTrainDays` fits before the fold.
 * The deep models (DNN, LSTM) and the blend built from their validation rows are trained once (on the
 * validation fold) and evaluated on the evaluation fold only.
 *
 * The extra folds' label windows overlap the evaluation fold when the step is shorter than h, so they
 * are used for serving only (the serving scale and the serving interval), never for the evaluation
 * fold's out-of-sample metrics.
 */
import { normalizedGini } from "~/clv/metrics";
import { computeFeatures, type FeatureSet } from "./features";
import { spendInWindow, type OrderTable } from "./orders";
import { fitBtyd, predictBtyd } from "./btyd";
import { baselinePredict, fitCandidates, type CandidateName, type CandidateOptions } from "./candidates";
import { applyInterval, coverage, crossFoldInterval, servingScale, totalScale } from "./calibration";
import type { ServingCalibration } from "./serve";

const DAY = 86_400_000;

/** Extra folds before the evaluation fold, at most. */
export const HISTORY_FOLDS = 2;
/** Shortest step between fold cutoffs (days). */
export const MIN_FOLD_STEP = 30;
/** Candidates trained once on the validation fold (too costly to refit per fold). */
export const DEEP_ONLY_ONCE: ReadonlySet<CandidateName> = new Set<CandidateName>(["dnn", "lstm", "ensemble"]);
/** Candidates that need no labels (fitted on the cutoff's own history). */
const LABEL_FREE: ReadonlySet<CandidateName> = new Set<CandidateName>(["baseline", "btyd"]);

/** One extra fold: cutoff and length (days). */
export interface HistoryFoldPlan {
  cutoff: number;
  days: number;
}

/** A candidate's predictions on one extra fold and what happened. */
export interface HistoryFoldResult {
  cutoff: number;
  days: number;
  pred: Float64Array;
  actual: Float64Array;
  gini: number;
}

/**
 * Cutoffs of the extra folds: evalCutoff − j·step for j = 1 … HISTORY_FOLDS, each needing
 * `minFeatureDays` of history before it; newest first.
 */
export function planHistoryFolds(
  dataStart: number,
  evalCutoff: number,
  horizonDays: number,
  minFeatureDays: number,
): HistoryFoldPlan[] {
  const room = Math.floor((evalCutoff - dataStart) / DAY) - minFeatureDays;
  if (room < MIN_FOLD_STEP) return [];
  const step = Math.max(MIN_FOLD_STEP, Math.min(horizonDays, Math.floor(room / HISTORY_FOLDS)));
  const out: HistoryFoldPlan[] = [];
  for (let j = 1; j <= HISTORY_FOLDS && j * step <= room; j++)
    out.push({ cutoff: evalCutoff - j * step * DAY, days: horizonDays });
  return out;
}

/**
 * Runs the cheap candidates on the extra folds. `features` caches feature sets by cutoff (shared
 * with the caller). Returns per candidate its fold results, newest first.
 */
export async function runHistoryFolds(
  tab: OrderTable,
  dataStart: number,
  folds: readonly HistoryFoldPlan[],
  names: readonly CandidateName[],
  opts: { minFeatureDays: number; minTrainDays: number; seed?: number; features: Map<number, FeatureSet> },
): Promise<Map<CandidateName, HistoryFoldResult[]>> {
  const feats = (t: number) => {
    let f = opts.features.get(t);
    if (!f) opts.features.set(t, (f = computeFeatures(tab, t)));
    return f;
  };
  const out = new Map<CandidateName, HistoryFoldResult[]>();
  const push = (name: CandidateName, r: HistoryFoldResult) => {
    if (!r.pred.every(Number.isFinite)) return;
    const list = out.get(name) ?? [];
    list.push(r);
    out.set(name, list);
  };
  const cheap = names.filter((n) => !DEEP_ONLY_ONCE.has(n));
  for (const f of folds) {
    const target = feats(f.cutoff);
    if (target.customerIds.length < 50) continue;
    const actual = spendInWindow(tab, target.customerIds, f.cutoff, f.days * DAY);
    const rec = (name: CandidateName, pred: Float64Array) =>
      push(name, { cutoff: f.cutoff, days: f.days, pred, actual, gini: normalizedGini(pred, actual) });
    if (cheap.includes("baseline")) rec("baseline", baselinePredict(target, f.days));
    if (cheap.includes("btyd")) {
      try {
        rec("btyd", predictBtyd(fitBtyd(target.rft), target.rft, f.days / 7).spend);
      } catch {
        // A failed fit on an early fold only leaves this fold out for BTYD.
      }
    }
    const learners = cheap.filter((n) => !LABEL_FREE.has(n));
    const trainDays = Math.min(f.days, Math.floor((f.cutoff - dataStart) / DAY) - opts.minFeatureDays);
    if (!learners.length || trainDays < opts.minTrainDays) continue;
    const trainCutoff = f.cutoff - trainDays * DAY;
    const train = feats(trainCutoff);
    const yTrain = spendInWindow(tab, train.customerIds, trainCutoff, trainDays * DAY);
    const fitted = await fitCandidates({ train, yTrain, trainDays, target, targetDays: f.days }, {
      names: learners,
      seed: opts.seed,
    } satisfies CandidateOptions);
    for (const [name, p] of fitted.preds) if (learners.includes(name) && !p.diverged) rec(name, p.spend);
  }
  return out;
}

/** One backtest fold of a candidate: spend predicted from a cutoff over `days` days vs what happened. */
export interface FoldMetrics {
  /**
   * "validation" (a calibration fold: the deep models' training window, or an earlier fold of the
   * backtest horizon used for the serving calibration) or "evaluation" (the fold every candidate is
   * compared on).
   */
  role: "validation" | "evaluation";
  cutoff: string;
  days: number;
  customers: number;
  gini: number;
  /** Σ predicted / Σ actual of the raw (uncalibrated) predictions. */
  rawTotalRatio: number;
}

export function historyFoldMetrics(h: HistoryFoldResult): FoldMetrics {
  const ta = h.actual.reduce((a, b) => a + b, 0);
  return {
    role: "validation",
    cutoff: new Date(h.cutoff).toISOString().slice(0, 10),
    days: h.days,
    customers: h.pred.length,
    gini: h.gini,
    rawTotalRatio: ta > 0 ? h.pred.reduce((a, b) => a + b, 0) / ta : Number.NaN,
  };
}

/**
 * What a candidate serves with: the scale from its folds, newest first (the evaluation fold, then
 * the earlier folds of the same horizon; the validation fold when there are none), drift-guarded by
 * `servingScale`; the interval shaped on the newest earlier fold (or the validation fold) and
 * conformalised on the evaluation fold at the served scale.
 */
export function servingCalibration(
  evalCutoff: number,
  asOf: number,
  evalPred: Float64Array,
  yEval: Float64Array,
  days: number,
  history: readonly HistoryFoldResult[],
  validation: { pred: Float64Array; actual: Float64Array } | null,
  validationDays: number,
): ServingCalibration {
  const older = history.map((h) => ({ pred: h.pred, actual: h.actual, days: h.days }));
  if (!older.length && validation) older.push({ ...validation, days: validationDays });
  const factors = [evalPred, ...older.map((o) => o.pred)].map((p, k) => totalScale(p, k ? older[k - 1].actual : yEval));
  // The trend over cutoffs only among folds of the serving horizon (the earlier history folds).
  const served = servingScale(
    factors,
    history.length
      ? { cutoffs: [evalCutoff, ...history.map((h) => h.cutoff)].map((t) => t / DAY), at: asOf / DAY }
      : undefined,
  );
  // The shape fold's predictions calibrated by its own factor (factors[1]).
  const shape = older[0] ? { ...older[0], pred: older[0].pred.map((v) => v * factors[1]) } : null;
  return {
    scale: served,
    interval: crossFoldInterval(shape, { pred: evalPred.map((v) => v * served), actual: yEval, days }),
  };
}

/**
 * Measured coverage of the served interval's procedure (docs/models/calibration-and-intervals.md).
 * The served interval's level is set on the evaluation fold, so it cannot be measured there; the
 * same procedure is replayed one fold earlier and measured on the evaluation fold, which it never saw.
 * The level is set on the newest fold whose spend window ends by the evaluation cutoff (so its
 * outcome shares no purchase with the measured one: an earlier fold of the full horizon on long
 * histories, else the validation fold), the shape comes from the newest other fold older than it
 * (else any other fold), and the scale from those two folds' factors (`servingScale`, newest first);
 * the interval is applied to the evaluation fold's predictions at that scale. Only when no fold ends
 * by the cutoff is an overlapping one used, and `overlapDays` says by how much.
 */
export interface ServedIntervalCheck {
  /** Share of the evaluation fold's customers whose actual spend fell inside the replayed interval. */
  coverage: number;
  nominal: number;
  customers: number;
  /** Cutoffs (YYYY-MM-DD) of the folds that set the shape and the level, and of the measured fold. */
  shapeFold: string;
  levelFold: string;
  measuredFold: string;
  /** Lengths (days) of the shape and level folds' spend windows. */
  shapeDays: number;
  levelDays: number;
  /** Days by which the level fold's spend window overlaps the measured fold's (0 = disjoint). */
  overlapDays: number;
}

export function servedIntervalCheck(
  evalCutoff: number,
  evalPred: Float64Array,
  yEval: Float64Array,
  days: number,
  history: readonly HistoryFoldResult[],
  validation: { pred: Float64Array; actual: Float64Array; cutoff: number; days: number } | null,
): ServedIntervalCheck | null {
  const folds = history.map((h) => ({ pred: h.pred, actual: h.actual, days: h.days, cutoff: h.cutoff }));
  if (validation) folds.push(validation);
  const ends = (f: { cutoff: number; days: number }) => f.cutoff + f.days * DAY;
  // The level fold: the newest fold whose spend window ends by the measured fold's cutoff (the
  // validation fold always does); an overlapping earlier fold only when there is no such fold.
  const disjoint = folds.filter((f) => ends(f) <= evalCutoff).sort((x, y) => y.cutoff - x.cutoff);
  const level = disjoint[0] ?? folds[0];
  if (!level) return null;
  // The shape fold: the newest other fold not newer than the level fold (less overlap with the
  // measured fold), else any other fold, else the level fold.
  const others = folds.filter((f) => f !== level).sort((x, y) => y.cutoff - x.cutoff);
  const shapeFold = others.find((f) => f.cutoff <= level.cutoff) ?? others[0] ?? level;
  const levelFactor = totalScale(level.pred, level.actual);
  const shapeFactor = totalScale(shapeFold.pred, shapeFold.actual);
  // The scale as served from these folds (newest first), without the trend (two folds at most).
  const scale = servingScale(shapeFold === level ? [levelFactor] : [levelFactor, shapeFactor]);
  const shape = shapeFold === level ? null : { ...shapeFold, pred: shapeFold.pred.map((v) => v * shapeFactor) };
  const iv = crossFoldInterval(shape, {
    pred: level.pred.map((v) => v * scale),
    actual: level.actual,
    days: level.days,
  });
  if (!iv) return null;
  const pred = evalPred.map((v) => v * scale);
  const m = applyInterval(iv, pred, days);
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return {
    coverage: coverage(m.low, m.high, yEval),
    nominal: iv.nominal,
    customers: yEval.length,
    shapeFold: day(shapeFold.cutoff),
    levelFold: day(level.cutoff),
    shapeDays: shapeFold.days,
    levelDays: level.days,
    measuredFold: day(evalCutoff),
    overlapDays: Math.max(0, Math.round((level.cutoff - evalCutoff) / DAY) + level.days),
  };
}
