/**
 * Ridge regression in closed form, and the article's "linear regression on log-spend features":
 * log1p(future spend) regressed on (standardised) features, back-transformed to mean spend with
 * Duan's smearing factor so totals are not systematically low (tabular.ts), with the log-scale
 * prediction capped at the largest training target (no exponential extrapolation). Pure, no I/O.
 *
 * Objective: mean over rows of (y − b0 − x·b)² + λ‖b‖² (the intercept b0 is not penalised), solved
 * on centred columns: (XcᵀXc / n + λI) b = Xcᵀyc / n, b0 = ȳ − x̄·b. With λ > 0 the system is SPD even
 * for constant or collinear columns.
 */
import { ClvInputError } from "./common";
import {
  checkMatrix,
  checkWidth,
  log1pTarget,
  smearedSpend,
  smearingFactor,
  solveSpd,
  type FeatureMatrix,
} from "./tabular";

/** Fit options of ridge regression. */
export interface RidgeConfig {
  /** L2 penalty λ on the coefficients (per-row scale, see module comment). Default 1e-3; must be > 0. */
  lambda?: number;
}

/** A fitted ridge regression (plain JSON). */
export interface FittedRidge {
  model: "ridge";
  version: 1;
  intercept: number;
  coef: number[];
  lambda: number;
  /** Rows fitted on. */
  n: number;
  /** Root mean squared training residual (in the target's units). */
  trainRmse: number;
  fitMs: number;
}

/** Ridge regression on a log1p(spend) target, with the smearing factor of its training residuals. */
export interface FittedLogSpendRidge extends Omit<FittedRidge, "model"> {
  model: "ridge-log-spend";
  /** Duan's smearing factor: spend = exp(ẑ) · smearing − 1. */
  smearing: number;
  /**
   * Largest log1p(spend) seen in training: ẑ is capped there, so a customer whose features lie
   * far along a coefficient (e.g. a very large past spend) is not extrapolated exponentially.
   */
  zMax: number;
}

/** Fits ridge regression of `y` on `X`. */
export function fitRidge(X: FeatureMatrix, y: ArrayLike<number>, cfg: RidgeConfig = {}): FittedRidge {
  const t0 = Date.now();
  checkMatrix(X, y);
  const lambda = cfg.lambda ?? 1e-3;
  if (!(lambda > 0) || !Number.isFinite(lambda))
    throw new ClvInputError(`ridge: lambda must be a positive finite number (got ${lambda})`, "lambda");
  const { n, d, x } = X;
  if (n < 2) throw new ClvInputError(`ridge: need at least 2 rows (got ${n})`, "X");
  const mean = new Float64Array(d);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += y[i];
    for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  }
  yMean /= n;
  for (let j = 0; j < d; j++) mean[j] /= n;
  const A = new Float64Array(d * d);
  const r = new Float64Array(d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x[i * d + j] - mean[j];
    const yc = y[i] - yMean;
    for (let j = 0; j < d; j++) {
      const v = row[j];
      r[j] += v * yc;
      for (let k = 0; k <= j; k++) A[j * d + k] += v * row[k];
    }
  }
  for (let j = 0; j < d; j++) {
    r[j] /= n;
    for (let k = 0; k <= j; k++) {
      A[j * d + k] /= n;
      A[k * d + j] = A[j * d + k];
    }
    A[j * d + j] += lambda;
  }
  const b = solveSpd(A, r, d);
  if (!b) throw new ClvInputError("ridge: the normal equations are not positive definite", "X");
  let b0 = yMean;
  for (let j = 0; j < d; j++) b0 -= mean[j] * b[j];
  const fitted: FittedRidge = {
    model: "ridge",
    version: 1,
    intercept: b0,
    coef: Array.from(b),
    lambda,
    n,
    trainRmse: 0,
    fitMs: 0,
  };
  const p = predictRidge(fitted, X);
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - p[i]) ** 2;
  fitted.trainRmse = Math.sqrt(sse / n);
  fitted.fitMs = Date.now() - t0;
  return fitted;
}

/** Linear predictions b0 + x·b for every row. */
export function predictRidge(f: Pick<FittedRidge, "intercept" | "coef">, X: FeatureMatrix): Float64Array {
  checkWidth("ridge", f.coef, X);
  const { n, d, x } = X;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = f.intercept;
    for (let j = 0; j < d; j++) s += f.coef[j] * x[i * d + j];
    out[i] = s;
  }
  return out;
}

/** Fits the log-spend regression: log1p(spend) on X, with the smearing factor of its residuals. */
export function fitLogSpendRidge(
  X: FeatureMatrix,
  spend: ArrayLike<number>,
  cfg: RidgeConfig = {},
): FittedLogSpendRidge {
  const z = log1pTarget(spend);
  const f = fitRidge(X, z, cfg);
  let zMax = 0;
  for (const v of z) zMax = Math.max(zMax, v);
  const smearing = smearingFactor(capped(predictRidge(f, X), zMax), z);
  return { ...f, model: "ridge-log-spend", smearing, zMax };
}

const capped = (zHat: Float64Array, zMax: number) => zHat.map((v) => Math.min(v, zMax));

/** Expected spend per row (smeared back-transform of the log1p prediction). */
export function predictLogSpendRidge(f: FittedLogSpendRidge, X: FeatureMatrix): Float64Array {
  return smearedSpend(capped(predictRidge(f, X), f.zMax), f.smearing);
}

/** Validates a parsed fitted log-spend ridge (e.g. from a saved artefact); throws naming the bad field. */
export function logSpendRidgeFromJSON(input: unknown): FittedLogSpendRidge {
  const o = (typeof input === "string" ? JSON.parse(input) : input) as Record<string, unknown>;
  const bad = (f: string, what: string): never => {
    throw new ClvInputError(`fitted ridge-log-spend: ${f} ${what}`, f);
  };
  if (!o || typeof o !== "object") bad("(root)", "must be an object");
  if (o.model !== "ridge-log-spend") bad("model", `must be "ridge-log-spend" (got ${JSON.stringify(o.model)})`);
  if (o.version !== 1) bad("version", "must be 1");
  if (!Array.isArray(o.coef) || !o.coef.every((v) => typeof v === "number" && Number.isFinite(v)))
    bad("coef", "must be an array of finite numbers");
  for (const f of ["intercept", "lambda", "n", "trainRmse", "fitMs", "zMax"])
    if (typeof o[f] !== "number" || !Number.isFinite(o[f])) bad(f, "must be a finite number");
  if (typeof o.smearing !== "number" || !(o.smearing >= 1)) bad("smearing", "must be a number >= 1");
  return o as unknown as FittedLogSpendRidge;
}
