/**
 * Shared pieces of the feature-based estimators (ridge, logistic, gradient-boosted trees): the
 * row-major feature matrix, input checks, a small SPD solver and the log1p back-transform with
 * Duan's smearing factor. Pure, no I/O.
 *
 * Log-spend models predict z = log1p(spend). exp(E[z]) − 1 is the median-like back-transform and
 * is systematically low for the mean (Jensen); Duan's smearing estimate corrects it without a
 * distributional assumption: E[1 + spend | x] ≈ exp(ẑ(x)) · S with S = mean over training rows of
 * exp(z − ẑ) (N. Duan, "Smearing estimate", JASA 1983). See docs/models/model-zoo.md.
 */
import { ClvInputError } from "./common";

/** Row-major n × d feature matrix (standardised features are expected by the linear models). */
export interface FeatureMatrix {
  n: number;
  d: number;
  x: Float32Array | Float64Array;
}

/** Checks shape and finiteness of a matrix and (optionally) a target of the same length. */
export function checkMatrix(X: FeatureMatrix, y?: ArrayLike<number>, what = "target"): void {
  if (!Number.isInteger(X.n) || !Number.isInteger(X.d) || X.n < 0 || X.d < 1)
    throw new ClvInputError(`feature matrix: n and d must be integers with d >= 1 (got n=${X.n}, d=${X.d})`, "X");
  if (X.x.length !== X.n * X.d)
    throw new ClvInputError(`feature matrix: expected ${X.n * X.d} values (n × d), got ${X.x.length}`, "X");
  for (let i = 0; i < X.x.length; i++)
    if (!Number.isFinite(X.x[i]))
      throw new ClvInputError(
        `feature matrix: non-finite value at row ${Math.floor(i / X.d)}, column ${i % X.d} (${X.x[i]})`,
        "X",
        Math.floor(i / X.d),
      );
  if (y) {
    if (y.length !== X.n) throw new ClvInputError(`${what}: expected ${X.n} values, got ${y.length}`, what);
    for (let i = 0; i < y.length; i++)
      if (!Number.isFinite(y[i])) throw new ClvInputError(`${what}: non-finite value at row ${i} (${y[i]})`, what, i);
  }
}

/** Checks that a fitted linear form matches the matrix width. */
export function checkWidth(model: string, coef: readonly number[], X: FeatureMatrix): void {
  if (coef.length !== X.d)
    throw new ClvInputError(`${model}: fitted on ${coef.length} features, matrix has ${X.d} columns`, "X");
}

/** Solves A·b = r for SPD A (d × d, row-major, overwritten) by Cholesky; null when not SPD. */
export function solveSpd(A: Float64Array, r: Float64Array, d: number): Float64Array | null {
  for (let j = 0; j < d; j++) {
    let s = A[j * d + j];
    for (let k = 0; k < j; k++) s -= A[j * d + k] * A[j * d + k];
    if (!(s > 0)) return null;
    const ljj = Math.sqrt(s);
    A[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = A[i * d + j];
      for (let k = 0; k < j; k++) t -= A[i * d + k] * A[j * d + k];
      A[i * d + j] = t / ljj;
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = r[i];
    for (let k = 0; k < i; k++) s -= A[i * d + k] * z[k];
    z[i] = s / A[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < d; k++) s -= A[k * d + i] * z[k];
    z[i] = s / A[i * d + i];
  }
  return z;
}

/** Non-negative spend targets → log1p (clear error on negative or non-finite spend). */
export function log1pTarget(spend: ArrayLike<number>): Float64Array {
  const z = new Float64Array(spend.length);
  for (let i = 0; i < spend.length; i++) {
    const v = spend[i];
    if (!Number.isFinite(v)) throw new ClvInputError(`spend: non-finite value at row ${i} (${v})`, "spend", i);
    // Net spend can dip below zero when refunds exceed the window's orders: counted as no spend.
    z[i] = Math.log1p(Math.max(0, v));
  }
  return z;
}

/** Duan's smearing factor S = mean exp(z − ẑ) of log1p-scale residuals (1 when there are no rows). */
export function smearingFactor(zHat: ArrayLike<number>, z: ArrayLike<number>): number {
  if (!z.length) return 1;
  let s = 0;
  for (let i = 0; i < z.length; i++) s += Math.exp(Math.min(50, z[i] - zHat[i]));
  return s / z.length;
}

/** Mean spend from log1p-scale predictions: max(0, exp(ẑ) · S − 1). */
export function smearedSpend(zHat: ArrayLike<number>, smearing: number): Float64Array {
  const out = new Float64Array(zHat.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.exp(Math.min(50, zHat[i])) * smearing - 1);
  return out;
}

/** Rows `rows` of a matrix (copy), for train/validation splits. */
export function takeRows(X: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const x = new Float64Array(rows.length * X.d);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    for (let j = 0; j < X.d; j++) x[k * X.d + j] = X.x[r * X.d + j];
  }
  return { n: rows.length, d: X.d, x };
}
