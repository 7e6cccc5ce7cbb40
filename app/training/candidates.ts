/**
 * Candidate models for one (training window → target window) pair. Pure apart from tf.js compute.
 *
 * A window pair is: features at a training cutoff with labels = spend in the following
 * `trainDays`, and features at a target cutoff whose following `targetDays` are predicted.
 * In a backtest the target window's labels are known and used for evaluation only; in the final
 * fit the target cutoff is "now".
 *
 * Candidates (all predict net spend in the target window):
 * - "dnn", "lstm": deep ZILN models trained on the training window (standardisation fitted on
 *   the training rows only). When `trainDays` ≠ `targetDays` (short histories) predictions are
 *   scaled by targetDays / trainDays (a constant-rate assumption; ranking unaffected).
 * - "btyd": BG/NBD × Gamma-Gamma fitted on the target cutoff's own history (it needs no labels).
 * - "baseline": past spend × targetDays / observed window (the engine's "window" scaling).
 * - "linear", "gbt": the model zoo (zoo.ts): ridge regression / gradient-boosted trees of
 *   log1p(window spend) on the standardised static features, smeared back to spend; scaled by
 *   targetDays / trainDays like the deep models. Not blended into the ensemble (their validation
 *   rows are their own, not the deep models').
 * - "ensemble": a convex blend of the other candidates; weights on a 0.1 grid chosen to maximise
 *   the normalised Gini (ties: lower MAE) on the deep models' validation rows of the training
 *   window, where every component's prediction is out-of-sample.
 */
import { normalizedGini, mae } from "~/clv/metrics";
import { pastSpendBaseline } from "~/clv/baseline";
import { trainDeep, predictLogits, type DeepConfig, type DeepInputs, type TrainedDeep, type TrainHooks } from "./deep";
import {
  fitFeatureSpec,
  standardise,
  SEQ_DIMS,
  SEQ_LEN,
  STATIC_FEATURES,
  type FeatureSet,
  type FeatureSpec,
} from "./features";
import { fitBtyd, predictBtyd, type BtydModel } from "./btyd";
import { SIGMA_CAP, zilnMean, zilnParams, zilnQuantile, type ZilnParams } from "./ziln";
import { fitZoo, predictZoo, staticMatrix, ZOO_KINDS, type FittedZoo, type ZooKind, type ZooOptions } from "./zoo";

export type CandidateName = "dnn" | "lstm" | "btyd" | "baseline" | "ensemble" | ZooKind;
export const ALL_CANDIDATES: readonly CandidateName[] = ["dnn", "lstm", "btyd", "baseline", "ensemble", ...ZOO_KINDS];
const DAY = 86_400_000;

/**
 * Training-cost defaults that keep a 100k-customer shop inside the time budget on the
 * single-threaded wasm backend (docs/decisions/0007-training-time.md); every customer is still
 * scored, and each value is overridable per run (`deep`, `lstm` options):
 * - maxTrainRows: a seeded random subsample of training customers (the DNN at most 25,000, the
 *   LSTM, ≈ 25× the cost per row, at most 8,000); early stopping holds out 20 % of it.
 * - LSTM epochs ≤ 12 with patience 2 (it usually stops after 4–7 epochs).
 * - LSTM seqPool 2: the 24 monthly steps are averaged into 12 two-month steps inside the
 *   network, ≈ 2.8× less LSTM time per row (the recurrent steps dominate the cost).
 */
export const DEEP_DEFAULTS: Record<"dnn" | "lstm", Partial<DeepConfig>> = {
  dnn: { maxTrainRows: 25_000 },
  lstm: { maxTrainRows: 8_000, epochs: 12, patience: 2, batchSize: 256, seqPool: 2 },
};

export interface WindowPair {
  train: FeatureSet;
  /** Spend in (train.cutoff, train.cutoff + trainDays]. */
  yTrain: Float64Array;
  trainDays: number;
  target: FeatureSet;
  targetDays: number;
}

/** One candidate's predictions for the target customers (positional). */
export interface CandidatePrediction {
  name: CandidateName;
  spend: Float64Array;
  /** 10 % / 90 % quantiles of the window spend (ZILN models only). */
  low?: Float64Array;
  high?: Float64Array;
  zi?: ZilnParams;
  diverged: boolean;
  trainMs: number;
  note?: string;
}

export interface CandidateOptions {
  /** Which candidates to fit (ensemble needs at least two others). */
  names: readonly CandidateName[];
  /** Overrides of the deep models' training options. */
  deep?: Partial<Omit<DeepConfig, "kind">>;
  lstm?: Partial<Omit<DeepConfig, "kind">>;
  /** Options of the model-zoo candidates (zoo.ts). */
  zoo?: ZooOptions;
  seed?: number;
  hooks?: TrainHooks & { onStage?: (stage: string) => void | Promise<void> };
}

export interface FittedCandidates {
  preds: Map<CandidateName, CandidatePrediction>;
  spec: FeatureSpec;
  deep: Partial<Record<"dnn" | "lstm", TrainedDeep>>;
  zoo: Partial<Record<ZooKind, FittedZoo>>;
  btyd: BtydModel | null;
  ensembleWeights: Partial<Record<CandidateName, number>> | null;
  /** Inputs of the target rows (standardised), kept for explanations. */
  targetInputs: DeepInputs;
  /**
   * Out-of-sample predictions of the training window's labels (spend in trainDays after the
   * training cutoff) per candidate, for calibration: `rows` are the rows predicted out of sample
   * (the deep models' and the ensemble's validation rows; null = every training row, for the
   * candidates that do not learn from labels).
   */
  validation: Map<CandidateName, { rows: Int32Array | null; pred: Float64Array }>;
}

/** Wraps standardised features as model inputs. */
export function toInputs(z: { static: Float32Array; seq: Float32Array; n: number }): DeepInputs {
  return { n: z.n, static: z.static, nStatic: STATIC_FEATURES.length, seq: z.seq, seqLen: SEQ_LEN, seqDims: SEQ_DIMS };
}

/** Past-spend forecast (the engine's baseline, "window" scaling): spend × days / (earliest first order → cutoff). */
export function baselinePredict(fs: FeatureSet, days: number): Float64Array {
  let first = Infinity;
  for (let i = 0; i < fs.rft.firstAt.length; i++) first = Math.min(first, fs.rft.firstAt[i]);
  return pastSpendBaseline(
    { calibrationSpend: fs.rft.pastSpend, calibrationLength: Math.max(1, (fs.cutoff - first) / DAY) },
    { horizon: days },
  );
}

const x_n = (x: DeepInputs) => x.n;

/** The given rows of model inputs (copies). */
export function subsetInputs(x: DeepInputs, rows: Int32Array): DeepInputs {
  const L = x.seqLen * x.seqDims;
  const st = new Float32Array(rows.length * x.nStatic);
  const sq = new Float32Array(rows.length * L);
  rows.forEach((r, k) => {
    st.set(x.static.subarray(r * x.nStatic, (r + 1) * x.nStatic), k * x.nStatic);
    sq.set(x.seq.subarray(r * L, (r + 1) * L), k * L);
  });
  return { ...x, n: rows.length, static: st, seq: sq };
}

const scale = (a: Float64Array, f: number) => (f === 1 ? a : a.map((v) => v * f));

/** Fits the requested candidates on a window pair and predicts the target window. */
export async function fitCandidates(w: WindowPair, o: CandidateOptions): Promise<FittedCandidates> {
  const names = new Set(o.names);
  const hooks = o.hooks ?? {};
  const spec = fitFeatureSpec(w.train);
  const xTrain = toInputs(standardise(w.train, spec));
  const xTarget = toInputs(standardise(w.target, spec));
  const preds = new Map<CandidateName, CandidatePrediction>();
  const deep: FittedCandidates["deep"] = {};
  const ratio = w.targetDays / w.trainDays;
  const valPreds = new Map<CandidateName, Float64Array>();
  let valRows: Int32Array | null = null;
  const wantEnsemble = names.has("ensemble");

  for (const kind of ["dnn", "lstm"] as const) {
    if (!names.has(kind)) continue;
    await hooks.onStage?.(`training ${kind}`);
    const cfg: DeepConfig = {
      kind,
      seed: o.seed ?? 42,
      ...DEEP_DEFAULTS[kind],
      ...(o.deep ?? {}),
      ...(kind === "lstm" ? (o.lstm ?? {}) : {}),
    };
    const t = await trainDeep(xTrain, w.yTrain, cfg, hooks);
    deep[kind] = t;
    if (t.diverged) {
      preds.set(kind, {
        name: kind,
        spend: new Float64Array(w.target.customerIds.length).fill(Number.NaN),
        diverged: true,
        trainMs: t.trainMs,
        note: "training loss became non-finite",
      });
      continue;
    }
    const zi = zilnParams(predictLogits(t.model, kind, xTarget), SIGMA_CAP);
    const spend = scale(zilnMean(zi), ratio);
    // Exploding predictions (total > 20× what the training labels imply for this window) count as divergence.
    let predTotal = 0,
      labelTotal = 0;
    for (const v of spend) predTotal += v;
    for (const v of w.yTrain) labelTotal += v;
    const limit =
      20 * Math.max(1, labelTotal * ratio * (w.target.customerIds.length / Math.max(1, w.train.customerIds.length)));
    const finite = spend.every(Number.isFinite) && predTotal <= limit;
    preds.set(kind, {
      name: kind,
      spend,
      low: scale(zilnQuantile(zi, 0.1), ratio),
      high: scale(zilnQuantile(zi, 0.9), ratio),
      zi,
      diverged: !finite,
      trainMs: t.trainMs,
      note: finite
        ? `${t.epochsRun} epochs (best ${t.bestEpoch})`
        : spend.every(Number.isFinite)
          ? `predictions explode (total ${predTotal.toExponential(2)} vs ≤ ${limit.toExponential(2)} expected)`
          : "non-finite predictions",
    });
    if (finite && t.valRows.length > 0) {
      valRows ??= t.valRows;
      // Only the validation rows are needed (out-of-sample for this model): predict just those.
      const vp = zilnMean(zilnParams(predictLogits(t.model, kind, subsetInputs(xTrain, t.valRows)), SIGMA_CAP));
      const full = new Float64Array(x_n(xTrain));
      t.valRows.forEach((r, k) => (full[r] = vp[k]));
      valPreds.set(kind, full);
    }
  }

  const zoo: FittedCandidates["zoo"] = {};
  for (const kind of ZOO_KINDS) {
    if (!names.has(kind)) continue;
    await hooks.onStage?.(`fitting ${kind}`);
    const t0 = Date.now();
    try {
      const t = (zoo[kind] = fitZoo(kind, staticMatrix(xTrain), w.yTrain, { seed: o.seed, ...o.zoo }));
      const spend = scale(predictZoo(t.model, staticMatrix(xTarget)), ratio);
      const ok = spend.every(Number.isFinite);
      preds.set(kind, {
        name: kind,
        spend,
        diverged: !ok,
        trainMs: t.trainMs,
        note: ok ? undefined : "non-finite predictions",
      });
      const full = new Float64Array(xTrain.n);
      t.valRows.forEach((r, k) => (full[r] = t.valPred[k]));
      valPreds.set(kind, full);
    } catch (e) {
      const spend = new Float64Array(w.target.customerIds.length).fill(Number.NaN);
      preds.set(kind, {
        name: kind,
        spend,
        diverged: true,
        trainMs: Date.now() - t0,
        note: `${kind} fit failed: ${(e as Error).message}`,
      });
    }
  }

  let btyd: BtydModel | null = null;
  if (names.has("btyd") || wantEnsemble) {
    await hooks.onStage?.("fitting BTYD");
    const t0 = Date.now();
    try {
      btyd = fitBtyd(w.target.rft);
      const p = predictBtyd(btyd, w.target.rft, w.targetDays / 7);
      const ok = p.spend.every(Number.isFinite);
      preds.set("btyd", {
        name: "btyd",
        spend: p.spend,
        diverged: !ok,
        trainMs: Date.now() - t0,
        note: btyd.ggNote ?? (ok ? undefined : "non-finite predictions"),
      });
      const bTrain = fitBtyd(w.train.rft);
      valPreds.set("btyd", predictBtyd(bTrain, w.train.rft, w.trainDays / 7).spend);
    } catch (e) {
      preds.set("btyd", {
        name: "btyd",
        spend: new Float64Array(w.target.customerIds.length).fill(Number.NaN),
        diverged: true,
        trainMs: Date.now() - t0,
        note: `BTYD fit failed: ${(e as Error).message}`,
      });
    }
  }
  preds.set("baseline", {
    name: "baseline",
    spend: baselinePredict(w.target, w.targetDays),
    diverged: false,
    trainMs: 0,
  });
  valPreds.set("baseline", baselinePredict(w.train, w.trainDays));

  let ensembleWeights: FittedCandidates["ensembleWeights"] = null;
  if (wantEnsemble && valRows) {
    const comps = (["dnn", "lstm", "btyd", "baseline"] as const).filter(
      (c) => valPreds.has(c) && preds.get(c) && !preds.get(c)!.diverged && valPreds.get(c)!.every(Number.isFinite),
    );
    if (comps.length >= 2) {
      const yv = Float64Array.from(valRows, (r) => w.yTrain[r]);
      const cols = comps.map((c) => Float64Array.from(valRows!, (r) => valPreds.get(c)![r]));
      const best = bestBlend(cols, yv);
      ensembleWeights = Object.fromEntries(comps.map((c, i) => [c, best[i]]));
      const n = w.target.customerIds.length;
      const spend = new Float64Array(n);
      comps.forEach((c, i) => {
        const p = preds.get(c)!.spend;
        for (let k = 0; k < n; k++) spend[k] += best[i] * p[k];
      });
      const ensVal = new Float64Array(w.train.customerIds.length);
      comps.forEach((c, i) => {
        const p = valPreds.get(c)!;
        for (const r of valRows!) ensVal[r] += best[i] * p[r];
      });
      valPreds.set("ensemble", ensVal);
      preds.set("ensemble", {
        name: "ensemble",
        spend,
        diverged: !spend.every(Number.isFinite),
        trainMs: 0,
        note: comps.map((c, i) => `${c} ${best[i].toFixed(1)}`).join(", "),
      });
    }
  }
  for (const k of [...preds.keys()]) if (!names.has(k)) preds.delete(k);
  const validation: FittedCandidates["validation"] = new Map();
  for (const [k, pred] of valPreds) {
    if (!preds.has(k) || !pred.every(Number.isFinite)) continue;
    const own = k === "dnn" || k === "lstm" ? deep[k]?.valRows : k === "linear" || k === "gbt" ? zoo[k]?.valRows : null;
    const rows = k === "ensemble" ? valRows : (own ?? null);
    if (k !== "btyd" && k !== "baseline" && !rows?.length) continue;
    validation.set(k, { rows, pred });
  }
  return { preds, spec, deep, zoo, btyd, ensembleWeights, targetInputs: xTarget, validation };
}

/**
 * A candidate's out-of-sample validation predictions and the matching labels (the rows it did not
 * learn from), or null when it has none.
 */
export function validationRows(
  fitted: Pick<FittedCandidates, "validation">,
  name: CandidateName,
  yTrain: Float64Array,
): { pred: Float64Array; actual: Float64Array } | null {
  const val = fitted.validation.get(name);
  if (!val) return null;
  const rows = val.rows ?? Int32Array.from(val.pred, (_, i) => i);
  return { pred: Float64Array.from(rows, (r) => val.pred[r]), actual: Float64Array.from(rows, (r) => yTrain[r]) };
}

/** Convex weights on a 0.1 grid maximising Gini on (cols, y); ties broken by lower MAE. */
export function bestBlend(cols: Float64Array[], y: Float64Array): number[] {
  const k = cols.length;
  const steps = 10;
  let best: number[] = [],
    bestG = -Infinity,
    bestM = Infinity;
  const w = new Array<number>(k).fill(0);
  const blend = new Float64Array(y.length);
  const rec = (i: number, left: number) => {
    if (i === k - 1) {
      w[i] = left;
      blend.fill(0);
      for (let c = 0; c < k; c++)
        if (w[c] > 0) for (let r = 0; r < y.length; r++) blend[r] += (w[c] / steps) * cols[c][r];
      const g = normalizedGini(blend, y);
      const m = mae(blend, y);
      if (g > bestG + 1e-9 || (Math.abs(g - bestG) <= 1e-9 && m < bestM)) {
        bestG = g;
        bestM = m;
        best = w.map((v) => v / steps);
      }
      return;
    }
    for (let v = 0; v <= left; v++) {
      w[i] = v;
      rec(i + 1, left - v);
    }
  };
  rec(0, steps);
  return best;
}
