/**
 * Modified BG/NBD (Batislam, Denizel & Filiztekin 2007; as implemented in lifetimes,
 * clv-reference §4.2): like BG/NBD but a customer may also drop out at time 0, so P(alive) < 1
 * even with no repeat purchase. Same surface as ./bgnbd.ts.
 */
import type { FittedModel, RFTData } from "./types";
import { gammaln, digamma, bgHypProduct, sigmoid } from "../math/special";
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
import { bgFamilyPredictions } from "./bgnbd";

/** Parameter names, in fitting order. */
export type MbgNbdParam = "r" | "alpha" | "a" | "b";
/** Modified BG/NBD parameters (α in model time units). */
export type MbgNbdParams = Record<MbgNbdParam, number>;
/** The fitted, JSON-serialisable form (see models/types.ts). */
export type FittedMbgNbd = FittedModel<MbgNbdParam>;
/** Fit options (see LogFitConfig). */
export type MbgNbdConfig = LogFitConfig<MbgNbdParam>;

function mbgnbdNll(d: PreparedData): NllFn {
  const { frequency: x, recency: tx, T } = d.columns;
  const w = d.weights;
  const W = d.totalWeight;
  const dv = distinctValues(x, w);
  const xs = dv.values;
  const Wx = dv.weight;
  const xi = dv.index;
  const nx = xs.length;
  const n = d.rows;
  const lbx = new Float64Array(nx); // ln(b + x)
  const S = new Float64Array(nx); // Σ w·s per distinct x, s = σ(u)
  const tT = timeTable(T);
  const tt = timeTable(tx);
  return (p, g) => {
    const r = p[0];
    const al = p[1];
    const a = p[2];
    const b = p[3];
    const la = Math.log(a);
    // ln L = lnΓ(r+x) − lnΓ(r) + r ln α + lnΓ(a+b) + lnΓ(b+x+1) − lnΓ(b) − lnΓ(a+b+x+1)
    //        − (r+x) ln(α+T) + softplus(u),  u = ln a − ln(b+x) + (r+x)(ln(α+T) − ln(α+t_x))
    let ll = W * (r * Math.log(al) - gammaln(r) + gammaln(a + b) - gammaln(b));
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
      ll += Wx[k] * (gammaln(r + xv) + gammaln(b + xv + 1) - gammaln(a + b + xv + 1));
      if (g) {
        const psiABx = digamma(a + b + xv + 1);
        gr += Wx[k] * digamma(r + xv);
        ga -= Wx[k] * psiABx;
        gb += Wx[k] * (digamma(b + xv + 1) - psiABx);
      }
      lbx[k] = Math.log(b + xv);
      S[k] = 0;
    }
    tT.update(al);
    tt.update(al);
    const { log: LT, inv: IT, index: iT } = tT;
    const { log: Lt, inv: It, index: it } = tt;
    let sr = 0;
    let sal = 0;
    for (let i = 0; i < n; i++) {
      const k = xi[i];
      const c = r + x[i];
      const uT = iT[i];
      const ut = it[i];
      const lT = LT[uT];
      const lt = Lt[ut];
      const u = la - lbx[k] + c * (lT - lt);
      const e = Math.exp(-Math.abs(u));
      const wi = w[i];
      // softplus(u) = max(u, 0) + log1p(e^{-|u|})
      ll += wi * (-c * lT + (u > 0 ? u : 0) + Math.log1p(e));
      if (g) {
        const s = u > 0 ? 1 / (1 + e) : e / (1 + e);
        sr += wi * (-lT + s * (lT - lt));
        sal += wi * c * (s * (IT[uT] - It[ut]) - IT[uT]);
        S[k] += wi * s;
      }
    }
    if (g) {
      gr += sr;
      gal += sal;
      for (let k = 0; k < nx; k++) {
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

/** The Modified BG/NBD specification for the generic driver. */
export const mbgnbdSpec: ModelSpec<MbgNbdParam> = rftModelSpec<MbgNbdParam>("mbgnbd", ["r", "alpha", "a", "b"], ["alpha"], mbgnbdNll);

/**
 * Fits Modified BG/NBD by maximum likelihood. Validates the input (throws ClvInputError naming field and
 * row); reports non-convergence in `diagnostics`.
 */
export function fitMbgNbd(data: RFTData, config: MbgNbdConfig = {}): FittedMbgNbd {
  return fitRftModel(mbgnbdSpec, data, config);
}

/** Mean negative log-likelihood in the data's own units (no scaling, no penalty). */
export function mbgnbdMeanNll(params: MbgNbdParams, data: RFTData): number {
  return rftMeanNll(mbgnbdSpec, params, data);
}

/** Unconditional E[X(t)] = b/(a−1)·[1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))]. */
export function mbgnbdExpectedPurchases(p: MbgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  if (t === 0) return 0;
  return (b / (a - 1)) * (1 - bgHypProduct(r, a, b, 0, 1, t / (alpha + t), Math.log(alpha / (alpha + t))));
}

/** P(alive | x, t_x, T) = 1/[1 + a/(b+x)·((α+T)/(α+t_x))^{r+x}] in logistic form. */
export function mbgnbdProbabilityAliveOne(p: MbgNbdParams, x: number, tx: number, T: number): number {
  return sigmoid(-(Math.log(p.a / (p.b + x)) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx))));
}

/** (a+b+x)/(a−1)·[1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] (Euler-transformed product). */
function condFactor(p: MbgNbdParams, t: number, x: number, T: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = p;
  const aT = alpha + T;
  return ((a + b + x) / (a - 1)) * (1 - bgHypProduct(r, a, b, x, 1, t / (aT + t), Math.log(aT / (aT + t))));
}

const api = bgFamilyPredictions<MbgNbdParams>(condFactor, mbgnbdProbabilityAliveOne, 1);

/** E[Y(t) | x, t_x, T] for one customer. */
export const mbgnbdConditionalExpectedPurchasesOne = api.conditionalExpectedPurchasesOne;
/** P(alive) per customer; with `ahead` > 0, P(alive `ahead` time units after T given no purchase meanwhile). */
export const mbgnbdProbabilityAlive = api.probabilityAlive;
/** Binds customers for repeated scoring: `score(params, t, out?)` = E[Y(t) | x, t_x, T] (see bgnbdScorer). */
export const mbgnbdScorer = api.scorer;
/** E[Y(t) | x, t_x, T] for every customer (positional arrays). */
export const mbgnbdConditionalExpectedPurchases = api.conditionalExpectedPurchases;
/** P(X(t) = n) for a new customer (§4.2). */
export const mbgnbdProbabilityOfPurchases = api.probabilityOfPurchases;
/** Z[t_x][x] = P(alive | x, t_x, T) on the grid (MBG.7). */
export const mbgnbdProbabilityAliveMatrix = api.probabilityAliveMatrix;
/** Z[t_x][x] = E[Y(t) | x, t_x, T] on the grid (t defaults to 1). */
export const mbgnbdFrequencyRecencyMatrix = api.frequencyRecencyMatrix;
/** Expected number of customers with n = 0..maxN−1 repeat purchases in (0, T_i], plus a ≥ maxN bucket. */
export const mbgnbdExpectedCountsHistogram = api.expectedCountsHistogram;
