/**
 * Numerical derivatives (central-difference gradient, Hessian for standard errors) and the small
 * dense linear algebra the fits need (Cholesky, SPD inverse). Re-exported by ./optimize.ts.
 */
import type { Objective } from "./optimize";

/** Central-difference gradient of `f` at `x`, written into `out`. */
export function numericGradient(
  f: Objective,
  x: Float64Array,
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  const xx = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const h = 1e-6 * Math.max(1, Math.abs(x[i]));
    xx[i] = x[i] + h;
    const fp = f(xx);
    xx[i] = x[i] - h;
    const fm = f(xx);
    xx[i] = x[i];
    out[i] = (fp - fm) / (2 * h);
  }
  return out;
}

/**
 * Hessian by central differences. With an analytic gradient it differentiates the gradient
 * (more accurate); otherwise it uses second differences of f. Symmetrised.
 */
export function numericHessian(f: Objective, x: Float64Array, analyticGradient = false): Float64Array[] {
  const n = x.length;
  const H: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  const xx = Float64Array.from(x);
  if (analyticGradient) {
    const gp = new Float64Array(n);
    const gm = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const h = 1e-5 * Math.max(1, Math.abs(x[j]));
      xx[j] = x[j] + h;
      f(xx, gp);
      xx[j] = x[j] - h;
      f(xx, gm);
      xx[j] = x[j];
      for (let i = 0; i < n; i++) H[i][j] = (gp[i] - gm[i]) / (2 * h);
    }
  } else {
    const f0 = f(xx);
    const hs = Array.from(x, (v) => 1e-4 * Math.max(1, Math.abs(v)));
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        if (i === j) {
          xx[i] = x[i] + hs[i];
          const fp = f(xx);
          xx[i] = x[i] - hs[i];
          const fm = f(xx);
          xx[i] = x[i];
          H[i][i] = (fp - 2 * f0 + fm) / (hs[i] * hs[i]);
        } else {
          const v = (a: number, b: number) => {
            xx[i] = x[i] + a * hs[i];
            xx[j] = x[j] + b * hs[j];
            const r = f(xx);
            xx[i] = x[i];
            xx[j] = x[j];
            return r;
          };
          H[i][j] = H[j][i] = (v(1, 1) - v(1, -1) - v(-1, 1) + v(-1, -1)) / (4 * hs[i] * hs[j]);
        }
      }
    }
  }
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (H[i][j] + H[j][i]);
      H[i][j] = s;
      H[j][i] = s;
    }
  return H;
}

/** Inverse of a small symmetric positive-definite matrix (Cholesky); null if not SPD. */
export function invertSPD(A: Float64Array[]): Float64Array[] | null {
  const n = A.length;
  const L: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  // inv(L) then inv(A) = inv(L)^T inv(L)
  const Li: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    Li[i][i] = 1 / L[i][i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i][k] * Li[k][j];
      Li[i][j] = s / L[i][i];
    }
  }
  const inv: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < n; k++) s += Li[k][i] * Li[k][j];
      inv[i][j] = s;
    }
  return inv;
}

/** Cholesky factor (lower) of an SPD matrix, or null. Used to sample parameter vectors. */
export function cholesky(A: Float64Array[]): Float64Array[] | null {
  const n = A.length;
  const L: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  return L;
}
