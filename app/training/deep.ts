/**
 * Deep CLV models in TensorFlow.js with the ZILN head:
 *   - "dnn":  static features → Dense(64, relu) → Dense(32, relu) → Dense(3 logits);
 *   - "lstm": monthly sequence → average of `seqPool` adjacent months → LSTM(16), static →
 *             Dense(32, relu), concatenated → Dense(32, relu) → Dense(3 logits).
 *   The pooling is a layer of the network (artefacts and scoring see the raw monthly sequence);
 *   artefacts saved before it existed have no `seqPool` and load as 1 (no pooling).
 *
 * Deterministic: every initializer is seeded from `config.seed`, shuffles use the engine's seeded
 * Rng, and there is no dropout. Early stopping on a seeded validation split keeps the best
 * weights. A non-finite training or validation loss marks the model `diverged` (callers must not
 * promote it). Artefacts hold only the architecture, weights (base64 float32) and stats — no
 * per-customer data.
 */
import { Rng } from "~/clv/rng";
import { tf } from "./tf";
import { zilnLossTensor } from "./ziln";

export type DeepKind = "dnn" | "lstm";

/** Training options of a deep model. */
export interface DeepConfig {
  kind: DeepKind;
  /** Hidden units of the dense tower (default [64, 32]). */
  hidden?: number[];
  /** LSTM units (default 16). */
  rnnUnits?: number;
  /**
   * LSTM only: average this many adjacent months into one recurrent step (default 1 = monthly;
   * the trainer's candidates use 2, see DEEP_DEFAULTS). Must divide the sequence length.
   */
  seqPool?: number;
  /** Max epochs (default 30). */
  epochs?: number;
  /** Mini-batch size (default 512). */
  batchSize?: number;
  /** Adam learning rate (default 0.003). */
  learningRate?: number;
  /** Stop after this many epochs without validation improvement (default 3). */
  patience?: number;
  /** Smallest validation-loss decrease that counts as an improvement (default 0.002). */
  minDelta?: number;
  /** Fraction of rows held out for early stopping (default 0.2; 0 disables early stopping). */
  validationFraction?: number;
  /** L2 penalty on dense kernels (default 1e-4). */
  l2?: number;
  /** Seed of initializers and shuffles (default 42). */
  seed?: number;
  /** Train on at most this many rows (seeded subsample; all rows are still scored). Default: all. */
  maxTrainRows?: number;
}

/** Model inputs: standardised static (n × nStatic) and sequence (n × seqLen × seqDims) features. */
export interface DeepInputs {
  n: number;
  static: Float32Array;
  nStatic: number;
  seq: Float32Array;
  seqLen: number;
  seqDims: number;
}

export interface EpochProgress {
  epoch: number;
  totalEpochs: number;
  loss: number;
  valLoss: number;
  etaMs: number;
}

/** Hooks for progress reporting and cancellation. */
export interface TrainHooks {
  onEpoch?: (p: EpochProgress) => void | Promise<void>;
  /** Polled between batches; returning true aborts with `TrainingCancelled`. */
  shouldStop?: () => boolean | Promise<boolean>;
}

export class TrainingCancelled extends Error {
  constructor() {
    super("training cancelled");
    this.name = "TrainingCancelled";
  }
}

export interface TrainedDeep {
  kind: DeepKind;
  model: tf.LayersModel;
  arch: DeepArch;
  epochsRun: number;
  bestEpoch: number;
  bestValLoss: number;
  trainLoss: number;
  diverged: boolean;
  trainMs: number;
  /** Rows (indices into the training inputs) held out for early stopping: out-of-sample for this model. */
  valRows: Int32Array;
}

/** Everything needed to rebuild the network (no data). */
export interface DeepArch {
  kind: DeepKind;
  nStatic: number;
  seqLen: number;
  seqDims: number;
  hidden: number[];
  rnnUnits: number;
  /** Months averaged per recurrent step (absent in older artefacts = 1). */
  seqPool?: number;
  l2: number;
  seed: number;
}

/** Serialised model: architecture + weights as base64 float32. */
export interface DeepArtefact {
  format: "horizon-deep-v1";
  arch: DeepArch;
  weights: Array<{ shape: number[]; data: string }>;
}

/** Builds the (untrained) network for an architecture. */
export function buildDeepModel(arch: DeepArch): tf.LayersModel {
  let s = arch.seed;
  const init = () => tf.initializers.glorotUniform({ seed: s++ });
  const reg = arch.l2 > 0 ? tf.regularizers.l2({ l2: arch.l2 }) : undefined;
  const dense = (units: number, activation: "relu" | "linear", name: string) =>
    tf.layers.dense({
      units,
      activation,
      kernelInitializer: init(),
      kernelRegularizer: activation === "relu" ? reg : undefined,
      name,
    });
  const staticIn = tf.input({ shape: [arch.nStatic], name: "static" });
  if (arch.kind === "dnn") {
    let h: tf.SymbolicTensor = staticIn;
    arch.hidden.forEach((u, i) => (h = dense(u, "relu", `h${i}`).apply(h) as tf.SymbolicTensor));
    const out = dense(3, "linear", "ziln").apply(h) as tf.SymbolicTensor;
    return tf.model({ inputs: staticIn, outputs: out });
  }
  const seqIn = tf.input({ shape: [arch.seqLen, arch.seqDims], name: "seq" });
  const pool = arch.seqPool ?? 1;
  if (pool < 1 || arch.seqLen % pool) throw new Error(`seqPool ${pool} must divide the sequence length ${arch.seqLen}`);
  const pooled =
    pool > 1
      ? (tf.layers
          .averagePooling1d({ poolSize: pool, strides: pool, name: "seq_pool" })
          .apply(seqIn) as tf.SymbolicTensor)
      : seqIn;
  const rnn = tf.layers
    .lstm({
      units: arch.rnnUnits,
      kernelInitializer: init(),
      recurrentInitializer: tf.initializers.orthogonal({ seed: s++, gain: 1 }),
      name: "lstm",
    })
    .apply(pooled) as tf.SymbolicTensor;
  const st = dense(arch.hidden[0] >> 1 || 16, "relu", "s0").apply(staticIn) as tf.SymbolicTensor;
  let h = tf.layers.concatenate({ name: "concat" }).apply([rnn, st]) as tf.SymbolicTensor;
  h = dense(arch.hidden[arch.hidden.length - 1], "relu", "h0").apply(h) as tf.SymbolicTensor;
  const out = dense(3, "linear", "ziln").apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: [staticIn, seqIn], outputs: out });
}

function inputTensors(kind: DeepKind, x: DeepInputs, rows?: Int32Array): tf.Tensor[] {
  const take = (src: Float32Array, width: number) => {
    if (!rows) return src;
    const out = new Float32Array(rows.length * width);
    for (let k = 0; k < rows.length; k++) out.set(src.subarray(rows[k] * width, (rows[k] + 1) * width), k * width);
    return out;
  };
  const m = rows ? rows.length : x.n;
  const st = tf.tensor2d(take(x.static, x.nStatic), [m, x.nStatic]);
  if (kind === "dnn") return [st];
  return [st, tf.tensor3d(take(x.seq, x.seqLen * x.seqDims), [m, x.seqLen, x.seqDims])];
}

/**
 * Rows per forward pass when predicting. `LayersModel.predict` defaults to batches of 32, which
 * on the wasm backend made forward passes kernel-call-bound (an LSTM pass over 100k customers
 * took tens of seconds); one pass per 2,048 rows gives the same outputs far faster.
 */
const PREDICT_BATCH = 2048;

const softplusInv = (v: number) => (v > 20 ? v : Math.log(Math.expm1(v)));

/** Sets the output bias to the empirical zero-share and lognormal stats (faster, stabler start). */
function initOutputBias(model: tf.LayersModel, y: Float64Array, rows: Int32Array): void {
  let pos = 0,
    s = 0,
    s2 = 0;
  for (const r of rows)
    if (y[r] > 0) {
      const l = Math.log(y[r]);
      pos++;
      s += l;
      s2 += l * l;
    }
  const p = Math.min(0.99, Math.max(0.01, pos / Math.max(1, rows.length)));
  const mu = pos > 0 ? s / pos : 0;
  const sd = pos > 1 ? Math.sqrt(Math.max(0.01, s2 / pos - mu * mu)) : 1;
  const layer = model.getLayer("ziln");
  const [k] = layer.getWeights(); // the live variable value: do not dispose
  const b = tf.tensor1d([Math.log(p / (1 - p)), mu, softplusInv(sd)]);
  layer.setWeights([k, b]);
  b.dispose();
}

/** Trains a deep ZILN model on rows of `x` with labels `y` (net spend in the label window). */
export async function trainDeep(
  x: DeepInputs,
  y: Float64Array,
  config: DeepConfig,
  hooks: TrainHooks = {},
): Promise<TrainedDeep> {
  const t0 = Date.now();
  if (y.length !== x.n) throw new Error(`trainDeep: ${y.length} labels for ${x.n} rows`);
  if (x.n < 10) throw new Error(`trainDeep: need at least 10 customers, got ${x.n}`);
  const arch: DeepArch = {
    kind: config.kind,
    nStatic: x.nStatic,
    seqLen: x.seqLen,
    seqDims: x.seqDims,
    hidden: config.hidden ?? [64, 32],
    rnnUnits: config.rnnUnits ?? 16,
    ...(config.kind === "lstm" && (config.seqPool ?? 1) > 1 ? { seqPool: config.seqPool } : {}),
    l2: config.l2 ?? 1e-4,
    seed: config.seed ?? 42,
  };
  const epochs = config.epochs ?? 30;
  const batch = config.batchSize ?? 512;
  const patience = config.patience ?? 3;
  const minDelta = config.minDelta ?? 0.002;
  const rng = new Rng(arch.seed);
  let all = Int32Array.from({ length: x.n }, (_, i) => i);
  rng.shuffle(all);
  if (config.maxTrainRows && all.length > config.maxTrainRows) all = all.slice(0, config.maxTrainRows);
  const vf = config.validationFraction ?? 0.2;
  const nVal = vf > 0 ? Math.max(1, Math.floor(all.length * vf)) : 0;
  const valRows = all.slice(0, nVal);
  const trRows = all.slice(nVal);

  const model = buildDeepModel(arch);
  initOutputBias(model, y, trRows);
  const opt = tf.train.adam(config.learningRate ?? 0.003);
  const xTrain = inputTensors(arch.kind, x, trRows);
  const yTrain = tf.tensor1d(Float32Array.from(trRows, (r) => y[r]));
  const xVal = nVal ? inputTensors(arch.kind, x, valRows) : [];
  const yVal = nVal ? tf.tensor1d(Float32Array.from(valRows, (r) => y[r])) : null;
  const reg = () => (model.losses.length ? tf.addN(model.losses.map((f) => f())) : tf.scalar(0));
  let best = Infinity,
    bestEpoch = -1,
    bestW: tf.Tensor[] | null = null,
    diverged = false,
    trainLoss = NaN,
    epoch = 0;
  const order = Int32Array.from({ length: trRows.length }, (_, i) => i);
  try {
    for (epoch = 0; epoch < epochs; epoch++) {
      const te = Date.now();
      rng.shuffle(order);
      let sum = 0,
        cnt = 0;
      for (let b0 = 0; b0 < order.length; b0 += batch) {
        if (hooks.shouldStop && (await hooks.shouldStop())) throw new TrainingCancelled();
        const idx = tf.tensor1d(order.subarray(b0, Math.min(order.length, b0 + batch)), "int32");
        const xb = xTrain.map((t) => tf.gather(t, idx));
        const yb = tf.gather(yTrain, idx);
        const lossT = opt.minimize(
          () => tf.add(zilnLossTensor(yb, model.apply(xb, { training: true }) as tf.Tensor), reg()) as tf.Scalar,
          true,
        );
        const lv = lossT ? (await lossT.data())[0] : NaN;
        tf.dispose([idx, yb, lossT as tf.Tensor, ...xb]);
        sum += lv * (idx.shape[0] as number);
        cnt += idx.shape[0] as number;
        if (!Number.isFinite(lv)) break;
      }
      trainLoss = sum / cnt;
      const valLoss = nVal
        ? tf.tidy(
            () => zilnLossTensor(yVal!, model.predict(xVal, { batchSize: PREDICT_BATCH }) as tf.Tensor).dataSync()[0],
          )
        : trainLoss;
      if (!Number.isFinite(trainLoss) || !Number.isFinite(valLoss)) {
        diverged = true;
        epoch++;
        break;
      }
      if (valLoss < best - minDelta) {
        best = valLoss;
        bestEpoch = epoch;
        bestW?.forEach((w) => w.dispose());
        bestW = model.getWeights().map((w) => w.clone());
      }
      const dt = Date.now() - te;
      await hooks.onEpoch?.({
        epoch: epoch + 1,
        totalEpochs: epochs,
        loss: trainLoss,
        valLoss,
        etaMs: dt * (epochs - epoch - 1),
      });
      if (epoch - bestEpoch >= patience) {
        epoch++;
        break;
      }
    }
  } finally {
    tf.dispose([...xTrain, yTrain, ...xVal, ...(yVal ? [yVal] : [])]);
    opt.dispose();
  }
  if (bestW) {
    model.setWeights(bestW);
    bestW.forEach((w) => w.dispose());
  }
  return {
    kind: arch.kind,
    model,
    arch,
    epochsRun: Math.min(epoch, epochs),
    bestEpoch: bestEpoch + 1,
    bestValLoss: best,
    trainLoss,
    diverged,
    trainMs: Date.now() - t0,
    valRows,
  };
}

/** Raw ZILN logits (row-major n × 3) for every row of `x`, predicted in chunks. */
export function predictLogits(model: tf.LayersModel, kind: DeepKind, x: DeepInputs, chunk = 8192): Float32Array {
  const out = new Float32Array(x.n * 3);
  for (let s = 0; s < x.n; s += chunk) {
    const rows = Int32Array.from({ length: Math.min(chunk, x.n - s) }, (_, i) => s + i);
    tf.tidy(() => {
      const ins = inputTensors(kind, x, rows);
      out.set(
        (model.predict(ins.length === 1 ? ins[0] : ins, { batchSize: PREDICT_BATCH }) as tf.Tensor).dataSync(),
        s * 3,
      );
    });
  }
  return out;
}

/** LSTM models only: the recurrent embedding (n × units) of every row, to reuse across occlusions of static features. */
export function lstmEmbedding(
  model: tf.LayersModel,
  x: DeepInputs,
  chunk = 8192,
): { emb: Float32Array; units: number } {
  const layer = model.getLayer("lstm");
  const pool = model.layers.find((l) => l.name === "seq_pool");
  const units = (layer.outputShape as number[])[1];
  const emb = new Float32Array(x.n * units);
  const L = x.seqLen * x.seqDims;
  for (let s = 0; s < x.n; s += chunk) {
    const m = Math.min(chunk, x.n - s);
    tf.tidy(() => {
      const seq = tf.tensor3d(x.seq.subarray(s * L, (s + m) * L), [m, x.seqLen, x.seqDims]);
      emb.set((layer.apply(pool ? (pool.apply(seq) as tf.Tensor) : seq) as tf.Tensor).dataSync(), s * units);
    });
  }
  return { emb, units };
}

/** LSTM models only: logits (n × 3) from the static features and a precomputed embedding. */
export function lstmHeadLogits(
  model: tf.LayersModel,
  x: DeepInputs,
  e: { emb: Float32Array; units: number },
  chunk = 8192,
): Float32Array {
  const [s0, cat, h0, out] = ["s0", "concat", "h0", "ziln"].map((n) => model.getLayer(n));
  const res = new Float32Array(x.n * 3);
  for (let s = 0; s < x.n; s += chunk) {
    const m = Math.min(chunk, x.n - s);
    tf.tidy(() => {
      const st = tf.tensor2d(x.static.subarray(s * x.nStatic, (s + m) * x.nStatic), [m, x.nStatic]);
      const em = tf.tensor2d(e.emb.subarray(s * e.units, (s + m) * e.units), [m, e.units]);
      const z = out.apply(h0.apply(cat.apply([em, s0.apply(st) as tf.Tensor]) as tf.Tensor)) as tf.Tensor;
      res.set(z.dataSync(), s * 3);
    });
  }
  return res;
}

/** Serialises a trained model's architecture and weights (base64 float32; no data rows). */
export function serialiseDeep(model: tf.LayersModel, arch: DeepArch): DeepArtefact {
  return {
    format: "horizon-deep-v1",
    arch,
    weights: model.getWeights().map((w) => {
      const f = w.dataSync() as Float32Array;
      return { shape: w.shape, data: Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString("base64") };
    }),
  };
}

/** Rebuilds a model from its artefact; throws a clear error when shapes do not match. */
export function loadDeep(art: DeepArtefact): tf.LayersModel {
  if (art.format !== "horizon-deep-v1") throw new Error(`unknown deep model format ${String(art.format)}`);
  const model = buildDeepModel(art.arch);
  const cur = model.getWeights();
  if (cur.length !== art.weights.length)
    throw new Error(`deep artefact has ${art.weights.length} weight tensors, model needs ${cur.length}`);
  const ws = art.weights.map((w, i) => {
    if (w.shape.join("x") !== cur[i].shape.join("x"))
      throw new Error(`deep artefact weight ${i}: shape ${w.shape} != ${cur[i].shape}`);
    const buf = Buffer.from(w.data, "base64");
    return tf.tensor(new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)), w.shape);
  });
  model.setWeights(ws);
  tf.dispose([...ws]);
  return model;
}
