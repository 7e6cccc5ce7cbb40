/**
 * Final fit, scoring, tiers, the transparent fallback and model artefacts.
 *
 * CLV (per customer, shop currency): expected net spend over the next `horizonMonths`, times
 * the gross margin, discounted monthly at (1 + annual)^(1/12) − 1.
 * - BTYD champion: the engine's CLV (month-by-month BG/NBD increments × Gamma-Gamma value) with
 *   its parametric-bootstrap 5–95 % interval.
 * - Deep / ensemble / baseline champions predict spend over the model window h (days); spend is
 *   spread evenly over the months of that window and the monthly rate is held for the CLV
 *   horizon (documented assumption). The interval comes from the ZILN 10 % / 90 % quantiles of
 *   the deep component (ensemble: the deep component's quantile ratios applied to the blend).
 * - "linear" / "gbt" champions (zoo.ts) are refitted on the final window like the deep models and
 *   predict window spend from the standardised static features, converted like the deep models;
 *   drivers by occluding feature groups, interval from the backtest's empirical interval.
 * - Every champion's spend is multiplied by its serving calibration scale, and its per-customer
 *   interval is the empirical 80 % interval of its backtest (calibration.ts) when one was fitted.
 * - P(alive), churn probability and the next-order date come from the MBG/NBD purchase model
 *   fitted at `asOf`; expected orders = CLV ÷ (margin × discount) ÷ expected order value
 *   (serve.ts states the coherence rule; docs/models/churn-and-next-order.md).
 *
 * Past spend ("baseline", and "fallback" when there is too little data for the backtest):
 * spend so far ÷ days since the store's first order, per month, held for the horizon and
 * discounted, times its calibration scale.
 *
 * Tiers: rules `[{ name, minPercentile }]`; a customer gets the first rule (highest
 * minPercentile first) whose minPercentile ≤ their CLV percentile rank (0 = lowest, ties share
 * the average rank). Default: top 10 % platinum, next 20 % gold, next 30 % silver, rest bronze.
 *
 * Artefacts contain parameters, weights, the feature spec and metrics only — never customer ids
 * or rows (GDPR); `scoreFromArtefact` rebuilds the models so a restart serves the same model.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { assignTiers, DEFAULT_TIERS, discountedMonths, type TierRule } from "./tiers";
import { btydDrivers, ownOrderValue } from "./value-drivers";
import { baselinePredict, fitCandidates, type CandidateName } from "./candidates";
import { btydClv, fitBtyd, predictBtyd, type BtydModel, type ClvSettings } from "./btyd";
import {
  loadDeep,
  lstmEmbedding,
  lstmHeadLogits,
  predictLogits,
  serialiseDeep,
  type DeepArtefact,
  type DeepInputs,
  type DeepKind,
} from "./deep";
import { computeFeatures, standardise, FEATURE_VERSION, type FeatureSet, type FeatureSpec } from "./features";
import { spendInWindow, type OrderTable } from "./orders";
import { DEEP_GROUPS, occludeGroup, topDrivers, type Driver } from "./explain";
import { toInputs } from "./candidates";
import { SIGMA_CAP, zilnMean, zilnParams, zilnQuantile } from "./ziln";
import type { BacktestConfig, WindowPlan } from "./backtest";
import { BTYD_INTERVAL, EMPIRICAL_INTERVAL, NO_INTERVAL, ZILN_INTERVAL, type ScoreInterval } from "~/clv/interval";
import { fitPurchaseModel, type PurchaseModel } from "./purchase";
import { predictZoo, staticMatrix, zooModelFromJSON, type ZooKind, type ZooModel } from "./zoo";
import { clvInterval, coherentExpectedOrders, explainLapsed, purchaseStory, type ServingCalibration } from "./serve";
import { valuePerPurchase } from "./btyd";

export { assignTiers, DEFAULT_TIERS, discountedMonths, type TierRule };

const DAY = 86_400_000;
const DAYS_PER_MONTH = 365.25 / 12;

/** Scores of every customer at `asOf` (positional). */
export interface CustomerScores {
  customerIds: string[];
  clv: Float64Array;
  clvLow: Float64Array;
  clvHigh: Float64Array;
  pAlive: Float64Array;
  /** P(no order in the next 90 days), from the same purchase model as pAlive. */
  churnProbability: Float64Array;
  /** Epoch ms of the expected (median) next order; NaN = not expected within the CLV horizon. */
  nextOrderAt: Float64Array;
  expectedOrders: Float64Array;
  /** Expected value of one order (Gamma-Gamma, else own average): expectedOrders × orderValue × margin × discount = clv. */
  orderValue: Float64Array;
  historicSpend: Float64Array;
  orderCount: Int32Array;
  firstAt: Float64Array;
  lastAt: Float64Array;
  tier: string[];
  drivers: Driver[][];
  /** The level of `clvLow`/`clvHigh` as computed (recorded on the model run for the pages). */
  interval: ScoreInterval;
}

/** Serialised model of a shop (no per-customer data). */
export interface ModelArtefact {
  format: "horizon-model-v1";
  featureVersion: string;
  /** What serves the predictions: a candidate or the transparent fallback. */
  champion: CandidateName | "fallback";
  /** Model window in days (spend is predicted over this window before CLV conversion). */
  horizonDays: number;
  spec: FeatureSpec | null;
  deep: Partial<Record<DeepKind, DeepArtefact>>;
  /** Model-zoo spend models (parameters only); absent in older artefacts. */
  zoo?: Partial<Record<ZooKind, ZooModel>>;
  /** Label window (days) the zoo models were fitted on; their spend is scaled by horizonDays ÷ it. */
  zooWindowDays?: number;
  btyd: BtydModel | null;
  ensembleWeights: Partial<Record<CandidateName, number>> | null;
  /** Calibration of the champion (scale factor, empirical interval); absent in older artefacts. */
  calibration?: ServingCalibration | null;
  /** Purchase model behind P(alive), churn and next-order dates; absent in older artefacts. */
  purchase?: PurchaseModel | null;
  trainedAt: string;
  asOf: number;
}

/** Models ready to score. */
interface LoadedModels {
  champion: CandidateName | "fallback";
  horizonDays: number;
  spec: FeatureSpec | null;
  deep: Partial<Record<DeepKind, tfTypes.LayersModel>>;
  zoo: Partial<Record<ZooKind, ZooModel>>;
  zooWindowDays?: number;
  btyd: BtydModel | null;
  ensembleWeights: Partial<Record<CandidateName, number>> | null;
  calibration: ServingCalibration | null;
  purchase: PurchaseModel | null;
}

/** The purchase model fitted on the scoring cutoff's summaries, or null when it cannot be fitted. */
function tryPurchaseModel(fs: FeatureSet): PurchaseModel | null {
  try {
    return fitPurchaseModel(fs.rft);
  } catch {
    return null;
  }
}

/**
 * What the final fit can take over from the backtest: its evaluation window is the final fit's
 * training window (features at asOf − h, spend in (asOf − h, asOf]), and early stopping's best
 * epoch per deep model (used when `finalEpochs` is "backtest").
 */
export interface BacktestReuse {
  train: FeatureSet;
  yTrain: Float64Array;
  bestEpochs: Partial<Record<DeepKind, number>>;
}

/** Retrains the champion on the latest window (asOf − h → asOf) and scores every customer. */
export async function finalFitAndScore(
  tab: OrderTable,
  plan: WindowPlan,
  champion: CandidateName,
  ensembleWeights: Partial<Record<CandidateName, number>> | null,
  cfg: BacktestConfig,
  settings: ClvSettings,
  tiers?: TierRule[],
  reuse?: BacktestReuse,
  calibration: ServingCalibration | null = null,
): Promise<{ scores: CustomerScores; artefact: ModelArtefact; diverged: boolean }> {
  const h = plan.horizonDays;
  await cfg.hooks?.onStage?.("final features");
  const target = computeFeatures(tab, plan.asOf);
  // Zero-weight ensemble components are not retrained (they would not change a score).
  const used =
    champion === "ensemble"
      ? (Object.entries(ensembleWeights ?? {}) as [CandidateName, number][]).filter(([, v]) => v > 0)
      : [];
  if (champion === "ensemble") ensembleWeights = Object.fromEntries(used);
  const needs = new Set<CandidateName>(champion === "ensemble" ? used.map(([k]) => k) : [champion]);
  const deepKinds = (["dnn", "lstm"] as const).filter((k) => needs.has(k));
  const zooKinds = (["linear", "gbt"] as const).filter((k) => needs.has(k));
  let spec: FeatureSpec | null = null;
  const deep: LoadedModels["deep"] = {};
  const art: ModelArtefact["deep"] = {};
  const zoo: LoadedModels["zoo"] = {};
  let diverged = false;
  if (deepKinds.length) {
    const trainCut = plan.asOf - h * DAY;
    const same =
      reuse?.train && reuse.train.cutoff === trainCut && reuse.yTrain.length === reuse.train.customerIds.length;
    const train = same ? reuse.train : computeFeatures(tab, trainCut);
    const yTrain = same ? reuse.yTrain : spendInWindow(tab, train.customerIds, trainCut, h * DAY);
    await cfg.hooks?.onStage?.("final fit");
    // "backtest" epochs: a fixed number of epochs (the backtest's best) on every sampled row, no
    // validation split. Only when every deep model has one (`deep` options also reach the LSTM).
    const best = (k: DeepKind) => reuse?.bestEpochs[k] ?? 0;
    const reuseEpochs = (cfg.finalEpochs ?? "backtest") === "backtest" && deepKinds.every((k) => best(k) > 0);
    const fixed = (k: DeepKind) => (reuseEpochs ? { epochs: best(k), validationFraction: 0, patience: best(k) } : {});
    const fitted = await fitCandidates(
      { train, yTrain, trainDays: h, target, targetDays: h },
      {
        names: deepKinds,
        deep: { ...cfg.deep, ...fixed("dnn") },
        lstm: { ...cfg.lstm, ...fixed("lstm") },
        seed: cfg.seed,
        hooks: cfg.hooks,
      },
    );
    spec = fitted.spec;
    for (const k of deepKinds) {
      const t = fitted.deep[k]!;
      if (t.diverged || fitted.preds.get(k)?.diverged) diverged = true;
      deep[k] = t.model;
      art[k] = serialiseDeep(t.model, t.arch);
    }
  }
  // Zoo champions are refitted on the backtest's label window (plan.trainDays, scaled to h as in
  // the backtest), so the calibration scale learned there carries over (docs/models/model-zoo.md).
  const zooWindowDays = Math.min(h, plan.trainDays);
  if (zooKinds.length) {
    const cut = plan.asOf - zooWindowDays * DAY;
    const same = reuse?.train && reuse.train.cutoff === cut && reuse.yTrain.length === reuse.train.customerIds.length;
    const train = same ? reuse.train : computeFeatures(tab, cut);
    const yTrain = same ? reuse.yTrain : spendInWindow(tab, train.customerIds, cut, zooWindowDays * DAY);
    await cfg.hooks?.onStage?.("final fit");
    const fitted = await fitCandidates(
      { train, yTrain, trainDays: zooWindowDays, target, targetDays: h },
      { names: zooKinds, zoo: { validationFraction: 0 }, seed: cfg.seed, hooks: cfg.hooks },
    );
    spec = fitted.spec;
    for (const k of zooKinds) {
      const t = fitted.zoo[k];
      if (!t || fitted.preds.get(k)?.diverged) diverged = true;
      if (t) zoo[k] = t.model;
    }
  }
  let btyd: BtydModel | null = null;
  await cfg.hooks?.onStage?.("fitting BTYD");
  try {
    btyd = fitBtyd(target.rft);
  } catch {
    btyd = null;
  }
  const purchase = tryPurchaseModel(target);
  const models: LoadedModels = {
    champion,
    horizonDays: h,
    spec,
    deep,
    zoo,
    zooWindowDays,
    btyd,
    ensembleWeights,
    calibration,
    purchase,
  };
  await cfg.hooks?.onStage?.("scoring");
  const scores = scoreFeatures(models, target, settings, tiers);
  Object.values(deep).forEach((mdl) => mdl?.dispose());
  if (!scores.clv.every(Number.isFinite)) diverged = true;
  return {
    scores,
    diverged,
    artefact: {
      format: "horizon-model-v1",
      featureVersion: FEATURE_VERSION,
      champion,
      horizonDays: h,
      spec,
      deep: art,
      zoo,
      zooWindowDays,
      btyd,
      ensembleWeights,
      calibration,
      purchase,
      trainedAt: new Date().toISOString(),
      asOf: plan.asOf,
    },
  };
}

/**
 * Past spend for every customer at `asOf` without a backtest (too little history to train or a
 * failed final fit): spend so far scaled to the horizon by the calendar window, uncalibrated.
 */
export function fallbackScores(
  tab: OrderTable,
  asOf: number,
  settings: ClvSettings,
  tiers?: TierRule[],
  calibration: ServingCalibration | null = null,
): { scores: CustomerScores; artefact: ModelArtefact } {
  const fs = computeFeatures(tab, asOf);
  const purchase = tryPurchaseModel(fs);
  const models: LoadedModels = {
    champion: "fallback",
    horizonDays: 365,
    spec: null,
    deep: {},
    zoo: {},
    btyd: null,
    ensembleWeights: null,
    calibration,
    purchase,
  };
  return {
    scores: scoreFeatures(models, fs, settings, tiers),
    artefact: {
      format: "horizon-model-v1",
      featureVersion: FEATURE_VERSION,
      champion: "fallback",
      horizonDays: 365,
      spec: null,
      deep: {},
      btyd: null,
      ensembleWeights: null,
      calibration,
      purchase,
      trainedAt: new Date().toISOString(),
      asOf,
    },
  };
}

/** Re-scores customers from a saved artefact (e.g. after a restart or new orders) without training. */
export function scoreFromArtefact(
  art: ModelArtefact,
  tab: OrderTable,
  asOf: number,
  settings: ClvSettings,
  tiers?: TierRule[],
): CustomerScores {
  if (art.format !== "horizon-model-v1") throw new Error(`unknown model artefact format ${String(art.format)}`);
  if (art.featureVersion !== FEATURE_VERSION)
    throw new Error(
      `model was trained on features ${art.featureVersion}; this build computes ${FEATURE_VERSION}: retrain`,
    );
  const deep: LoadedModels["deep"] = {};
  for (const [k, a] of Object.entries(art.deep) as [DeepKind, DeepArtefact][]) deep[k] = loadDeep(a);
  try {
    return scoreFeatures(
      {
        champion: art.champion,
        horizonDays: art.horizonDays,
        spec: art.spec,
        deep,
        zoo: Object.fromEntries(Object.entries(art.zoo ?? {}).map(([k, v]) => [k, zooModelFromJSON(v)])),
        zooWindowDays: art.zooWindowDays,
        btyd: art.btyd,
        ensembleWeights: art.ensembleWeights,
        calibration: art.calibration ?? null,
        purchase: art.purchase ?? null,
      },
      computeFeatures(tab, asOf),
      settings,
      tiers,
    );
  } finally {
    Object.values(deep).forEach((m) => m?.dispose());
  }
}

/** Scores feature rows with loaded models (shared by training and artefact re-scoring). */
function scoreFeatures(m: LoadedModels, fs: FeatureSet, s: ClvSettings, tiers?: TierRule[]): CustomerScores {
  const n = fs.customerIds.length;
  const months = discountedMonths(s);
  const perWindow = months / (m.horizonDays / DAYS_PER_MONTH); // window spend → CLV
  const x: DeepInputs | null = m.spec ? toInputs(standardise(fs, m.spec)) : null;
  const bt = m.btyd ? predictBtyd(m.btyd, fs.rft, m.horizonDays / 7) : null;
  let clv: Float64Array, low: Float64Array, high: Float64Array;
  let drivers: Driver[][];
  let interval: ScoreInterval = NO_INTERVAL;
  // Deep logits of every row, optionally with one feature group occluded. The LSTM's recurrent
  // embedding depends on the sequence only: computed once for the rows as given and reused for the
  // static-group occlusions; the "activity" occlusion (all-zero sequences) has one embedding for all.
  let emb: ReturnType<typeof lstmEmbedding> | null = null;
  const unoccluded = new Map<DeepKind, Float32Array>();
  const deepLogits = (k: DeepKind, inp: DeepInputs, occl?: string): Float32Array => {
    if (!occl && inp === x && unoccluded.has(k)) return unoccluded.get(k)!;
    const out = deepLogitsOf(k, inp, occl);
    if (!occl && inp === x) unoccluded.set(k, out);
    return out;
  };
  const deepLogitsOf = (k: DeepKind, inp: DeepInputs, occl?: string): Float32Array => {
    const xin = occl ? occludeGroup(inp, occl) : inp;
    if (k === "dnn") return predictLogits(m.deep.dnn!, "dnn", xin);
    const lstm = m.deep.lstm!;
    if (occl !== "activity") return lstmHeadLogits(lstm, xin, (emb ??= lstmEmbedding(lstm, inp)));
    const one = lstmEmbedding(lstm, {
      ...xin,
      n: 1,
      static: xin.static.subarray(0, xin.nStatic),
      seq: xin.seq.subarray(0, xin.seqLen * xin.seqDims),
    });
    const e = new Float32Array(xin.n * one.units);
    for (let i = 0; i < xin.n; i++) e.set(one.emb, i * one.units);
    return lstmHeadLogits(lstm, xin, { emb: e, units: one.units });
  };
  const deepMean = (k: DeepKind, inp: DeepInputs, occl?: string) =>
    zilnMean(zilnParams(deepLogits(k, inp, occl), SIGMA_CAP));
  const zooMean = (k: ZooKind, inp: DeepInputs, occl?: string) => {
    const model = m.zoo[k];
    if (!model) throw new Error(`the artefact has no fitted ${k} model`);
    const ratio = m.horizonDays / (m.zooWindowDays ?? m.horizonDays);
    const p = predictZoo(model, staticMatrix(occl ? occludeGroup(inp, occl) : inp));
    return ratio === 1 ? p : p.map((v) => v * ratio);
  };
  const scale = m.calibration?.scale ?? 1;
  const empirical = m.calibration?.interval ?? null;
  let windowSpend: Float64Array;
  if (m.champion === "btyd" && m.btyd) {
    const c = btydClv(m.btyd, fs.rft, s, 100, !!empirical);
    [clv, low, high] = [c.point, c.low, c.high].map((a) => a.map((v) => v * scale));
    windowSpend = bt!.spend.map((v) => v * scale);
    if (c.method !== "none") interval = { ...BTYD_INTERVAL, method: c.method };
    drivers = btydDrivers(m.btyd, fs, bt!.spend, m.horizonDays / 7);
  } else if (m.champion === "fallback" || m.champion === "baseline") {
    const rate = baselinePredict(fs, DAYS_PER_MONTH).map((v) => v * scale);
    clv = rate.map((v) => v * months);
    windowSpend = baselinePredict(fs, m.horizonDays).map((v) => v * scale);
    low = clv.slice();
    high = clv.slice();
    const cal = scale !== 1 ? `, × ${scale.toFixed(2)} to match past totals` : "";
    drivers = fs.customerIds.map((_, i) => [
      {
        phrase: `Past spend: about ${rate[i].toFixed(2)} per month since the store's first order${cal} — the whole prediction`,
        weight: 1,
      },
    ]);
  } else {
    const w: Partial<Record<CandidateName, number>> =
      m.champion === "ensemble" ? (m.ensembleWeights ?? {}) : { [m.champion]: 1 };
    const blend = (inp: DeepInputs | null, occl?: string): Float64Array => {
      const out = new Float64Array(n);
      for (const [k, wk] of Object.entries(w) as [CandidateName, number][]) {
        if (!wk) continue;
        const p =
          k === "dnn" || k === "lstm"
            ? deepMean(k, inp!, occl)
            : k === "linear" || k === "gbt"
              ? zooMean(k, inp!, occl)
              : k === "btyd"
                ? bt!.spend
                : baselinePredict(fs, m.horizonDays);
        for (let i = 0; i < n; i++) out[i] += wk * p[i];
      }
      return out;
    };
    const spend = blend(x);
    windowSpend = spend.map((v) => v * scale);
    clv = windowSpend.map((v) => v * perWindow);
    const dk = (["dnn", "lstm"] as const).find((k) => (w[k] ?? 0) > 0 && m.deep[k]);
    if (dk) {
      const zi = zilnParams(deepLogits(dk, x!), SIGMA_CAP);
      const mean = zilnMean(zi),
        q1 = zilnQuantile(zi, ZILN_INTERVAL.lower),
        q9 = zilnQuantile(zi, ZILN_INTERVAL.upper);
      interval = { ...ZILN_INTERVAL, method: "ziln" };
      low = clv.map((v, i) => (mean[i] > 0 ? (v * q1[i]) / mean[i] : 0));
      high = clv.map((v, i) => (mean[i] > 0 ? (v * q9[i]) / mean[i] : v));
      const occluded = new Map<string, Float64Array>();
      for (const g of Object.keys(DEEP_GROUPS)) if (g !== "activity" || w.lstm) occluded.set(g, blend(x, g));
      drivers = topDrivers(spend, occluded, fs);
    } else if ((w.linear ?? 0) > 0 || (w.gbt ?? 0) > 0) {
      low = clv.slice();
      high = clv.slice();
      const occluded = new Map<string, Float64Array>();
      for (const g of Object.keys(DEEP_GROUPS)) if (g !== "activity") occluded.set(g, blend(x, g));
      drivers = topDrivers(spend, occluded, fs);
    } else {
      low = clv.slice();
      high = clv.slice();
      drivers = m.btyd ? btydDrivers(m.btyd, fs, bt!.spend, m.horizonDays / 7) : fs.customerIds.map(() => []);
    }
  }
  if (empirical) {
    ({ low, high } = clvInterval(empirical, windowSpend, clv, m.horizonDays, perWindow));
    interval = { ...EMPIRICAL_INTERVAL, method: "empirical" };
  }
  for (let i = 0; i < n; i++) {
    // Guard ordering of the interval (quantiles of a blend are approximate).
    if (low[i] > clv[i]) low[i] = clv[i];
    if (high[i] < clv[i]) high[i] = clv[i];
  }
  const rules = tiers?.length ? tiers : DEFAULT_TIERS;
  const tier = assignTiers(clv, rules);
  const lowest = rules.reduce((a, b) => (b.minPercentile < a.minPercentile ? b : a)).name;
  const story = purchaseStory(m.purchase, fs, s.horizonMonths * DAYS_PER_MONTH);
  const value = m.btyd ? valuePerPurchase(m.btyd, fs.rft) : ownOrderValue(fs);
  const expectedOrders = coherentExpectedOrders(clv, value, months / s.horizonMonths);
  explainLapsed(drivers, story.pAlive, tier, lowest, fs, m.champion);
  return {
    customerIds: fs.customerIds,
    clv,
    clvLow: low,
    clvHigh: high,
    pAlive: story.pAlive,
    churnProbability: story.churnProbability,
    nextOrderAt: story.nextOrderAt,
    expectedOrders,
    orderValue: value,
    historicSpend: fs.rft.pastSpend,
    orderCount: fs.rft.orderCount,
    firstAt: fs.rft.firstAt,
    lastAt: fs.rft.lastAt,
    tier,
    drivers,
    interval,
  };
}
