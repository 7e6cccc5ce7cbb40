/**
 * Special functions used by the BTYD likelihoods and predictions.
 * Thin, typed wrappers over @stdlib (Cephes-quality implementations) plus the log-space helpers
 * that keep the likelihoods finite (log-sum-exp, logistic, log1p-exp).
 */
import stdGammaln from "@stdlib/math-base-special-gammaln";
import stdDigamma from "@stdlib/math-base-special-digamma";
import stdBetaln from "@stdlib/math-base-special-betaln";
import stdHyp2f1 from "@stdlib/math-base-special-hyp2f1";

export const gammaln: (x: number) => number = stdGammaln;
export const digamma: (x: number) => number = stdDigamma;
export const betaln: (a: number, b: number) => number = stdBetaln;

/** ln(e^a + e^b) without overflow; handles -Infinity terms. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ln(e^a - e^b) for a >= b (returns -Infinity when equal, NaN when a < b). */
export function logSubExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  if (a < b) return NaN;
  return a + Math.log1p(-Math.exp(b - a));
}

/** Logistic function σ(u) = 1/(1+e^{-u}), exact 0 and 1 in the tails without overflow. */
export function sigmoid(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

/** softplus(u) = ln(1 + e^u), stable. */
export function softplus(u: number): number {
  return u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
}

/** ln n! */
export function lfactorial(n: number): number {
  return gammaln(n + 1);
}

/**
 * Gauss hypergeometric ₂F₁(a, b; c; z) for z < 1. Falls back to the Euler transform
 * (1−z)^{c−a−b} ₂F₁(c−a, c−b; c; z) when the direct evaluation is not finite or negative
 * where it cannot be (lifetimes issue #302).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const v = stdHyp2f1(a, b, c, z);
  if (Number.isFinite(v) && v > 0) return v;
  const w = Math.pow(1 - z, c - a - b) * stdHyp2f1(c - a, c - b, c, z);
  return Number.isFinite(w) ? w : v;
}
