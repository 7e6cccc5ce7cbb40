/**
 * BG/NBD (Fader, Hardie & Lee 2005): fit and predictions (docs/reference/clv-engine.md §4.1).
 *
 * The likelihood's x-only terms (lnΓ, ψ) are evaluated once per distinct frequency, so the per-row
 * hot loop is two logarithms, one exponential and one log1p (log-sum-exp), with an analytic
 * gradient in log-parameters. Predictions are vectorised over Float64Array; the hypergeometric
 * factor of the conditional expectation depends only on (x, T) and is computed once per distinct
 * pair.
 */
import type { FittedModel, RFTData } from "./types";
import { gammaln, digamma, betaln, bgHypProduct, sigmoid } from "../math/special";
import { groupRows, gather } from "../math/group";
import {
  distinctValues,
  fitRftModel,
  rftMeanNll,
  rftModelSpec,
  timeTable,
  type LogFitConfig,
  type ModelSpec,
  type NllFn,
  type PreparedData,
} from "./common";

/** Parameter names, in fitting order. */
export type BgNbdParam = "r" | "alpha" | "a" | "b";
/** BG/NBD parameters: purchase rate Gamma(r, α); dropout probability Beta(a, b). α in model time units. */
export type BgNbdParams = Record<BgNbdParam, number>;
/** The fitted, JSON-serialisable form (see models/types.ts). */
export type FittedBgNbd = FittedModel<BgNbdParam>;
/** Fit options (see {@link LogFitConfig}). */
export type BgNbdConfig = LogFitConfig<BgNbdParam>;

/**
 * Negative log-likelihood with its analytic gradient in log-parameters, shared by BG/NBD
 * (`modified` false, o = 0) and Modified BG/NBD (`modified` true, o = 1). Per customer:
 *   ln L = lnΓ(r+x) − lnΓ(r) + r ln α + lnΓ(a+b) + lnΓ(b+x+o) − lnΓ(b) − lnΓ(a+b+x+o)
 *          − (r+x) ln(α+T) + [x > 0 or o = 1] · softplus(u),
 *   u = ln a − ln(b+x+o−1) + (r+x)(ln(α+T) − ln(α+t_x)),
 * with softplus(u) = max(u, 0) + log1p(e^{−|u|}) (log-sum-exp, no overflow). The x-only terms
 * (lnΓ, ψ) run once per distinct frequency and ln(α+T), 1/(α+T) once per distinct time, so the
 * per-row loop is one exponential and one log1p (none for BG/NBD's x = 0 rows).
 */
export function bgFamilyNll(d: PreparedData, modified: boolean): NllFn {
  const o = modified ? 1 : 0;
  const { frequency: x, recency: tx, T } = d.columns;
  const w = d.weights;
  const W = d.totalWeight;
  const dv = distinctValues(x, w);
  const xs = dv.values;
  const Wx = dv.weight;
  const xi = dv.index;
  const nx = xs.length;
  const n = d.rows;
  const lbx = new Float64Array(nx); // ln(b + x + o − 1); unused (0) for BG/NBD's x = 0
  const S = new Float64Array(nx); // Σ w·σ(u) per distinct x
  const tT = timeTable(T);
  const tt = timeTable(tx);
  return (p, g) => {
    const r = p[0];
    const al = p[1];
    const a = p[2];
    const b = p[3];
    const la = Math.log(a);
    let ll = W * (r * Math.log(al) - gammaln(r) - gammaln(b) + gammaln(a + b));
    let gr = 0;
    let gal = 0;
    let ga = 0;
    let gb = 0;
    if (g) {
      const psiAB = digamma(a + b);
      gr = W * (Math.log(al) - digamma(r));
      gal = (W * r) / al;
      ga = W * psiAB;
      gb = W * (psiAB - digamma(b));
    }
    for (let k = 0; k < nx; k++) {
      const xv = xs[k];
      ll += Wx[k] * (gammaln(r + xv) + gammaln(b + xv + o) - gammaln(a + b + xv + o));
      if (g) {
        const psiABx = digamma(a + b + xv + o);
        gr += Wx[k] * digamma(r + xv);
        ga -= Wx[k] * psiABx;
        gb += Wx[k] * (digamma(b + xv + o) - psiABx);
      }
      lbx[k] = xv > 0 || modified ? Math.log(b + xv + o - 1) : 0;
      S[k] = 0;
    }
    tT.update(al);
    tt.update(al);
    const { log: LT, inv: IT, index: iT } = tT;
    const { log: Lt, inv: It, index: it } = tt;
    let sr = 0; // Σ w (ln(α+T) − σ(u)(ln(α+T) − ln(α+t_x)))
    let sal = 0; // Σ w c (1/(α+T) − σ(u)(1/(α+T) − 1/(α+t_x)))
    for (let i = 0; i < n; i++) {
      const xv = x[i];
      const c = r + xv;
      const uT = iT[i];
      const lT = LT[uT];
      const wi = w[i];
      if (xv === 0 && !modified) {
        ll -= wi * c * lT;
        if (g) {
          sr += wi * lT;
          sal += wi * c * IT[uT];
        }
        continue;
      }
      const k = xi[i];
      const ut = it[i];
      const lt = Lt[ut];
      const u = la - lbx[k] + c * (lT - lt);
      const e = Math.exp(-Math.abs(u));
      ll += wi * (-c * lT + (u > 0 ? u : 0) + Math.log1p(e));
      if (g) {
        const sg = u > 0 ? 1 / (1 + e) : e / (1 + e);
        sr += wi * (lT - sg * (lT - lt));
        sal += wi * c * (IT[uT] - sg * (IT[uT] - It[ut]));
        S[k] += wi * sg;
      }
    }
    if (g) {
      gr -= sr;
      gal -= sal;
      for (let k = 0; k < nx; k++) {
        if (S[k] === 0) continue;
        ga += S[k] / a;
        gb -= S[k] / Math.exp(lbx[k]);
      }
      g[0] = -gr * r;
      g[1] = -gal * al;
      g[2] = -ga * a;
      g[3] = -gb * b;
    }
    return -ll;
  };
}

/** The BG/NBD specification for the generic driver. */
export const bgnbdSpec: ModelSpec<BgNbdParam> = rftModelSpec<BgNbdParam>(
  "bgnbd",
  ["r", "alpha", "a", "b"],
  ["alpha"],
  (d) => bgFamilyNll(d, false),
);

/**
 * Fits BG/NBD by maximum likelihood. Validates the input (throws ClvInputError naming field and
 * row); reports non-convergence in `diagnostics`.
 */
export function fitBgNbd(data: RFTData, config: BgNbdConfig = {}): FittedBgNbd {
  return fitRftModel(bgnbdSpec, data, config);
}

/** Mean negative log-likelihood in the data's own units (no scaling, no penalty). */
export function bgnbdMeanNll(params: BgNbdParams, data: RFTData): number {
  return rftMeanNll(bgnbdSpec, params, data);
}

/** Unconditional E[X(t)]: expected repeat purchases in (0, t] for a new customer (= the x = 0, T = 0 case of E[Y(t) | …]). */
export function bgnbdExpectedPurchases(p: BgNbdParams, t: number): number {
  return condFactor(p, t, 0, 0);
}

/** ln of the odds term of P(alive): ln[a/(b+x−1)] + (r+x) ln((α+T)/(α+t_x)), x > 0. */
function logDropOdds(p: BgNbdParams, x: number, tx: number, T: number): number {
  return Math.log(p.a / (p.b + x - 1)) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
}

/** P(alive | x, t_x, T) for one customer: 1 when x = 0, else the logistic form (no overflow). */
export function bgnbdProbabilityAliveOne(p: BgNbdParams, x: number, tx: number, T: number): number {
  return x === 0 ? 1 : sigmoid(-logDropOdds(p, x, tx, T));
}

/**
 * (a+b+x−1)/(a−1)·[1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]: E[Y(t)] for a
 * customer known to be alive. The product is evaluated in Euler-transformed form (bgHypProduct).
 */
function condFactor(p: BgNbdParams, t: number, x: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = p;
  const aT = alpha + T;
  const z = t / (aT + t);
  return ((a + b + x - 1) / (a - 1)) * (1 - bgHypProduct(r, a, b, x, 0, z, Math.log(aT / (aT + t))));
}

const api = bgFamilyPredictions<BgNbdParams>(condFactor, bgnbdProbabilityAliveOne, 0);

/** E[Y(t) | x, t_x, T] for one customer. */
export const bgnbdConditionalExpectedPurchasesOne = api.conditionalExpectedPurchasesOne;
/**
 * P(alive) per customer (positional). With `ahead` > 0: probability of being alive `ahead` time
 * units after T given no purchase meanwhile (= P(alive | x, t_x, T + ahead): BG/NBD customers can
 * only drop out right after a purchase).
 */
export const bgnbdProbabilityAlive = api.probabilityAlive;
/**
 * Binds a set of customers for repeated scoring (many horizons, many parameter draws): distinct
 * (x, T) pairs are found once; each call evaluates ₂F₁ once per pair; P(alive) is cached per
 * parameter vector. Returns `score(params, t, out?)` = E[Y(t) | x, t_x, T] per customer.
 */
export const bgnbdScorer = api.scorer;
/** E[Y(t) | x, t_x, T] for every customer (positional arrays, vectorised). */
export const bgnbdConditionalExpectedPurchases = api.conditionalExpectedPurchases;
/** P(X(t) = n): probability of exactly n repeat purchases in (0, t] for a new customer (FHL eq. 8). */
export const bgnbdProbabilityOfPurchases = api.probabilityOfPurchases;
/** Z[t_x][x] = P(alive | x, t_x, T) on the grid (docs/reference/clv-engine.md §3 BG.7, PLOT.3). */
export const bgnbdProbabilityAliveMatrix = api.probabilityAliveMatrix;
/** Z[t_x][x] = E[Y(t) | x, t_x, T] on the grid (docs/reference/clv-engine.md §3 PLOT.2; t defaults to 1). */
export const bgnbdFrequencyRecencyMatrix = api.frequencyRecencyMatrix;
/**
 * Model-expected number of customers with n = 0..maxN−1 repeat purchases in their own (0, T_i],
 * plus a last bucket for ≥ maxN: Σ_i w_i P(X(T_i) = n) (analytic version of PLOT.1).
 */
export const bgnbdExpectedCountsHistogram = api.expectedCountsHistogram;

// ---------------------------------------------------------------------------------------------
// Prediction helpers shared by the BG/NBD family (also used by ./mbgnbd.ts)

/**
 * Binds customers for repeated conditional scoring when E[Y(t) | x, t_x, T] factorises as
 * factor(x, T, t) × P(alive | x, t_x, T) (BG/NBD, Modified BG/NBD): the distinct (x, T) pairs are
 * found once, `factor` (the ₂F₁ part) runs once per pair per call, and P(alive) is cached per
 * parameter vector. Returns `score(params, t, out?)`.
 */
export function factorisedScorer<P extends Record<string, number>>(
  frequency: Float64Array,
  recency: Float64Array,
  T: Float64Array,
  factor: (p: P, t: number, x: number, T: number) => number,
  alive: (p: P, x: number, tx: number, T: number) => number,
) {
  const g = groupRows([frequency, T]);
  const gx = gather(frequency, g.first);
  const gT = gather(T, g.first);
  const fac = new Float64Array(g.size);
  const aliveCache = new Float64Array(frequency.length);
  let cached: P | null = null;
  const same = (a: P, b: P) => Object.keys(b).every((key) => a[key] === b[key]);
  return (p: P, t: number, out: Float64Array = new Float64Array(frequency.length)): Float64Array => {
    if (!cached || !same(cached, p)) {
      for (let i = 0; i < frequency.length; i++) aliveCache[i] = alive(p, frequency[i], recency[i], T[i]);
      cached = { ...p };
    }
    for (let k = 0; k < g.size; k++) fac[k] = factor(p, t, gx[k], gT[k]);
    const go = g.groupOf;
    for (let i = 0; i < out.length; i++) out[i] = fac[go[i]] * aliveCache[i];
    return out;
  };
}

/** Options of the (t_x × x) grids used by the P(alive) and frequency/recency plots. */
export interface GridOptions {
  /** Largest frequency column (x = 0..maxFrequency). */
  maxFrequency: number;
  /** Largest recency row (t_x = 0..maxRecency); also the customers' age T by default. */
  maxRecency: number;
  /** Age T used for every cell (default maxRecency). */
  T?: number;
}

/** Z[t_x][x] = cell(x, t_x, T) for t_x = 0..maxRecency, x = 0..maxFrequency. */
export function gridMatrix(o: GridOptions, cell: (x: number, tx: number, T: number) => number): Float64Array[] {
  const T = o.T ?? o.maxRecency;
  return Array.from({ length: o.maxRecency + 1 }, (_, tx) =>
    Float64Array.from({ length: o.maxFrequency + 1 }, (_, x) => cell(x, tx, T)),
  );
}

/**
 * Model-expected number of customers with n = 0..maxN−1 purchases in their own (0, T_i], plus a
 * last bucket for ≥ maxN: Σ_i w_i P(X(T_i) = n), grouped by distinct T (analytic PLOT.1).
 */
export function expectedCountsHistogram(
  pmf: (t: number, n: number) => number,
  T: Float64Array,
  maxN: number,
  weights?: Float64Array,
): Float64Array {
  const g = groupRows([T], weights);
  const out = new Float64Array(maxN + 1);
  for (let k = 0; k < g.size; k++) {
    const t = T[g.first[k]];
    let acc = 0;
    for (let n = 0; n < maxN; n++) {
      const v = pmf(t, n);
      out[n] += g.weights[k] * v;
      acc += v;
    }
    out[maxN] += g.weights[k] * Math.max(0, 1 - acc);
  }
  return out;
}

/**
 * P(X(t) = n) for the BG/NBD family (FHL eq. 8 and its MBG variant): with q = α/(α+t),
 *   lnB(a, b+n+shift) − lnB(a, b) + ln[Γ(r+n)/(Γ(r) n!)] + r ln q + n ln(t/(α+t))
 *   + 1{n>0 or shift>0}·B(a+1, b+n−1+shift)/B(a, b)·[1 − q^r Σ_{j<n} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j]
 * `shift` = 0 for BG/NBD, 1 for Modified BG/NBD.
 */
export function bgFamilyPmf(
  p: { r: number; alpha: number; a: number; b: number },
  t: number,
  n: number,
  shift: 0 | 1,
): number {
  const { r, alpha, a, b } = p;
  const lBab = betaln(a, b);
  const lq = Math.log(alpha / (alpha + t));
  const lz = t > 0 ? Math.log(t / (alpha + t)) : -Infinity;
  const lgr = gammaln(r);
  const lterm = (j: number) => gammaln(r + j) - lgr - gammaln(j + 1) + (j > 0 ? j * lz : 0) + r * lq;
  const first = Math.exp(betaln(a, b + n + shift) - lBab + lterm(n));
  if (n === 0 && shift === 0) return first;
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(lterm(j));
  return first + Math.exp(betaln(a + 1, b + n - 1 + shift) - lBab) * (1 - s);
}

/** Parameters shared by the BG/NBD family. */
export type BgFamilyParams = { r: number; alpha: number; a: number; b: number };

/**
 * The prediction surface of a BG/NBD-family model from its two model-specific pieces:
 * `factor(p, t, x, T)` (the ₂F₁ part of E[Y(t) | …], independent of t_x) and `aliveOne`.
 * `shift` selects the PMF variant (0 BG/NBD, 1 Modified BG/NBD).
 */
export function bgFamilyPredictions<P extends BgFamilyParams>(
  factor: (p: P, t: number, x: number, T: number) => number,
  aliveOne: (p: P, x: number, tx: number, T: number) => number,
  shift: 0 | 1,
) {
  const conditionalExpectedPurchasesOne = (p: P, t: number, x: number, tx: number, T: number): number =>
    factor(p, t, x, T) * aliveOne(p, x, tx, T);
  const scorer = (frequency: Float64Array, recency: Float64Array, T: Float64Array) =>
    factorisedScorer<P>(frequency, recency, T, factor, aliveOne);
  const probabilityOfPurchases = (p: P, t: number, n: number): number => bgFamilyPmf(p, t, n, shift);
  return {
    conditionalExpectedPurchasesOne,
    scorer,
    probabilityOfPurchases,
    probabilityAlive(
      p: P,
      frequency: Float64Array,
      recency: Float64Array,
      T: Float64Array,
      ahead = 0,
      out: Float64Array = new Float64Array(frequency.length),
    ): Float64Array {
      for (let i = 0; i < frequency.length; i++) out[i] = aliveOne(p, frequency[i], recency[i], T[i] + ahead);
      return out;
    },
    conditionalExpectedPurchases(
      p: P,
      t: number,
      frequency: Float64Array,
      recency: Float64Array,
      T: Float64Array,
      out?: Float64Array,
    ): Float64Array {
      return scorer(frequency, recency, T)(p, t, out);
    },
    probabilityAliveMatrix: (p: P, o: GridOptions): Float64Array[] =>
      gridMatrix(o, (x, tx, T) => aliveOne(p, x, tx, T)),
    frequencyRecencyMatrix: (p: P, o: GridOptions & { t?: number }): Float64Array[] =>
      gridMatrix(o, (x, tx, T) => conditionalExpectedPurchasesOne(p, o.t ?? 1, x, tx, T)),
    expectedCountsHistogram: (p: P, T: Float64Array, maxN: number, weights?: Float64Array): Float64Array =>
      expectedCountsHistogram((t, n) => probabilityOfPurchases(p, t, n), T, maxN, weights),
  };
}
