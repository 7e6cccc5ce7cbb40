/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987; Hardie note 009; lifetimes' ParetoNBDFitter).
 *
 * Purchases while alive are Poisson(λ), λ ~ Gamma(r, α); lifetimes are Exponential(μ),
 * μ ~ Gamma(s, β). Continuous time, inputs (x, t_x, T) per customer (clv-reference §4.3).
 *
 * Numerics. The likelihood's A₀ term is a difference of two ₂F₁(ρ, c; ρ+1; z) terms. Each is
 * evaluated in log space through the Euler transform
 *   ₂F₁(ρ, c; ρ+1; z) = (1−z)^{1−c} · ₂F₁(1, ρ+1−c; ρ+1; z),
 * whose second factor is a positive series bounded by 1/(1−z): it never overflows, even for
 * x in the hundreds (PNBD.6), and its term-by-term derivatives give an exact analytic gradient.
 * ln A₀ is then a signed log-sum-exp (log of −expm1), and P(alive) uses the logistic form.
 *
 * Fitting (see `fitParetoNbd`): log-parameters, time rescaled so that max T = 1, BFGS with the
 * analytic gradient, Nelder-Mead fallback through `minimize`; deterministic (no random start).
 */
import { digamma, gammaln, hyp2f1, lfactorial, logAddExp, sigmoid, betaln } from "../math/special";
import type { FittedModel, RFTData } from "./types";
import { groupRows, gather, scatter } from "../math/group";
import { fitLogParamModel, meanNegLogLikelihood, validateRFT, type LogFitConfig, type ModelSpec, type NllFn, type PreparedData } from "./common";

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
 * u(t) = ln[ ₂F₁(ρ, c; ρ+1; Δ/(M+t)) / (M+t)^ρ ] with the case split of §4.3, and its gradient
 * with respect to (r, α, s, β) written into `g`.
 */
function uTerm(r: number, alpha: number, s: number, beta: number, x: number, t: number, g: Float64Array | null): number {
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
  return paretoNbdLikelihoodEvaluator(f64(frequency), f64(recency), f64(T), weights ? f64(weights) : undefined)(p, grad);
}

/** Log-likelihood of a single customer (convenience for tests, diagnostics and the PMF). */
export function paretoNbdCustomerLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  return paretoNbdLikelihoodEvaluator(Float64Array.of(x), Float64Array.of(tx), Float64Array.of(T))(p);
}

// ---------------------------------------------------------------------------------------------
// Fitting through the shared log-parameter driver (grouping, time rescaling, penalty, BFGS →
// Nelder-Mead, Hessian standard errors, LL in original units).

function pnbdNll(d: PreparedData): NllFn {
  const ll = paretoNbdLikelihoodEvaluator(d.columns.frequency, d.columns.recency, d.columns.T, d.weights);
  const g = new Float64Array(4);
  return (p, gradLog) => {
    const params = { r: p[0], alpha: p[1], s: p[2], beta: p[3] };
    const value = ll(params, gradLog ? g : undefined);
    if (gradLog) for (let j = 0; j < 4; j++) gradLog[j] = -p[j] * g[j];
    return -value;
  };
}

/** The Pareto/NBD specification for the generic driver (α and β are in time units). */
export const paretoNbdSpec: ModelSpec<ParetoNbdParam> = {
  model: "pnbd",
  paramNames: ["r", "alpha", "s", "beta"],
  timeParams: ["alpha", "beta"],
  timeColumns: ["recency", "T"],
  scaleColumn: "T",
  eventColumn: "frequency",
  keyColumns: ["frequency", "recency", "T"],
  nll: pnbdNll,
};

/**
 * Fits Pareto/NBD by maximum likelihood: log-parameters in scaled time, analytic gradient, BFGS
 * with Nelder-Mead fallback, deterministic start. Validates the input (throws ClvInputError
 * naming field and row); non-convergence is reported in `diagnostics`, never thrown.
 */
export function fitParetoNbd(data: RFTData, config: ParetoNbdConfig = {}): FittedParetoNbd {
  const t0 = performance.now();
  validateRFT(data, { requireRepeat: true });
  return fitLogParamModel(paretoNbdSpec, { frequency: data.frequency, recency: data.recency, T: data.T }, data.weights, config, t0);
}

/** Mean negative log-likelihood in the data's own units (no scaling, no penalty). */
export function paretoNbdMeanNll(params: ParetoNbdParams, data: RFTData): number {
  validateRFT(data);
  return meanNegLogLikelihood(paretoNbdSpec, params, { frequency: data.frequency, recency: data.recency, T: data.T }, data.weights);
}

// ---------------------------------------------------------------------------------------------
// Predictions (raw parameters, data's time units). Scalar forms plus vectorised scorers.

/** −expm1(−a·L)/a, with its limit L as a → 0 (the "(1 − ((β+T)/(β+T+t))^{s−1})/(s−1)" factor). */
function powerFactor(a: number, L: number): number {
  return Math.abs(a) < 1e-10 ? L : -Math.expm1(-a * L) / a;
}

/** Unconditional expected repeat purchases in (0, t] for a new customer: E[X(t)]. */
export function paretoNbdExpectedPurchases(p: ParetoNbdParams, t: number): number {
  if (!(t >= 0)) throw new Error(`t must be >= 0, got ${t}`);
  return ((p.r * p.beta) / p.alpha) * powerFactor(p.s - 1, Math.log1p(t / p.beta));
}

/** ln of the z in P(alive) = σ(−z) (§4.3); −Infinity when t_x = T. */
function aliveLogit(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const lnA0 = paretoNbdLogA0(p, x, tx, T);
  if (lnA0 === -Infinity) return -Infinity;
  return Math.log(p.s / (p.r + p.s + x)) + (p.r + x) * Math.log(p.alpha + T) + p.s * Math.log(p.beta + T) + lnA0;
}

/** P(alive at T | x, t_x, T), logistic form: exactly representable tails, no overflow. */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  return sigmoid(-aliveLogit(p, x, tx, T));
}

/** Conditional expected purchases in (T, T+t]: E[Y(t) | x, t_x, T]. */
export function paretoNbdConditionalExpectedPurchases(p: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  const pa = paretoNbdProbabilityAlive(p, x, tx, T);
  const bT = p.beta + T;
  return ((p.r + x) / (p.alpha + T)) * bT * powerFactor(p.s - 1, Math.log1p(t / bT)) * pa;
}

/**
 * P(N(t) = n | x, t_x, T): probability of exactly n purchases in (T, T+t] (§4.3 conditional PMF).
 * Sums to 1 over n.
 */
export function paretoNbdConditionalProbabilityOfPurchases(p: ParetoNbdParams, n: number, t: number, x: number, tx: number, T: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`n must be a non-negative integer, got ${n}`);
  const { r, alpha, s, beta } = p;
  const K = r * Math.log(alpha) + s * Math.log(beta) - gammaln(r);
  const lnL = paretoNbdCustomerLogLikelihood(p, x, tx, T);
  const [M, c] = alpha < beta ? [beta, r + x + n] : [alpha, s + 1];
  const D = Math.abs(alpha - beta);
  const rsx = r + s + x;
  const AZ = gammaln(r + x) + K - (r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const B1 = gammaln(r + x + n) + K - lfactorial(n) + (n > 0 ? n * Math.log(t) : 0) - (r + x + n) * Math.log(alpha + T + t) - s * Math.log(beta + T + t);
  const C = K - gammaln(s) + betaln(r + x + n, s + 1);
  const B2 = Math.exp(C + gammaln(rsx) - rsx * Math.log(M + T) - lnL) * hyp2f1(rsx, c, rsx + n + 1, D / (M + T));
  let B3 = 0;
  for (let i = 0; i <= n; i++) {
    const li = C + gammaln(rsx + i) + (i > 0 ? i * Math.log(t) : 0) - lfactorial(i) - (rsx + i) * Math.log(M + T + t) - lnL;
    B3 += Math.exp(li) * hyp2f1(rsx + i, c, rsx + n + 1, D / (M + T + t));
  }
  const v = (n === 0 ? 1 - Math.exp(AZ - lnL) : 0) + Math.exp(B1 - lnL) + B2 - B3;
  return Math.min(1, Math.max(0, v));
}

/**
 * Binds distinct customers for P(alive): the ₂F₁ terms u(t) depend only on (x, t), so they are
 * evaluated once per distinct (x, T) and (x, t_x) pair. Returns `(p, out) => out` with P(alive)
 * per row (logistic form, §4.3).
 */
function bindAlive(x: Float64Array, tx: Float64Array, T: Float64Array) {
  const gT = groupRows([x, T]);
  const gt = groupRows([x, tx]);
  const xT = gather(x, gT.first);
  const TT = gather(T, gT.first);
  const xt = gather(x, gt.first);
  const tt = gather(tx, gt.first);
  const uT = new Float64Array(gT.size);
  const lT = new Float64Array(gT.size);
  const ut = new Float64Array(gt.size);
  return (p: ParetoNbdParams, out: Float64Array): Float64Array => {
    const { r, alpha, s, beta } = p;
    for (let k = 0; k < gT.size; k++) {
      uT[k] = uTerm(r, alpha, s, beta, xT[k], TT[k], null);
      lT[k] = (r + xT[k]) * Math.log(alpha + TT[k]) + s * Math.log(beta + TT[k]);
    }
    for (let k = 0; k < gt.size; k++) ut[k] = uTerm(r, alpha, s, beta, xt[k], tt[k], null);
    for (let i = 0; i < x.length; i++) {
      if (!(tx[i] < T[i])) {
        out[i] = 1;
        continue;
      }
      const kT = gT.groupOf[i];
      const u1 = ut[gt.groupOf[i]];
      const lnA0 = u1 + Math.log(-Math.expm1(uT[kT] - u1));
      out[i] = sigmoid(-(Math.log(s / (r + s + x[i])) + lT[kT] + lnA0));
    }
    return out;
  };
}

/** Vectorised P(alive) over positional arrays; identical customers and (x, t) pairs are evaluated once. */
export function paretoNbdProbabilityAliveArray(p: ParetoNbdParams, x: Float64Array, tx: Float64Array, T: Float64Array, out: Float64Array = new Float64Array(x.length)): Float64Array {
  const g = groupRows([x, tx, T]);
  const v = bindAlive(gather(x, g.first), gather(tx, g.first), gather(T, g.first))(p, new Float64Array(g.size));
  return scatter(v, g.groupOf, out);
}

/** Vectorised E[Y(t) | x, t_x, T] over positional arrays (one-shot {@link paretoNbdScorer}). */
export function paretoNbdConditionalExpectedPurchasesArray(p: ParetoNbdParams, t: number, x: Float64Array, tx: Float64Array, T: Float64Array, out?: Float64Array): Float64Array {
  return paretoNbdScorer(x, tx, T)(p, t, out);
}

/**
 * Binds customers for repeated scoring (many horizons, e.g. the months of a CLV sum, or many
 * parameter draws). Customers with identical (x, t_x, T) are grouped once; P(alive) — the only
 * expensive part (two ₂F₁ series per row) — is computed per distinct row and cached per
 * parameter vector; each call is then one log1p/expm1 per distinct row plus a scatter.
 * Returns `score(params, t, out?)` = E[Y(t) | x, t_x, T] per customer.
 */
export function paretoNbdScorer(frequency: Float64Array, recency: Float64Array, T: Float64Array) {
  const n = frequency.length;
  const g = groupRows([frequency, recency, T]);
  const gx = gather(frequency, g.first);
  const gt = gather(recency, g.first);
  const gT = gather(T, g.first);
  const alive = new Float64Array(g.size);
  const val = new Float64Array(g.size);
  const aliveOf = bindAlive(gx, gt, gT);
  let cached: ParetoNbdParams | null = null;
  return (p: ParetoNbdParams, t: number, out: Float64Array = new Float64Array(n)): Float64Array => {
    if (!cached || cached.r !== p.r || cached.alpha !== p.alpha || cached.s !== p.s || cached.beta !== p.beta) {
      aliveOf(p, alive);
      cached = { r: p.r, alpha: p.alpha, s: p.s, beta: p.beta };
    }
    const s1 = p.s - 1;
    for (let k = 0; k < g.size; k++) {
      const bT = p.beta + gT[k];
      val[k] = ((p.r + gx[k]) / (p.alpha + gT[k])) * bT * powerFactor(s1, Math.log1p(t / bT)) * alive[k];
    }
    return scatter(val, g.groupOf, out);
  };
}

/**
 * Expected cumulative repeat transactions of a cohort over calendar time (lifetimes'
 * `expected_cumulative_transactions`, the BTYD "tracking" plot; clv-reference UT.7): at each
 * tracking time τ, Σ_i w_i · E[X(τ − b_i)] over customers born (first purchase) before τ.
 * Model-agnostic: pass any model's unconditional E[X(t)] (e.g. `t => paretoNbdExpectedPurchases(p, t)`).
 * @param expectedPurchases E[X(t)] in the same time units as `births` and `times`
 * @param births each customer's first-purchase time
 * @param times tracking times (ascending or not)
 */
export function expectedCumulativeTransactions(
  expectedPurchases: (t: number) => number,
  births: ArrayLike<number>,
  times: ArrayLike<number>,
  weights?: ArrayLike<number>,
): Float64Array {
  // Distinct birth times with summed weights: E[X] is evaluated once per (birth, time) pair.
  const byBirth = new Map<number, number>();
  for (let i = 0; i < births.length; i++) byBirth.set(births[i], (byBirth.get(births[i]) ?? 0) + (weights ? weights[i] : 1));
  const out = new Float64Array(times.length);
  for (let k = 0; k < times.length; k++) {
    let s = 0;
    for (const [b, w] of byBirth) if (b < times[k]) s += w * expectedPurchases(times[k] - b);
    out[k] = s;
  }
  return out;
}
