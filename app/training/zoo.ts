/**
 * The article's model zoo as trainer candidates (docs/models/model-zoo.md, ADR 0014): "linear"
 * (ridge regression of log1p(window spend) on the standardised static features) and "gbt"
 * (gradient-boosted trees on the same target), both back-transformed with Duan's smearing factor;
 * and the churn classifier (L2 logistic regression of "buys again in the next 90 days").
 * Pure (no I/O, no tf.js); the estimators live in app/clv/estimators.
 *
 * Out-of-sample rows: each spend model holds out a seeded 20 % of the training window's customers
 * (its validation rows, as the deep models do) and is fitted on the rest, so the backtest's
 * calibration fold sees predictions the model did not learn from. GBT fits on at most
 * `maxTrainRows` (default 25,000, the DNN's budget) seeded rows of those; ridge on all of them.
 */
import { Rng } from "~/clv/rng";
import {
  fitLogSpendGbt,
  logSpendGbtFromJSON,
  predictLogSpendGbt,
  type FittedLogSpendGbt,
  type GbtConfig,
} from "~/clv/estimators/gbt";
import {
  fitLogSpendRidge,
  logSpendRidgeFromJSON,
  predictLogSpendRidge,
  type FittedLogSpendRidge,
  type RidgeConfig,
} from "~/clv/estimators/ridge";
import { fitLogistic, predictLogistic, type FittedLogistic } from "~/clv/estimators/logistic";
import { brierScore, maxReliabilityGap, reliabilityTable, rocAuc } from "~/clv/classification";
import { takeRows, type FeatureMatrix } from "~/clv/estimators/tabular";
import { fitFeatureSpec, standardise, STATIC_FEATURES, type FeatureSet, type RftSummary } from "./features";
import { windowOutcome, type OrderTable } from "./orders";

export type ZooKind = "linear" | "gbt";
export const ZOO_KINDS: readonly ZooKind[] = ["linear", "gbt"];

/** A fitted zoo spend model (plain JSON, parameters only). */
export type ZooModel = FittedLogSpendRidge | FittedLogSpendGbt;

/** Options of the zoo candidates. */
export interface ZooOptions {
  ridge?: RidgeConfig;
  gbt?: GbtConfig;
  /** GBT trains on at most this many (seeded) rows; default 25,000. */
  maxTrainRows?: number;
  /** Share of training rows held out as validation rows (default 0.2; 0 = none, for the final fit). */
  validationFraction?: number;
  seed?: number;
}

/** The GBT defaults of the trainer: 80 rounds of depth-4 trees, 32 bins, leaves of ≥ 40 rows. */
export const ZOO_GBT_DEFAULTS: GbtConfig = { trees: 80, maxDepth: 4, learningRate: 0.1, minLeaf: 40, bins: 32 };

/**
 * Columns the spend models leave out: durations that grow with the age of the data (recency and
 * tenure in weeks, days since the last order, inter-purchase mean and spread in days). A model is
 * trained at an earlier cutoff than it scores, so these reach values never seen in training and
 * are clamped (features.ts `standardise`), which flattens the ranking of long-lapsed customers;
 * the cutoff-invariant rates (spend and repeat days per week, recency ÷ tenure) carry the same
 * information. Measured: CDNOW held out at 1997-09-30, linear served Gini 0.677 with them, 0.714
 * without (past spend 0.696); BENCHMARKS.md §3.1.
 */
export const ZOO_EXCLUDED_FEATURES: readonly string[] = [
  "recency_weeks",
  "tenure_weeks",
  "days_since_last",
  "ipt_mean_days",
  "ipt_std_days",
];
const KEPT = STATIC_FEATURES.map((_, j) => j).filter((j) => !ZOO_EXCLUDED_FEATURES.includes(STATIC_FEATURES[j]));

/**
 * Standardised static features as a feature matrix: all columns (`all`, the churn classifier, for
 * which time since the last order is the signal) or the spend models' columns (without
 * ZOO_EXCLUDED_FEATURES).
 */
export function staticMatrix(x: { n: number; static: Float32Array }, all = false): FeatureMatrix {
  const D = STATIC_FEATURES.length;
  if (all) return { n: x.n, d: D, x: x.static };
  const d = KEPT.length;
  const out = new Float32Array(x.n * d);
  for (let i = 0; i < x.n; i++) for (let k = 0; k < d; k++) out[i * d + k] = x.static[i * D + KEPT[k]];
  return { n: x.n, d, x: out };
}

/** Seeded shuffle of 0..n−1. */
function permutation(n: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** A fitted zoo candidate with its out-of-sample validation rows and their predictions. */
export interface FittedZoo {
  kind: ZooKind;
  model: ZooModel;
  valRows: Int32Array;
  /** Predicted window spend of `valRows` (positional with valRows). */
  valPred: Float64Array;
  trainMs: number;
}

/** Fits one zoo spend model on (X, window spend y). */
export function fitZoo(kind: ZooKind, X: FeatureMatrix, y: Float64Array, o: ZooOptions = {}): FittedZoo {
  const t0 = Date.now();
  const seed = o.seed ?? 42;
  const perm = permutation(X.n, seed + (kind === "gbt" ? 17 : 11));
  const nVal = Math.floor(X.n * (o.validationFraction ?? 0.2));
  const valRows = perm.slice(0, nVal).sort();
  let fitRows = perm.slice(nVal);
  if (kind === "gbt") fitRows = fitRows.slice(0, o.maxTrainRows ?? 25_000);
  fitRows.sort();
  const Xf = takeRows(X, fitRows);
  const yf = Float64Array.from(fitRows, (r) => y[r]);
  const model: ZooModel =
    kind === "linear"
      ? fitLogSpendRidge(Xf, yf, o.ridge)
      : fitLogSpendGbt(Xf, yf, { ...ZOO_GBT_DEFAULTS, seed, ...o.gbt });
  const valPred = nVal ? predictZoo(model, takeRows(X, valRows)) : new Float64Array(0);
  return { kind, model, valRows, valPred, trainMs: Date.now() - t0 };
}

/** Expected window spend per row. */
export function predictZoo(model: ZooModel, X: FeatureMatrix): Float64Array {
  return model.model === "ridge-log-spend" ? predictLogSpendRidge(model, X) : predictLogSpendGbt(model, X);
}

/** Validates a saved zoo model (from a model artefact). */
export function zooModelFromJSON(input: unknown): ZooModel {
  const m = (input as { model?: unknown })?.model;
  return m === "gbt-log-spend" ? logSpendGbtFromJSON(input) : logSpendRidgeFromJSON(input);
}

/**
 * The churn classifier: P(buys again in the next `windowDays`) from the standardised static
 * features; churn probability = 1 − that.
 */
export interface ChurnClassifier {
  kind: "logistic";
  windowDays: number;
  fit: FittedLogistic;
}

/** Fits the churn classifier on features at a cutoff and whether each customer ordered in the window after it. */
export function fitChurnClassifier(X: FeatureMatrix, ordered: ArrayLike<number>, windowDays: number): ChurnClassifier {
  return {
    kind: "logistic",
    windowDays,
    fit: fitLogistic(
      X,
      Float64Array.from(ordered, (v) => (v > 0 ? 1 : 0)),
    ),
  };
}

/** Churn probability (no order in the classifier's window) per row. */
export function churnProbabilities(c: ChurnClassifier, X: FeatureMatrix): Float64Array {
  return predictLogistic(c.fit, X).map((p) => 1 - p);
}

/**
 * Expected next-order date from the classifier and the customer's own inter-purchase rate (the
 * rule stated in docs/models/model-zoo.md): given they are "active", a customer's orders arrive at
 * their own mean gap m (days; one-time buyers: the median gap of the repeat buyers, else the
 * window), so P(order within w | active) = 1 − e^(−w/m) and the classifier's
 * q = P(order within w) gives P(active) a = min(1, q / (1 − e^(−w/m))). The median time to the
 * next order solves a·(1 − e^(−t/m)) = ½: t = −m·ln(1 − 1/(2a)), which exists only when a > ½.
 * Returns days from the cutoff, NaN when a ≤ ½ or t exceeds `horizonDays`.
 */
export function classifierNextOrderDays(
  churn: ArrayLike<number>,
  rft: Pick<RftSummary, "frequency" | "recency">,
  windowDays: number,
  horizonDays: number,
): Float64Array {
  const n = churn.length;
  const gaps: number[] = [];
  for (let i = 0; i < n; i++) if (rft.frequency[i] > 0) gaps.push((rft.recency[i] * 7) / rft.frequency[i]);
  gaps.sort((a, b) => a - b);
  const fallbackGap = gaps.length ? Math.max(1, gaps[gaps.length >> 1]) : windowDays;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = rft.frequency[i];
    const m = x > 0 ? Math.max(1, (rft.recency[i] * 7) / x) : fallbackGap;
    const q = 1 - churn[i];
    const a = Math.min(1, q / (1 - Math.exp(-windowDays / m)));
    const t = a > 0.5 ? -m * Math.log(1 - 1 / (2 * a)) : Number.NaN;
    out[i] = Number.isFinite(t) && t <= horizonDays ? t : Number.NaN;
  }
  return out;
}

/** How the churn classifier did on the backtest's evaluation cutoff (beside MBG/NBD's churn). */
export interface ChurnClassifierMetrics {
  model: "logistic";
  windowDays: number;
  /** Cutoff of the classifier's training rows (labels: ordered within windowDays after it). */
  trainCutoff: string;
  trainRows: number;
  customers: number;
  meanChurnProbability: number;
  auc: number;
  brier: number;
  /** Largest |mean forecast − observed rate| over the 10 reliability bins. */
  maxReliabilityGap: number;
  reliability: ReturnType<typeof reliabilityTable>;
  fitMs: number;
}

/**
 * Backtest of the churn classifier: trained on features at the training cutoff with labels
 * "ordered within `windowDays`" (at most `maxTrainRows` seeded rows, default 25,000), evaluated on
 * the customers at the evaluation cutoff against what they did in the next `windowDays`. Needs a
 * training window of at least `windowDays` (else the labels would reach into the evaluation
 * period): null otherwise.
 */
export function backtestChurnClassifier(
  tab: OrderTable,
  train: FeatureSet,
  trainDays: number,
  target: FeatureSet,
  windowDays = 90,
  maxTrainRows = 25_000,
): ChurnClassifierMetrics | null {
  if (trainDays < windowDays || train.customerIds.length < 2 || !target.customerIds.length) return null;
  const t0 = Date.now();
  const DAY = 86_400_000;
  const rows = permutation(train.customerIds.length, 7).slice(0, maxTrainRows).sort();
  const spec = fitFeatureSpec(train, rows);
  const ordered = windowOutcome(tab, train.customerIds, train.cutoff, windowDays * DAY).ordered;
  const clf = fitChurnClassifier(
    staticMatrix(standardise(train, spec, rows), true),
    Float64Array.from(rows, (r) => ordered[r]),
    windowDays,
  );
  const churn = churnProbabilities(clf, staticMatrix(standardise(target, spec), true));
  const churned = windowOutcome(tab, target.customerIds, target.cutoff, windowDays * DAY).ordered.map((b) => 1 - b);
  return {
    model: "logistic",
    windowDays,
    trainCutoff: new Date(train.cutoff).toISOString().slice(0, 10),
    trainRows: rows.length,
    customers: churn.length,
    meanChurnProbability: churn.reduce((a, b) => a + b, 0) / churn.length,
    auc: rocAuc(churn, churned),
    brier: brierScore(churn, churned),
    maxReliabilityGap: maxReliabilityGap(churn, churned),
    reliability: reliabilityTable(churn, churned),
    fitMs: Date.now() - t0,
  };
}
