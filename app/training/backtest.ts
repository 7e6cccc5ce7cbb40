/**
 * Per-shop backtest and champion selection (pure apart from tf.js compute).
 *
 * Windows (all instants inclusive; h = horizon):
 *   dataStart ── … ── trainCutoff ──(trainDays)── evalCutoff ──(h)── asOf
 * - h = min(requested horizon, history − minFeatureDays − minTrainDays) (shorter for short histories).
 * - Evaluation: every candidate predicts spend in (evalCutoff, asOf] from data ≤ evalCutoff; the
 *   deep models are trained on features at trainCutoff with labels in (trainCutoff, evalCutoff],
 *   trainDays = min(h, evalCutoff − dataStart − minFeatureDays).
 * - Final fit (after selection): the champion is retrained on features at asOf − h with labels in
 *   (asOf − h, asOf] and scores every customer at asOf (see score.ts).
 *
 * Folds (rolling origin; docs/models/backtest-and-champion.md): the training window
 * (trainCutoff → +trainDays) is the validation fold and the evaluation window (evalCutoff → +h) the
 * comparison fold. Candidates that do not learn from labels (past spend, BTYD) predict the whole
 * validation fold; the deep models and the ensemble their held-out validation rows. Each
 * candidate's calibration scale factor and empirical interval are fitted on the validation fold
 * and applied to the evaluation fold, where every candidate is compared on its calibrated
 * predictions (out of sample). The cheap candidates also run on up to two earlier folds of the
 * same horizon (folds.ts), and the serving scale and interval come from all of a candidate's folds
 * (`servingCalibration`, drift-guarded). Short histories: when 90 + 2 × 60 days do not fit, 30-day
 * minimums are used.
 *
 * Champion rule: champion.ts (every candidate on the same evaluation fold; past spend unless beaten).
 *
 * Too little data for this backtest (fewer than `minCustomers` customers with orders, fewer than
 * `minRepeatBuyers` repeat buyers, or less than `minHistoryDays` of history; defaults 200 / 50 /
 * 120): past spend is served, itself backtested on the last half of the history
 * (`backtestPastSpend`) for its scale and interval.
 */
import { evaluate, normalizedGini, type EvaluationMetrics } from "~/clv/metrics";
import { brierScore, reliabilityTable, rocAuc } from "~/clv/classification";
import { computeFeatures, type FeatureSet } from "./features";
import { spendInWindow, windowOutcome, type OrderTable } from "./orders";
import {
  applyInterval,
  calibrationReport,
  coverage,
  fitEmpiricalInterval,
  totalScale,
  type CalibrationReport,
  type EmpiricalInterval,
} from "./calibration";
import {
  historyFoldMetrics,
  planHistoryFolds,
  runHistoryFolds,
  servedIntervalCheck,
  servingCalibration,
  type FoldMetrics,
  type ServedIntervalCheck,
} from "./folds";
import { CHAMPION_MARGIN, giniLeadNoise, selectChampion } from "./champion";
import { CHURN_WINDOW_DAYS, fitPurchaseModel, scorePurchases } from "./purchase";
import { backtestChurnClassifier, type ChurnClassifierMetrics } from "./zoo";
import type { ServingCalibration } from "./serve";
import {
  ALL_CANDIDATES,
  baselinePredict,
  validationRows,
  fitCandidates,
  type CandidateName,
  type CandidateOptions,
  type FittedCandidates,
} from "./candidates";

export type { FoldMetrics } from "./folds";

const DAY = 86_400_000;

/** Options of the backtest (and of the final fit, see score.ts). */
export interface BacktestConfig {
  /** Requested prediction/label horizon in days (default 365). */
  horizonDays?: number;
  /** End of the data ("now"), epoch ms. Default: end of the day of the last order. */
  asOf?: number;
  /** Candidates to compare (default all). */
  candidates?: readonly CandidateName[];
  /** Minimum customers with orders (default 200). */
  minCustomers?: number;
  /** Minimum customers with ≥ 2 purchase days (default 50). */
  minRepeatBuyers?: number;
  /** Minimum days between the first order and asOf (default 120). */
  minHistoryDays?: number;
  /** History required before a cutoff for features to mean anything (default 90 days). */
  minFeatureDays?: number;
  /** Shortest label window a model is trained on (default 60 days). */
  minTrainDays?: number;
  seed?: number;
  /**
   * Epochs of the deep models in the final fit (docs/decisions/0007-training-time.md):
   * "backtest" (default) trains for the best epoch count that early stopping found in the
   * backtest, on all sampled rows without a validation split; "search" repeats early stopping.
   */
  finalEpochs?: "backtest" | "search";
  deep?: CandidateOptions["deep"];
  lstm?: CandidateOptions["lstm"];
  hooks?: CandidateOptions["hooks"];
}

/** The time windows used, as epoch ms / days. */
export interface WindowPlan {
  dataStart: number;
  asOf: number;
  horizonDays: number;
  evalCutoff: number;
  trainCutoff: number;
  trainDays: number;
  /** Feature-history minimum the plan used (90 days, or 30 for short histories). */
  minFeatureDays?: number;
}

/** Why the transparent fallback is used instead of trained models. */
export interface FallbackReason {
  fallback: true;
  reason: string;
  customers: number;
  repeatBuyers: number;
  historyDays: number;
}

/**
 * Metrics of one candidate on the evaluation window, of its calibrated predictions (null when it
 * diverged), with the calibration that produced them and the measured interval coverage.
 */
export type CandidateMetrics = Omit<EvaluationMetrics, "deciles"> & {
  deciles: EvaluationMetrics["deciles"];
  trainMs: number;
  note?: string;
  /** Scale factor fitted on the validation fold and applied to the evaluation fold. */
  scale: number;
  /** Predicted / actual totals on the evaluation fold after calibration (overall and per decile). */
  calibration: CalibrationReport;
  /** Share of customers whose evaluation-window spend fell in the interval fitted on the validation fold. */
  intervalCoverage: number | null;
  intervalNominal: number | null;
  folds: FoldMetrics[];
  /**
   * Serving calibration: the scale from every fold of the candidate (newest first, drift-guarded:
   * calibration.ts `servingScale`) and the interval shaped on the newest earlier fold and
   * conformalised on the evaluation fold (`crossFoldInterval`).
   */
  serving: { scale: number; interval: EmpiricalInterval | null };
  /**
   * Measured coverage of the served interval's procedure, replayed one fold earlier and measured on
   * the evaluation fold (folds.ts `servedIntervalCheck`); null without an earlier fold.
   */
  servedInterval: ServedIntervalCheck | null;
};

/** How well the purchase model's churn probability did on the evaluation cutoff. */
export interface ChurnMetrics {
  model: "mbgnbd";
  windowDays: number;
  customers: number;
  /** Share of customers who did not order in the window. */
  observedChurnRate: number;
  meanChurnProbability: number;
  auc: number;
  brier: number;
  reliability: ReturnType<typeof reliabilityTable>;
  atBoundary: string[];
  /** The model zoo's churn classifier on the same cutoff and window (zoo.ts); null when not run. */
  classifier?: ChurnClassifierMetrics | null;
}

export interface BacktestResult {
  plan: WindowPlan;
  metrics: Partial<Record<CandidateName, CandidateMetrics | null>>;
  /** Best eligible candidate by the champion rule (may be null). */
  champion: CandidateName | null;
  /** True when the champion beats the past-spend baseline on Gini. */
  beatsBaseline: boolean;
  reason: string;
  ensembleWeights: FittedCandidates["ensembleWeights"];
  evalCustomers: number;
  churn: ChurnMetrics | null;
}

/** End of the UTC day containing `t` (inclusive instant). */
export const endOfDay = (t: number) => Math.floor(t / DAY) * DAY + DAY - 1;

/** Plans the windows or explains why the data is not enough (transparent fallback). */
export function planWindows(tab: OrderTable, cfg: BacktestConfig = {}): WindowPlan | FallbackReason {
  let dataStart = Infinity,
    last = -Infinity;
  for (let i = 0; i < tab.at.length; i++) {
    dataStart = Math.min(dataStart, tab.at[i]);
    last = Math.max(last, tab.at[i]);
  }
  const asOf = cfg.asOf ?? endOfDay(last);
  const customers = countCustomers(tab, asOf);
  const historyDays = customers.total ? Math.floor((asOf - dataStart) / DAY) : 0;
  const base = { fallback: true as const, customers: customers.total, repeatBuyers: customers.repeat, historyDays };
  const minC = cfg.minCustomers ?? 200,
    minR = cfg.minRepeatBuyers ?? 50,
    minH = cfg.minHistoryDays ?? 120;
  if (customers.total < minC)
    return { ...base, reason: `only ${customers.total} customers with orders (need ${minC})` };
  if (customers.repeat < minR) return { ...base, reason: `only ${customers.repeat} repeat buyers (need ${minR})` };
  if (historyDays < minH) return { ...base, reason: `only ${historyDays} days of order history (need ${minH})` };
  // Short histories: when the default feature/label minimums leave no room for two folds, both
  // shrink to SHORT_HISTORY_MIN_DAYS (unless set explicitly), so a half-year store is still backtested.
  const tryPlan = (minF: number, minT: number): WindowPlan | string => {
    const h = Math.min(cfg.horizonDays ?? 365, historyDays - minF - minT);
    if (h < minT) return `history too short for a backtest (${historyDays} days; need ${minF + 2 * minT})`;
    const w = trainingWindow(dataStart, asOf - h * DAY, h, minF);
    if (w.trainDays < minT) return `history too short for a training window (${historyDays} days)`;
    return { dataStart, asOf, horizonDays: h, evalCutoff: asOf - h * DAY, ...w, minFeatureDays: minF };
  };
  let p = tryPlan(cfg.minFeatureDays ?? 90, cfg.minTrainDays ?? 60);
  if (typeof p === "string" && cfg.minFeatureDays === undefined && cfg.minTrainDays === undefined)
    p = tryPlan(SHORT_HISTORY_MIN_DAYS, SHORT_HISTORY_MIN_DAYS);
  return typeof p === "string" ? { ...base, reason: p } : p;
}

/** Feature history and label window (days) used when the defaults do not fit a short history. */
export const SHORT_HISTORY_MIN_DAYS = 30;

/**
 * The deep models' training window before an evaluation cutoff: labels in (trainCutoff,
 * evalCutoff], trainDays = min(h, days from dataStart to evalCutoff − minFeatureDays).
 */
export function trainingWindow(
  dataStart: number,
  evalCutoff: number,
  horizonDays: number,
  minFeatureDays = 90,
): { trainCutoff: number; trainDays: number } {
  const trainDays = Math.min(horizonDays, Math.floor((evalCutoff - dataStart) / DAY) - minFeatureDays);
  return { trainCutoff: evalCutoff - trainDays * DAY, trainDays };
}

function countCustomers(tab: OrderTable, asOf: number): { total: number; repeat: number } {
  let total = 0,
    repeat = 0;
  for (let c = 0; c < tab.customerIds.length; c++) {
    const s = tab.start[c];
    if (tab.at[s] > asOf) continue;
    total++;
    const d0 = Math.floor(tab.at[s] / DAY);
    for (let i = s + 1; i < tab.start[c + 1] && tab.at[i] <= asOf; i++)
      if (Math.floor(tab.at[i] / DAY) !== d0) {
        repeat++;
        break;
      }
  }
  return { total, repeat };
}

/** Runs the backtest for a planned window set and applies the champion rule. */
/**
 * Besides the metrics, returns the fitted candidates and the evaluation window itself: features at
 * evalCutoff (= asOf − h) and the spend in (evalCutoff, asOf] are exactly the final fit's training
 * window, which reuses them instead of recomputing (score.ts).
 */
export async function runBacktest(
  tab: OrderTable,
  plan: WindowPlan,
  cfg: BacktestConfig = {},
): Promise<BacktestResult & { fitted: FittedCandidates; yEval: Float64Array; evalFeatures: FeatureSet }> {
  const names = cfg.candidates ?? ALL_CANDIDATES;
  await cfg.hooks?.onStage?.("features");
  const train = computeFeatures(tab, plan.trainCutoff);
  const yTrain = spendInWindow(tab, train.customerIds, plan.trainCutoff, plan.trainDays * DAY);
  const target = computeFeatures(tab, plan.evalCutoff);
  const yEval = spendInWindow(tab, target.customerIds, plan.evalCutoff, plan.horizonDays * DAY);
  const fitted = await fitCandidates(
    { train, yTrain, trainDays: plan.trainDays, target, targetDays: plan.horizonDays },
    {
      names: [...new Set([...names, "baseline" as const])],
      deep: cfg.deep,
      lstm: cfg.lstm,
      seed: cfg.seed,
      hooks: cfg.hooks,
    },
  );
  // Extra rolling-origin folds for the cheap candidates (folds.ts), used for the serving calibration.
  const features = new Map<number, FeatureSet>([
    [plan.trainCutoff, train],
    [plan.evalCutoff, target],
  ]);
  await cfg.hooks?.onStage?.("history folds");
  const minF = plan.minFeatureDays ?? cfg.minFeatureDays ?? 90;
  const history = await runHistoryFolds(
    tab,
    plan.dataStart,
    planHistoryFolds(plan.dataStart, plan.evalCutoff, plan.horizonDays, minF),
    [...fitted.preds.keys()],
    { minFeatureDays: minF, minTrainDays: Math.min(plan.trainDays, cfg.minTrainDays ?? 60), seed: cfg.seed, features },
  );
  await cfg.hooks?.onStage?.("evaluating");
  const metrics: BacktestResult["metrics"] = {};
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  for (const [name, p] of fitted.preds) {
    const val = validationRows(fitted, name, yTrain);
    if (p.diverged || !p.spend.every(Number.isFinite)) {
      metrics[name] = null;
      continue;
    }
    const folds: FoldMetrics[] = [];
    let scale = 1;
    let iv: EmpiricalInterval | null = null;
    if (val) {
      const { pred: vp, actual: vy } = val;
      scale = totalScale(vp, vy);
      iv = fitEmpiricalInterval(
        vp.map((v) => v * scale),
        vy,
        plan.trainDays,
      );
      const ta = vy.reduce((a, b) => a + b, 0);
      folds.push({
        role: "validation",
        cutoff: day(plan.trainCutoff),
        days: plan.trainDays,
        customers: vp.length,
        gini: normalizedGini(vp, vy),
        rawTotalRatio: ta > 0 ? vp.reduce((a, b) => a + b, 0) / ta : Number.NaN,
      });
    }
    const cal = p.spend.map((v) => v * scale);
    const ev = evaluate(cal, yEval);
    const te = yEval.reduce((a, b) => a + b, 0);
    folds.push({
      role: "evaluation",
      cutoff: day(plan.evalCutoff),
      days: plan.horizonDays,
      customers: cal.length,
      gini: ev.gini,
      rawTotalRatio: te > 0 ? p.spend.reduce((a, b) => a + b, 0) / te : Number.NaN,
    });
    const measured = iv ? applyInterval(iv, cal, plan.horizonDays) : null;
    const hist = history.get(name) ?? [];
    for (const h of hist) folds.push(historyFoldMetrics(h));
    // Oldest first; the evaluation fold (the newest) last.
    folds.sort((a, b) =>
      a.role === "evaluation" ? 1 : b.role === "evaluation" ? -1 : a.cutoff.localeCompare(b.cutoff),
    );
    metrics[name] = {
      ...ev,
      trainMs: p.trainMs,
      note: p.note,
      scale,
      calibration: calibrationReport(cal, yEval),
      intervalCoverage: measured ? coverage(measured.low, measured.high, yEval) : null,
      intervalNominal: iv?.nominal ?? null,
      folds,
      serving: servingCalibration(
        plan.evalCutoff,
        plan.asOf,
        p.spend,
        yEval,
        plan.horizonDays,
        hist,
        val,
        plan.trainDays,
      ),
      servedInterval: servedIntervalCheck(
        plan.evalCutoff,
        p.spend,
        yEval,
        plan.horizonDays,
        hist,
        val && { ...val, cutoff: plan.trainCutoff, days: plan.trainDays },
      ),
    };
  }
  const churn = churnBacktest(tab, target);
  if (churn) churn.classifier = backtestChurnClassifier(tab, train, plan.trainDays, target, CHURN_WINDOW_DAYS);
  let sel = selectChampion(metrics);
  // A challenger's lead must also exceed the evaluation fold's sampling noise (champion.ts).
  if (sel.champion && sel.champion !== "baseline" && metrics.baseline && fitted.preds.has("baseline")) {
    const noise = giniLeadNoise(fitted.preds.get(sel.champion)!.spend, fitted.preds.get("baseline")!.spend, yEval);
    if (noise > CHAMPION_MARGIN) sel = selectChampion(metrics, noise);
  }
  return {
    plan,
    metrics,
    ...sel,
    ensembleWeights: fitted.ensembleWeights,
    evalCustomers: target.customerIds.length,
    churn,
    fitted,
    yEval,
    evalFeatures: target,
  };
}

/**
 * The backtest of past spend used when there is too little data for the full backtest: past spend
 * at asOf − d predicting the last d days (d = half the history, at most 365), plus up to two earlier
 * folds of d days (folds.ts, 30-day feature minimum) — the same serving calibration as the full
 * backtest (drift-guarded scale, cross-fold interval). Null when the fold is too small (< 30 days or
 * < 50 customers).
 */
export async function backtestPastSpend(tab: OrderTable, asOf: number): Promise<ServingCalibration | null> {
  let first = Infinity;
  for (const t of tab.at) first = Math.min(first, t);
  const d = Math.min(365, Math.floor((asOf - first) / DAY / 2));
  if (!(d >= 30)) return null;
  const cutoff = asOf - d * DAY;
  const fs = computeFeatures(tab, cutoff);
  if (fs.customerIds.length < 50) return null;
  const pred = baselinePredict(fs, d);
  const y = spendInWindow(tab, fs.customerIds, fs.cutoff, d * DAY);
  const minF = SHORT_HISTORY_MIN_DAYS;
  const hist = await runHistoryFolds(tab, first, planHistoryFolds(first, cutoff, d, minF), ["baseline"], {
    minFeatureDays: minF,
    minTrainDays: minF,
    features: new Map([[cutoff, fs]]),
  });
  return servingCalibration(cutoff, asOf, pred, y, d, hist.get("baseline") ?? [], null, 0);
}

/** P(no order in the churn window) from the purchase model at the evaluation cutoff vs what happened. */
function churnBacktest(tab: OrderTable, target: FeatureSet): ChurnMetrics | null {
  try {
    const m = fitPurchaseModel(target.rft);
    const s = scorePurchases(m, target.rft, 365);
    const bought = windowOutcome(tab, target.customerIds, target.cutoff, CHURN_WINDOW_DAYS * DAY).ordered;
    const churned = bought.map((b) => 1 - b);
    const n = churned.length;
    return {
      model: "mbgnbd",
      windowDays: CHURN_WINDOW_DAYS,
      customers: n,
      observedChurnRate: churned.reduce((a, b) => a + b, 0) / n,
      meanChurnProbability: s.churnProbability.reduce((a, b) => a + b, 0) / n,
      auc: rocAuc(s.churnProbability, churned),
      brier: brierScore(s.churnProbability, churned),
      reliability: reliabilityTable(s.churnProbability, churned),
      atBoundary: m.atBoundary,
    };
  } catch {
    return null;
  }
}
