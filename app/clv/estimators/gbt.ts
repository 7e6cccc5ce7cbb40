/**
 * Gradient-boosted regression trees, histogram-based (a small, tested implementation; why not a
 * library: docs/decisions/0014-model-zoo.md). Pure, deterministic for a seed, no I/O.
 *
 * Squared loss on the target (the CLV candidate passes log1p(spend), back-transformed with Duan's
 * smearing factor, tabular.ts). Boosting: start from the target mean; each round fits a tree to the
 * residuals of a seeded row subsample and adds `learningRate` × its leaf values.
 * Trees: every feature is cut into at most `bins` quantile bins once, before boosting; a node is
 * split on the (feature, bin boundary) with the largest gain
 *   G_L² / (n_L + λ) + G_R² / (n_R + λ) − G² / (n + λ)   (G = sum of residuals, n = rows)
 * among splits leaving at least `minLeaf` rows on each side, down to `maxDepth`; a leaf's value is
 * G / (n + λ) (XGBoost's L2-shrunk mean). Ties keep the lowest feature and bin, so the result does
 * not depend on anything but the data and the seed.
 *
 * The fitted form stores raw-value thresholds (x ≤ threshold goes left), so prediction needs no
 * binning and the JSON form is self-contained.
 */
import { Rng } from "../rng";
import { ClvInputError } from "./common";
import { checkMatrix, log1pTarget, smearedSpend, smearingFactor, type FeatureMatrix } from "./tabular";

/** Fit options of the boosted trees. */
export interface GbtConfig {
  /** Boosting rounds (default 100). */
  trees?: number;
  /** Shrinkage per round (default 0.1). */
  learningRate?: number;
  /** Maximum tree depth (default 3; 1 = stumps). */
  maxDepth?: number;
  /** Minimum rows in each leaf (default 50). */
  minLeaf?: number;
  /** Maximum histogram bins per feature, 2–256 (default 32). */
  bins?: number;
  /** L2 shrinkage λ of the leaf values (default 1). */
  lambda?: number;
  /** Row fraction sampled (without replacement) for each tree (default 0.8; 1 = all rows). */
  subsample?: number;
  /** Seed of the row subsamples (default 1). */
  seed?: number;
}

/** One tree as flat node arrays; node 0 is the root, `feature[k] < 0` marks a leaf. */
export interface GbtTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Leaf value (learning rate already applied); 0 for inner nodes. */
  value: number[];
}

/** A fitted boosted-tree ensemble (plain JSON). */
export interface FittedGbt {
  model: "gbt";
  version: 1;
  nFeatures: number;
  base: number;
  trees: GbtTree[];
  config: Required<GbtConfig>;
  n: number;
  trainRmse: number;
  /** Total split gain per feature (importance), summed over trees. */
  gain: number[];
  fitMs: number;
}

/** Boosted trees on a log1p(spend) target, with the smearing factor of the training residuals. */
export interface FittedLogSpendGbt extends Omit<FittedGbt, "model"> {
  model: "gbt-log-spend";
  smearing: number;
}

const DEFAULTS: Required<GbtConfig> = {
  trees: 100,
  learningRate: 0.1,
  maxDepth: 3,
  minLeaf: 50,
  bins: 32,
  lambda: 1,
  subsample: 0.8,
  seed: 1,
};

function checkConfig(c: Required<GbtConfig>): void {
  const bad = (f: string, v: number, what: string): never => {
    throw new ClvInputError(`gbt: ${f} must be ${what} (got ${v})`, f);
  };
  if (!Number.isInteger(c.trees) || c.trees < 1) bad("trees", c.trees, "an integer >= 1");
  if (!(c.learningRate > 0 && c.learningRate <= 1)) bad("learningRate", c.learningRate, "in (0, 1]");
  if (!Number.isInteger(c.maxDepth) || c.maxDepth < 1 || c.maxDepth > 12) bad("maxDepth", c.maxDepth, "1–12");
  if (!Number.isInteger(c.minLeaf) || c.minLeaf < 1) bad("minLeaf", c.minLeaf, "an integer >= 1");
  if (!Number.isInteger(c.bins) || c.bins < 2 || c.bins > 256) bad("bins", c.bins, "an integer in 2–256");
  if (!(c.lambda >= 0) || !Number.isFinite(c.lambda)) bad("lambda", c.lambda, "a finite number >= 0");
  if (!(c.subsample > 0 && c.subsample <= 1)) bad("subsample", c.subsample, "in (0, 1]");
}

/**
 * Quantile bin edges per feature (ascending, distinct, below the column's maximum); bin b holds
 * values in (edge[b−1], edge[b]], the last bin everything above the last edge.
 */
function binEdges(X: FeatureMatrix, bins: number): number[][] {
  const { n, d, x } = X;
  const col = new Float64Array(n);
  const edges: number[][] = [];
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = x[i * d + j];
    col.sort();
    const e: number[] = [];
    for (let b = 1; b < bins; b++) {
      const cut = col[Math.floor((b * n) / bins) - 1]; // largest value of the lowest b/bins share
      if (cut === undefined || cut >= col[n - 1]) continue; // nothing would go right
      if (!e.length || cut > e[e.length - 1]) e.push(cut);
    }
    edges.push(e);
  }
  return edges;
}

function binMatrix(X: FeatureMatrix, edges: number[][]): Uint8Array {
  const { n, d, x } = X;
  const out = new Uint8Array(n * d);
  for (let j = 0; j < d; j++) {
    const e = edges[j];
    for (let i = 0; i < n; i++) {
      const v = x[i * d + j];
      let lo = 0,
        hi = e.length; // first edge ≥ v
      while (lo < hi) {
        const m = (lo + hi) >> 1;
        if (e[m] < v) lo = m + 1;
        else hi = m;
      }
      out[i * d + j] = lo;
    }
  }
  return out;
}

/** Fits boosted regression trees to `y` (squared loss). */
export function fitGbt(X: FeatureMatrix, y: ArrayLike<number>, config: GbtConfig = {}): FittedGbt {
  const t0 = Date.now();
  checkMatrix(X, y);
  const c: Required<GbtConfig> = { ...DEFAULTS, ...config };
  checkConfig(c);
  const { n, d } = X;
  if (n < 2) throw new ClvInputError(`gbt: need at least 2 rows (got ${n})`, "X");
  const edges = binEdges(X, c.bins);
  const B = binMatrix(X, edges);
  let base = 0;
  for (let i = 0; i < n; i++) base += y[i];
  base /= n;
  const pred = new Float64Array(n).fill(base);
  const resid = new Float64Array(n);
  const rng = new Rng(c.seed);
  const m = Math.max(1, Math.round(c.subsample * n));
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const rows = new Int32Array(m);
  const scratch = new Int32Array(m);
  const nb = c.bins;
  const histG = new Float64Array(d * nb),
    histN = new Float64Array(d * nb);
  const gain = new Array<number>(d).fill(0);
  const trees: GbtTree[] = [];

  for (let t = 0; t < c.trees; t++) {
    for (let i = 0; i < n; i++) resid[i] = y[i] - pred[i];
    if (m < n) {
      // Partial Fisher–Yates: the first m entries are a uniform sample without replacement.
      for (let k = 0; k < m; k++) {
        const r = k + rng.int(n - k);
        const tmp = all[k];
        all[k] = all[r];
        all[r] = tmp;
      }
      rows.set(all.subarray(0, m));
      rows.sort();
    } else rows.set(all);
    const tree: GbtTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const build = (start: number, end: number, depth: number): number => {
      const id = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      let G = 0;
      for (let k = start; k < end; k++) G += resid[rows[k]];
      const cnt = end - start;
      let best = { gain: 1e-12, j: -1, b: -1 };
      if (depth < c.maxDepth && cnt >= 2 * c.minLeaf) {
        histG.fill(0);
        histN.fill(0);
        for (let k = start; k < end; k++) {
          const r = rows[k];
          const g = resid[r];
          const o = r * d;
          for (let j = 0; j < d; j++) {
            const h = j * nb + B[o + j];
            histG[h] += g;
            histN[h] += 1;
          }
        }
        const parent = (G * G) / (cnt + c.lambda);
        for (let j = 0; j < d; j++) {
          let gl = 0,
            nl = 0;
          const last = edges[j].length; // bins 0..last; a split after bin b < last
          for (let b = 0; b < last; b++) {
            gl += histG[j * nb + b];
            nl += histN[j * nb + b];
            const nr = cnt - nl;
            if (nl < c.minLeaf) continue;
            if (nr < c.minLeaf) break;
            const gr = G - gl;
            const gn = (gl * gl) / (nl + c.lambda) + (gr * gr) / (nr + c.lambda) - parent;
            if (gn > best.gain) best = { gain: gn, j, b };
          }
        }
      }
      if (best.j < 0) {
        const v = (c.learningRate * G) / (cnt + c.lambda);
        tree.value[id] = v;
        return id;
      }
      // Partition rows[start, end) stably: bin ≤ b to the left.
      let l = start,
        s = 0;
      for (let k = start; k < end; k++) {
        const r = rows[k];
        if (B[r * d + best.j] <= best.b) rows[l++] = r;
        else scratch[s++] = r;
      }
      rows.set(scratch.subarray(0, s), l);
      gain[best.j] += best.gain;
      tree.feature[id] = best.j;
      tree.threshold[id] = edges[best.j][best.b];
      tree.left[id] = build(start, l, depth + 1);
      tree.right[id] = build(l, end, depth + 1);
      return id;
    };
    build(0, m, 0);
    trees.push(tree);
    // Update every row's prediction (out-of-bag rows too) through the raw thresholds.
    for (let i = 0; i < n; i++) pred[i] += treeValue(tree, X.x, i * d);
  }
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - pred[i]) ** 2;
  return {
    model: "gbt",
    version: 1,
    nFeatures: d,
    base,
    trees,
    config: c,
    n,
    trainRmse: Math.sqrt(sse / n),
    gain,
    fitMs: Date.now() - t0,
  };
}

function treeValue(tree: GbtTree, x: ArrayLike<number>, offset: number): number {
  let k = 0;
  while (tree.feature[k] >= 0) k = x[offset + tree.feature[k]] <= tree.threshold[k] ? tree.left[k] : tree.right[k];
  return tree.value[k];
}

/** Predictions of the ensemble for every row. */
export function predictGbt(f: Pick<FittedGbt, "nFeatures" | "base" | "trees">, X: FeatureMatrix): Float64Array {
  if (X.d !== f.nFeatures)
    throw new ClvInputError(`gbt: fitted on ${f.nFeatures} features, matrix has ${X.d} columns`, "X");
  const out = new Float64Array(X.n).fill(f.base);
  for (const tree of f.trees) for (let i = 0; i < X.n; i++) out[i] += treeValue(tree, X.x, i * X.d);
  return out;
}

/** Fits boosted trees on log1p(spend), with the smearing factor of the training residuals. */
export function fitLogSpendGbt(X: FeatureMatrix, spend: ArrayLike<number>, config: GbtConfig = {}): FittedLogSpendGbt {
  const z = log1pTarget(spend);
  const f = fitGbt(X, z, config);
  return { ...f, model: "gbt-log-spend", smearing: smearingFactor(predictGbt(f, X), z) };
}

/** Expected spend per row (smeared back-transform). */
export function predictLogSpendGbt(f: FittedLogSpendGbt, X: FeatureMatrix): Float64Array {
  return smearedSpend(predictGbt(f, X), f.smearing);
}

/** Validates a parsed fitted log-spend GBT (structure of every tree); throws naming the bad field. */
export function logSpendGbtFromJSON(input: unknown): FittedLogSpendGbt {
  const o = (typeof input === "string" ? JSON.parse(input) : input) as Record<string, unknown>;
  const bad = (f: string, what: string): never => {
    throw new ClvInputError(`fitted gbt-log-spend: ${f} ${what}`, f);
  };
  if (!o || typeof o !== "object") bad("(root)", "must be an object");
  if (o.model !== "gbt-log-spend") bad("model", `must be "gbt-log-spend" (got ${JSON.stringify(o.model)})`);
  if (o.version !== 1) bad("version", "must be 1");
  const nf = o.nFeatures as number;
  if (!Number.isInteger(nf) || nf < 1) bad("nFeatures", "must be an integer >= 1");
  for (const f of ["base", "smearing"])
    if (typeof o[f] !== "number" || !Number.isFinite(o[f])) bad(f, "must be a finite number");
  if (!Array.isArray(o.trees)) bad("trees", "must be an array");
  (o.trees as GbtTree[]).forEach((t, i) => {
    const len = t?.feature?.length;
    if (!len || !["threshold", "left", "right", "value"].every((k) => t[k as keyof GbtTree]?.length === len))
      bad(`trees[${i}]`, "must have node arrays of equal, non-zero length");
    for (let k = 0; k < len; k++) {
      const f = t.feature[k];
      if (!Number.isInteger(f) || f >= nf) bad(`trees[${i}].feature[${k}]`, `must be an integer < ${nf}`);
      if (f >= 0 && !(t.left[k] > k && t.right[k] > k && t.left[k] < len && t.right[k] < len))
        bad(`trees[${i}] node ${k}`, "has children out of range");
      if (!Number.isFinite(t.threshold[k]) || !Number.isFinite(t.value[k]))
        bad(`trees[${i}] node ${k}`, "has a non-finite threshold or value");
    }
  });
  return o as unknown as FittedLogSpendGbt;
}
