/**
 * Pareto/NBD likelihood (split from paretonbd.ts, which fits and predicts): the model's parameter
 * types, ln ₂F₁(1, b; c; z) with derivatives, the A₀ term in log space and the weighted
 * log-likelihood evaluator with its exact analytic gradient. Numerics are described in paretonbd.ts.
 */
import { digamma, gammaln, logAddExp, sigmoid } from "../math/special";
import type { FittedModel } from "./types";
import { groupRows, gather } from "../math/group";
import type { LogFitConfig } from "./common";

/** Parameter names of the Pareto/NBD model. */
export type ParetoNbdParam = "r" | "alpha" | "s" | "beta";
/** A fitted Pareto/NBD model (JSON-serialisable; see FittedModel). */
export type FittedParetoNbd = FittedModel<ParetoNbdParam>;
/** Fit options (see {@link LogFitConfig}); the penalty is λ·Σp² on the scaled-time parameters. */
export type ParetoNbdConfig = LogFitConfig<ParetoNbdParam>;

/** Pareto/NBD parameters in the data's time units. */
export type ParetoNbdParams = {
  /** Shape of the Gamma prior on the purchase rate λ. */
  r: number;
  /** Rate (inverse time scale) of the Gamma prior on λ. */
  alpha: number;
  /** Shape of the Gamma prior on the dropout rate μ. */
  s: number;
  /** Rate (inverse time scale) of the Gamma prior on μ. */
  beta: number;
};

// ---------------------------------------------------------------------------------------------
// ln ₂F₁(1, b; c; z) with derivatives (b < c, 0 ≤ z < 1): Σ_k (b)_k/(c)_k z^k, all terms > 0.

const MAX_TERMS = 200000;

/**
 * ln G(b, c, z) with G = ₂F₁(1, b; c; z), for 0 < b < c and 0 ≤ z < 1. Writes
 * [∂lnG/∂b, ∂lnG/∂c, ∂lnG/∂z] into `d` when given. The term ratio (b+k)/(c+k)·z stays below z,
 * so the remaining tail after a term τ is at most τ·z/(1−z); the loop stops when that is below
 * 1e-17 of the sum.
 */
export function lnHyp2f1One(b: number, c: number, z: number, d?: Float64Array): number {
  let tau = 1;
  let sum = 1;
  let sb = 0;
  let sc = 0;
  let sz = 0;
  let db = 0;
  let dc = 0;
  const tailFactor = z / (1 - z);
  for (let k = 0; k < MAX_TERMS; k++) {
    const ratio = (b + k) / (c + k);
    // τ_{k+1}/z = τ_k·ratio: the z-derivative term of τ_{k+1} is (k+1)·τ_k·ratio.
    sz += (k + 1) * tau * ratio;
    tau *= ratio * z;
    db += 1 / (b + k);
    dc += 1 / (c + k);
    sum += tau;
    sb += tau * db;
    sc += tau * dc;
    if (tau * tailFactor * (1 + db + dc) <= 1e-17 * sum) break;
  }
  if (d) {
    d[0] = sb / sum;
    d[1] = -sc / sum;
    d[2] = sz / sum;
  }
  return Math.log(sum);
}

const sd = new Float64Array(3);

/**
 * u(t) = ln[ ₂F₁(ρ, c; ρ+1; Δ/(M+t)) / (M+t)^ρ ] with the case split of docs/reference/clv-engine.md §4.3, and its gradient
 * with respect to (r, α, s, β) written into `g`. Internal: shared with the conditional PMF in
 * paretonbd.ts.
 */
export function uTerm(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  t: number,
  g: Float64Array | null,
): number {
  const rho = r + s + x;
  const at = alpha + t;
  const bt = beta + t;
  const la = Math.log(at);
  const lb = Math.log(bt);
  if (alpha >= beta) {
    // (M, c) = (α, s+1); Euler: (1−z)^{−s}·G(1, r+x; ρ+1; z), 1−z = (β+t)/(α+t).
    const z = (alpha - beta) / at;
    const lg = lnHyp2f1One(r + x, rho + 1, z, g ? sd : undefined);
    if (g) {
      g[0] = -la + sd[0] + sd[1];
      g[1] = (s - rho) / at + (sd[2] * bt) / (at * at);
      g[2] = -lb + sd[1];
      g[3] = -s / bt - sd[2] / at;
    }
    return -s * (lb - la) - rho * la + lg;
  }
  // (M, c) = (β, r+x); Euler: (1−z)^{1−r−x}·G(1, s+1; ρ+1; z), 1−z = (α+t)/(β+t).
  const z = (beta - alpha) / bt;
  const lg = lnHyp2f1One(s + 1, rho + 1, z, g ? sd : undefined);
  const k = 1 - r - x;
  if (g) {
    g[0] = -la + sd[1];
    g[1] = k / at - sd[2] / bt;
    g[2] = -lb + sd[0] + sd[1];
    g[3] = -k / bt - rho / bt + (sd[2] * at) / (bt * bt);
  }
  return k * (la - lb) - rho * lb + lg;
}

/**
 * ln A₀ of §4.3 for one customer (−Infinity when t_x = T). Finite for very large x where the
 * direct ₂F₁ would overflow (PNBD.6). (The fit's gradient of ln A₀ lives in the likelihood evaluator.)
 */
export function paretoNbdLogA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  if (!(tx < T)) return -Infinity;
  const u1 = uTerm(p.r, p.alpha, p.s, p.beta, x, tx, null);
  const u2 = uTerm(p.r, p.alpha, p.s, p.beta, x, T, null);
  return u1 + Math.log(-Math.expm1(u2 - u1)); // u2 ≤ u1: the integrand of A₀ is positive
}

/** Per-customer inputs for the likelihood: positional arrays of equal length. */
export interface PnbdRows {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  weights?: ArrayLike<number>;
}

/**
 * Builds the weighted log-likelihood Σ w_i ln L_i for fixed data, to be evaluated at many
 * parameter vectors (raw parameters, the data's time units). Returns `(p, grad?) => LL`; `grad`,
 * when given, receives ∂LL/∂(r, α, s, β). Parameters ≤ 0 give −Infinity (lifetimes' convention).
 *
 * The ₂F₁ terms u(t) depend on a customer only through (x, t), so they are evaluated once per
 * distinct (x, T) and (x, t_x) pair (a few thousand pairs for a million customers), as are the
 * lnΓ/ψ terms per distinct x; each row then costs a handful of exp/log calls.
 */
export function paretoNbdLikelihoodEvaluator(x: Float64Array, tx: Float64Array, T: Float64Array, w?: Float64Array) {
  const n = x.length;
  const gT = groupRows([x, T]);
  const gt = groupRows([x, tx]);
  const gx = groupRows([x]);
  const xT = gather(x, gT.first);
  const TT = gather(T, gT.first);
  const xt = gather(x, gt.first);
  const tt = gather(tx, gt.first);
  const xs = gather(x, gx.first);
  const iT = gT.groupOf;
  const it = gt.groupOf;
  const ix = gx.groupOf;
  let W = 0;
  for (let i = 0; i < n; i++) W += w ? w[i] : 1;
  const uT = new Float64Array(gT.size);
  const duT = new Float64Array(4 * gT.size);
  const l1 = new Float64Array(gT.size);
  const dl1 = new Float64Array(4 * gT.size);
  const ut = new Float64Array(gt.size);
  const dut = new Float64Array(4 * gt.size);
  const lgx = new Float64Array(gx.size);
  const psx = new Float64Array(gx.size);
  const tmp = new Float64Array(4);
  return (p: ParetoNbdParams, grad?: Float64Array): number => {
    if (grad) grad.fill(0);
    const { r, alpha, s, beta } = p;
    if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return -Infinity;
    const g = grad ? tmp : null;
    for (let k = 0; k < gT.size; k++) {
      const xk = xT[k];
      const t = TT[k];
      uT[k] = uTerm(r, alpha, s, beta, xk, t, g);
      const laT = Math.log(alpha + t);
      const lbT = Math.log(beta + t);
      l1[k] = -(r + xk) * laT - s * lbT;
      if (g) {
        duT.set(g, 4 * k);
        dl1[4 * k] = -laT;
        dl1[4 * k + 1] = -(r + xk) / (alpha + t);
        dl1[4 * k + 2] = -lbT;
        dl1[4 * k + 3] = -s / (beta + t);
      }
    }
    for (let k = 0; k < gt.size; k++) {
      ut[k] = uTerm(r, alpha, s, beta, xt[k], tt[k], g);
      if (g) dut.set(g, 4 * k);
    }
    for (let k = 0; k < gx.size; k++) {
      lgx[k] = gammaln(r + xs[k]);
      if (grad) psx[k] = digamma(r + xs[k]);
    }
    const ls = Math.log(s);
    let total = 0;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    let g3 = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      if (wi === 0) continue;
      const kT = iT[i];
      const kx = ix[i];
      const xi = xs[kx];
      const rho = r + s + xi;
      const a1 = l1[kT];
      let a2 = -Infinity;
      let d = 0;
      let one = 0;
      const kt = it[i];
      if (tx[i] < T[i]) {
        d = uT[kT] - ut[kt]; // ≤ 0: the A₀ integrand is positive
        one = -Math.expm1(d);
        a2 = ls - Math.log(rho) + ut[kt] + Math.log(one);
      }
      total += wi * (lgx[kx] + logAddExp(a1, a2));
      if (grad) {
        const w2 = a2 === -Infinity ? 0 : sigmoid(a2 - a1);
        const w1 = 1 - w2;
        const q = 4 * kT;
        let b0 = 0;
        let b1 = 0;
        let b2 = 0;
        let b3 = 0;
        if (w2 > 0) {
          const e = Math.exp(d);
          const c = 4 * kt;
          b0 = (dut[c] - e * duT[q]) / one - 1 / rho;
          b1 = (dut[c + 1] - e * duT[q + 1]) / one;
          b2 = (dut[c + 2] - e * duT[q + 2]) / one + 1 / s - 1 / rho;
          b3 = (dut[c + 3] - e * duT[q + 3]) / one;
        }
        g0 += wi * (psx[kx] + w1 * dl1[q] + w2 * b0);
        g1 += wi * (w1 * dl1[q + 1] + w2 * b1);
        g2 += wi * (w1 * dl1[q + 2] + w2 * b2);
        g3 += wi * (w1 * dl1[q + 3] + w2 * b3);
      }
    }
    // Terms common to every customer: −lnΓ(r) + r ln α + s ln β.
    total += W * (-gammaln(r) + r * Math.log(alpha) + s * Math.log(beta));
    if (grad) {
      grad[0] = g0 + W * (Math.log(alpha) - digamma(r));
      grad[1] = g1 + (W * r) / alpha;
      grad[2] = g2 + W * Math.log(beta);
      grad[3] = g3 + (W * s) / beta;
    }
    return total;
  };
}

const f64 = (v: ArrayLike<number>) => (v instanceof Float64Array ? v : Float64Array.from(v));

/**
 * Weighted log-likelihood Σ w_i ln L_i at raw parameters (in the data's time units). When `grad`
 * is given it receives ∂/∂(r, α, s, β) of that sum. Parameters ≤ 0 give −Infinity (lifetimes).
 * For repeated evaluation on the same data use {@link paretoNbdLikelihoodEvaluator}.
 */
export function paretoNbdLogLikelihood(p: ParetoNbdParams, data: PnbdRows, grad?: Float64Array): number {
  const { frequency, recency, T, weights } = data;
  return paretoNbdLikelihoodEvaluator(
    f64(frequency),
    f64(recency),
    f64(T),
    weights ? f64(weights) : undefined,
  )(p, grad);
}

/** Log-likelihood of a single customer (convenience for tests, diagnostics and the PMF). */
export function paretoNbdCustomerLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  return paretoNbdLikelihoodEvaluator(Float64Array.of(x), Float64Array.of(tx), Float64Array.of(T))(p);
}
