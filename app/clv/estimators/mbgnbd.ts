/**
 * Modified BG/NBD (Batislam, Denizel & Filiztekin 2007; as implemented in lifetimes,
 * docs/reference/clv-engine.md §4.2): like BG/NBD but a customer may also drop out at time 0, so P(alive) < 1
 * even with no repeat purchase. Same surface as ./bgnbd.ts.
 */
import type { FittedModel, RFTData } from "./types";
import { bgHypProduct, sigmoid } from "../math/special";
import { fitRftModel, rftMeanNll, rftModelSpec, type LogFitConfig, type ModelSpec } from "./common";
import { bgFamilyNll, bgFamilyPredictions } from "./bgnbd";

/** Parameter names, in fitting order. */
export type MbgNbdParam = "r" | "alpha" | "a" | "b";
/** Modified BG/NBD parameters (α in model time units). */
export type MbgNbdParams = Record<MbgNbdParam, number>;
/** The fitted, JSON-serialisable form (see models/types.ts). */
export type FittedMbgNbd = FittedModel<MbgNbdParam>;
/** Fit options (see LogFitConfig). */
export type MbgNbdConfig = LogFitConfig<MbgNbdParam>;

/** The Modified BG/NBD specification for the generic driver. */
export const mbgnbdSpec: ModelSpec<MbgNbdParam> = rftModelSpec<MbgNbdParam>(
  "mbgnbd",
  ["r", "alpha", "a", "b"],
  ["alpha"],
  (d) => bgFamilyNll(d, true),
);

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
