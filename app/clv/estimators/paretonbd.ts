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
import { gammaln, hyp2f1, lfactorial, sigmoid, betaln } from "../math/special";
import type { RFTData } from "./types";
import { groupRows, gather, scatter } from "../math/group";
import {
  fitLogParamModel,
  meanNegLogLikelihood,
  validateRFT,
  type ModelSpec,
  type NllFn,
  type PreparedData,
} from "./common";
import {
  paretoNbdCustomerLogLikelihood,
  paretoNbdLikelihoodEvaluator,
  paretoNbdLogA0,
  uTerm,
  type ParetoNbdParam,
  type ParetoNbdParams,
  type FittedParetoNbd,
  type ParetoNbdConfig,
} from "./paretonbd-likelihood";

export * from "./paretonbd-likelihood";

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
  return fitLogParamModel(
    paretoNbdSpec,
    { frequency: data.frequency, recency: data.recency, T: data.T },
    data.weights,
    { ...config, scaledUpperBounds: { beta: PNBD_BETA_BOUND, ...config.scaledUpperBounds } },
    t0,
  );
}

/**
 * Upper bound of β in rescaled time (max T = 1). When (almost) nobody drops out the likelihood is
 * flat along s → 0 and along β → ∞ alike (both make dropout vanish); along β → ∞ every A₀
 * evaluation needs a ₂F₁ series at z → 1 (thousands of terms), so the fit crawled for tens of
 * seconds. Bounding β sends the optimiser along s → 0 instead, where the series stays short; the
 * fit then lists the parameter in `diagnostics.atBoundary`. Dropout-rate scales beyond 5× the
 * observation window are not identifiable from the data anyway (CDNOW: β ≈ 0.15 in these units).
 */
export const PNBD_BETA_BOUND = 5;

/** Mean negative log-likelihood in the data's own units (no scaling, no penalty). */
export function paretoNbdMeanNll(params: ParetoNbdParams, data: RFTData): number {
  validateRFT(data);
  return meanNegLogLikelihood(
    paretoNbdSpec,
    params,
    { frequency: data.frequency, recency: data.recency, T: data.T },
    data.weights,
  );
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
export function paretoNbdConditionalExpectedPurchases(
  p: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const pa = paretoNbdProbabilityAlive(p, x, tx, T);
  const bT = p.beta + T;
  return ((p.r + x) / (p.alpha + T)) * bT * powerFactor(p.s - 1, Math.log1p(t / bT)) * pa;
}

/**
 * P(N(t) = n | x, t_x, T): probability of exactly n purchases in (T, T+t] (§4.3 conditional PMF).
 * Sums to 1 over n.
 */
export function paretoNbdConditionalProbabilityOfPurchases(
  p: ParetoNbdParams,
  n: number,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`n must be a non-negative integer, got ${n}`);
  const { r, alpha, s, beta } = p;
  const K = r * Math.log(alpha) + s * Math.log(beta) - gammaln(r);
  const lnL = paretoNbdCustomerLogLikelihood(p, x, tx, T);
  const [M, c] = alpha < beta ? [beta, r + x + n] : [alpha, s + 1];
  const D = Math.abs(alpha - beta);
  const rsx = r + s + x;
  const AZ = gammaln(r + x) + K - (r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const B1 =
    gammaln(r + x + n) +
    K -
    lfactorial(n) +
    (n > 0 ? n * Math.log(t) : 0) -
    (r + x + n) * Math.log(alpha + T + t) -
    s * Math.log(beta + T + t);
  const C = K - gammaln(s) + betaln(r + x + n, s + 1);
  const B2 = Math.exp(C + gammaln(rsx) - rsx * Math.log(M + T) - lnL) * hyp2f1(rsx, c, rsx + n + 1, D / (M + T));
  let B3 = 0;
  for (let i = 0; i <= n; i++) {
    const li =
      C + gammaln(rsx + i) + (i > 0 ? i * Math.log(t) : 0) - lfactorial(i) - (rsx + i) * Math.log(M + T + t) - lnL;
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
export function paretoNbdProbabilityAliveArray(
  p: ParetoNbdParams,
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  const g = groupRows([x, tx, T]);
  const v = bindAlive(gather(x, g.first), gather(tx, g.first), gather(T, g.first))(p, new Float64Array(g.size));
  return scatter(v, g.groupOf, out);
}

/** Vectorised E[Y(t) | x, t_x, T] over positional arrays (one-shot {@link paretoNbdScorer}). */
export function paretoNbdConditionalExpectedPurchasesArray(
  p: ParetoNbdParams,
  t: number,
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  out?: Float64Array,
): Float64Array {
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
  for (let i = 0; i < births.length; i++)
    byBirth.set(births[i], (byBirth.get(births[i]) ?? 0) + (weights ? weights[i] : 1));
  const out = new Float64Array(times.length);
  for (let k = 0; k < times.length; k++) {
    let s = 0;
    for (const [b, w] of byBirth) if (b < times[k]) s += w * expectedPurchases(times[k] - b);
    out[k] = s;
  }
  return out;
}
