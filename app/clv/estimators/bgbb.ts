/**
 * BG/BB: the discrete-time beta-geometric/beta-binomial model (Fader, Hardie & Shang 2010;
 * lifetimes' BetaGeoBetaBinomFitter). For settings with discrete transaction opportunities
 * (yearly donations, event seasons, weekly issues).
 *
 * While alive a customer transacts at each opportunity with probability p ~ Beta(α, β); before
 * each opportunity an alive customer drops out with probability θ ~ Beta(γ, δ). A customer's data
 * is (x, t_x, n): x transactions in n opportunities, the last one at opportunity t_x (0 if none).
 * Formulas: docs/reference/clv-engine.md §4.4. The likelihood is a log-sum-exp of Beta-function terms with an
 * analytic (digamma) gradient; fitting goes through the shared log-parameter driver (no time
 * rescaling: time is a count of opportunities).
 */
import type { FittedModel } from "./types";
import { betaln, digamma, gammaln, logAddExp } from "../math/special";
import { groupRows, scatter } from "../math/group";
import {
  ClvInputError,
  checkLengths,
  fitLogParamModel,
  meanNegLogLikelihood,
  validateWeights,
  type LogFitConfig,
  type ModelSpec,
  type NllFn,
  type PreparedData,
} from "./common";

/** Parameter names of the BG/BB model. */
export type BgBbParam = "alpha" | "beta" | "gamma" | "delta";
/** BG/BB parameters: transaction probability Beta(α, β); dropout probability Beta(γ, δ). */
export type BgBbParams = Record<BgBbParam, number>;
/** A fitted BG/BB model (JSON-serialisable; see FittedModel). */
export type FittedBgBb = FittedModel<BgBbParam>;
/** Fit options (see {@link LogFitConfig}). */
export type BgBbConfig = LogFitConfig<BgBbParam>;

/** Per-customer (or per-pattern, with weights) BG/BB input; positional arrays of equal length. */
export interface BgBbData {
  /** Number of transactions x in the n opportunities (integer, 0 ≤ x ≤ n). */
  frequency: Float64Array;
  /** Opportunity of the last transaction t_x (integer, x ≤ t_x ≤ n; 0 when x = 0). */
  recency: Float64Array;
  /** Number of transaction opportunities n (positive integer). */
  periods: Float64Array;
  /** Optional pattern counts (default 1 each). */
  weights?: Float64Array;
}

/**
 * Validates BG/BB input: integers with 0 ≤ x ≤ t_x ≤ n, x ≥ 1 ⇔ t_x ≥ 1, n ≥ 1, positive weights.
 * Throws ClvInputError naming field and row.
 */
export function validateBgBb(data: BgBbData): number {
  const { frequency: x, recency: tx, periods: n, weights } = data;
  const rows = checkLengths({ frequency: x, recency: tx, periods: n, weights });
  if (rows === 0) throw new ClvInputError("no customers to fit (empty input)", "frequency");
  const bad = (field: string, i: number, what: string, v: number): never => {
    throw new ClvInputError(`${field} at row ${i} ${what} (got ${v})`, field, i);
  };
  for (let i = 0; i < rows; i++) {
    if (!Number.isInteger(n[i]) || n[i] < 1) bad("periods", i, "must be an integer >= 1", n[i]);
    if (!Number.isInteger(x[i]) || x[i] < 0) bad("frequency", i, "must be an integer >= 0", x[i]);
    if (!Number.isInteger(tx[i]) || tx[i] < 0) bad("recency", i, "must be an integer >= 0", tx[i]);
    if (tx[i] > n[i]) bad("recency", i, `must not exceed periods (${n[i]})`, tx[i]);
    if (x[i] > tx[i]) bad("frequency", i, `must not exceed recency (${tx[i]})`, x[i]);
    if (x[i] === 0 && tx[i] !== 0) bad("recency", i, "must be 0 when frequency is 0", tx[i]);
    if (x[i] > 0 && tx[i] === 0) bad("recency", i, "must be >= 1 when frequency > 0", tx[i]);
  }
  validateWeights(weights);
  return rows;
}

/** Fitting additionally needs at least one transaction (otherwise p's distribution is not identified). */
function requireTransactions(data: BgBbData): void {
  if (!data.frequency.some((v) => v > 0))
    throw new ClvInputError(
      "no customer has a transaction (every frequency is 0): the transaction and dropout probabilities cannot be estimated",
      "frequency",
    );
}

const NP = 4;

/**
 * ln L_i for one pattern, and (when `g` is given) ∂lnL_i/∂(α, β, γ, δ) written into `g`.
 * `c` holds per-parameter-vector constants: [lB(α,β), lB(γ,δ), ψ(α), ψ(β), ψ(α+β), ψ(γ), ψ(δ), ψ(γ+δ)].
 */
function rowLogLik(
  p: Float64Array,
  c: Float64Array,
  x: number,
  tx: number,
  n: number,
  g: Float64Array | null,
  tg: Float64Array,
): number {
  const al = p[0];
  const be = p[1];
  const ga = p[2];
  const de = p[3];
  const lBab = c[0];
  const lBgd = c[1];
  // Alive through all n opportunities.
  let lnL = betaln(al + x, be + n - x) - lBab + betaln(ga, de + n) - lBgd;
  const psiAx = g ? digamma(al + x) : 0;
  if (g) {
    g[0] = psiAx - digamma(al + be + n) - c[2] + c[4];
    g[1] = digamma(be + n - x) - digamma(al + be + n) - c[3] + c[4];
    g[2] = -digamma(ga + de + n) + c[7];
    g[3] = digamma(de + n) - digamma(ga + de + n) - c[6] + c[7];
  }
  // Dropped out at opportunity t_x + j + 1 (alive for t_x + j opportunities).
  const lg1 = g ? digamma(ga + 1) : 0;
  for (let j = 0; j < n - tx; j++) {
    const m = tx + j;
    const lt = betaln(al + x, be + m - x) - lBab + betaln(ga + 1, de + m) - lBgd;
    if (g) {
      const psiABm = digamma(al + be + m);
      const psiGDm = digamma(ga + de + 1 + m);
      tg[0] = psiAx - psiABm - c[2] + c[4];
      tg[1] = digamma(be + m - x) - psiABm - c[3] + c[4];
      tg[2] = lg1 - psiGDm - c[5] + c[7];
      tg[3] = digamma(de + m) - psiGDm - c[6] + c[7];
      // Softmax-weighted combination of the two running gradients.
      const lnNew = logAddExp(lnL, lt);
      const wOld = Math.exp(lnL - lnNew);
      const wNew = Math.exp(lt - lnNew);
      for (let k = 0; k < NP; k++) g[k] = wOld * g[k] + wNew * tg[k];
      lnL = lnNew;
    } else lnL = logAddExp(lnL, lt);
  }
  return lnL;
}

function constants(p: Float64Array, c: Float64Array, withGrad: boolean): void {
  c[0] = betaln(p[0], p[1]);
  c[1] = betaln(p[2], p[3]);
  if (withGrad) {
    c[2] = digamma(p[0]);
    c[3] = digamma(p[1]);
    c[4] = digamma(p[0] + p[1]);
    c[5] = digamma(p[2]);
    c[6] = digamma(p[3]);
    c[7] = digamma(p[2] + p[3]);
  }
}

function bgbbNll(d: PreparedData): NllFn {
  const { frequency: x, recency: tx, periods: n } = d.columns;
  const w = d.weights;
  const c = new Float64Array(8);
  const g = new Float64Array(NP);
  const tg = new Float64Array(NP);
  return (p, gradLog) => {
    if (!p.every((v) => v > 0 && Number.isFinite(v))) {
      if (gradLog) gradLog.fill(NaN);
      return Infinity;
    }
    constants(p, c, !!gradLog);
    if (gradLog) gradLog.fill(0);
    let nll = 0;
    for (let i = 0; i < w.length; i++) {
      const ll = rowLogLik(p, c, x[i], tx[i], n[i], gradLog ? g : null, tg);
      nll -= w[i] * ll;
      if (gradLog) for (let k = 0; k < NP; k++) gradLog[k] -= w[i] * g[k] * p[k];
    }
    return nll;
  };
}

/** The BG/BB specification for the generic driver (no time columns: opportunities are counts). */
export const bgbbSpec: ModelSpec<BgBbParam> = {
  model: "bgbb",
  paramNames: ["alpha", "beta", "gamma", "delta"],
  timeParams: [],
  timeColumns: [],
  keyColumns: ["frequency", "recency", "periods"],
  nll: bgbbNll,
};

/**
 * Fits BG/BB by maximum likelihood (log-parameters, analytic gradient, BFGS → Nelder-Mead, Hessian
 * standard errors). Identical patterns are grouped with summed weights. Validates the input.
 */
export function fitBgBb(data: BgBbData, config: BgBbConfig = {}): FittedBgBb {
  const t0 = performance.now();
  validateBgBb(data);
  requireTransactions(data);
  return fitLogParamModel(
    bgbbSpec,
    { frequency: data.frequency, recency: data.recency, periods: data.periods },
    data.weights,
    config,
    t0,
  );
}

/** Mean negative log-likelihood of `params` on `data` (no penalty). */
export function bgbbMeanNll(params: BgBbParams, data: BgBbData): number {
  validateBgBb(data);
  return meanNegLogLikelihood(
    bgbbSpec,
    params,
    { frequency: data.frequency, recency: data.recency, periods: data.periods },
    data.weights,
  );
}

function vec(p: BgBbParams): Float64Array {
  return Float64Array.of(p.alpha, p.beta, p.gamma, p.delta);
}

/** ln L for a single pattern (x, t_x, n). */
export function bgbbLogLikelihoodOne(p: BgBbParams, x: number, tx: number, n: number): number {
  const v = vec(p);
  const c = new Float64Array(8);
  constants(v, c, false);
  return rowLogLik(v, c, x, tx, n, null, new Float64Array(NP));
}

/**
 * P(alive at opportunity n + m | x, t_x, n): probability that the customer has not dropped out
 * before the m-th future opportunity (m = 1: alive for the next opportunity; FHS 2010 Table 6).
 */
export function bgbbProbabilityAlive(p: BgBbParams, m: number, x: number, tx: number, n: number): number {
  if (!(m >= 0)) throw new Error(`m must be >= 0, got ${m}`);
  const lnL = bgbbLogLikelihoodOne(p, x, tx, n);
  const ln =
    betaln(p.alpha + x, p.beta + n - x) -
    betaln(p.alpha, p.beta) +
    betaln(p.gamma, p.delta + n + m) -
    betaln(p.gamma, p.delta);
  return Math.exp(ln - lnL);
}

/**
 * E[number of transactions in opportunities n+1 … n+n* | x, t_x, n] (FHS 2010 eq. 13).
 * The γ → 1 limit is handled explicitly.
 */
export function bgbbConditionalExpectedPurchases(
  p: BgBbParams,
  nStar: number,
  x: number,
  tx: number,
  n: number,
): number {
  if (!(nStar >= 0)) throw new Error(`nStar must be >= 0, got ${nStar}`);
  const { alpha: al, beta: be, gamma: ga, delta: de } = p;
  const lnL = bgbbLogLikelihoodOne(p, x, tx, n);
  const lead = Math.exp(betaln(al + x + 1, be + n - x) - betaln(al, be) - lnL);
  let factor: number;
  if (Math.abs(ga - 1) < 1e-9) factor = de * (digamma(1 + de + n + nStar) - digamma(1 + de + n));
  else {
    const c = gammaln(ga + de) - gammaln(1 + de);
    const b1 = Math.exp(c + gammaln(1 + de + n) - gammaln(ga + de + n));
    const b2 = Math.exp(c + gammaln(1 + de + n + nStar) - gammaln(ga + de + n + nStar));
    factor = (de / (ga - 1)) * (b1 - b2);
  }
  return lead * factor;
}

/** P(X(n) = x): probability that a new customer makes exactly x transactions in n opportunities. */
export function bgbbProbabilityOfPurchases(p: BgBbParams, n: number, x: number): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(x) || x < 0 || x > n)
    throw new Error(`need integers 0 <= x <= n, got x=${x}, n=${n}`);
  const { alpha: al, beta: be, gamma: ga, delta: de } = p;
  const lBab = betaln(al, be);
  const lBgd = betaln(ga, de);
  const lchoose = (a: number, b: number) => gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1);
  let v = Math.exp(lchoose(n, x) + betaln(al + x, be + n - x) - lBab + betaln(ga, de + n) - lBgd);
  for (let i = x; i < n; i++)
    v += Math.exp(lchoose(i, x) + betaln(al + x, be + i - x) - lBab + betaln(ga + 1, de + i) - lBgd);
  return v;
}

/**
 * Expected number of customers (out of `population`) with x = 0..n transactions in the first n
 * opportunities: population · P(X(n) = x).
 */
export function bgbbExpectedCountsInFirstPeriods(p: BgBbParams, n: number, population: number): Float64Array {
  return Float64Array.from({ length: n + 1 }, (_, x) => population * bgbbProbabilityOfPurchases(p, n, x));
}

type BgBbRows = Pick<BgBbData, "frequency" | "recency" | "periods">;

/** Evaluates `f` once per distinct (x, t_x, n) pattern and expands to every customer. */
function perPattern(data: BgBbRows, f: (x: number, tx: number, n: number) => number, out?: Float64Array): Float64Array {
  const g = groupRows([data.frequency, data.recency, data.periods]);
  const v = new Float64Array(g.size);
  for (let k = 0; k < g.size; k++) {
    const i = g.first[k];
    v[k] = f(data.frequency[i], data.recency[i], data.periods[i]);
  }
  return scatter(v, g.groupOf, out);
}

/** Vectorised P(alive at n + m) over positional arrays (once per distinct pattern). */
export function bgbbProbabilityAliveArray(p: BgBbParams, m: number, data: BgBbRows, out?: Float64Array): Float64Array {
  return perPattern(data, (x, tx, n) => bgbbProbabilityAlive(p, m, x, tx, n), out);
}

/** Vectorised E[transactions in the next n* opportunities] over positional arrays (once per distinct pattern). */
export function bgbbConditionalExpectedPurchasesArray(
  p: BgBbParams,
  nStar: number,
  data: BgBbRows,
  out?: Float64Array,
): Float64Array {
  return perPattern(data, (x, tx, n) => bgbbConditionalExpectedPurchases(p, nStar, x, tx, n), out);
}
