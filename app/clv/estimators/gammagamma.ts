/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005b; Hardie note 025; docs/reference/clv-engine.md §4.5).
 *
 * Fitted on repeat customers only: x > 0 repeat purchases with mean value m > 0 (the mean of the
 * repeat purchase-period totals, first purchase excluded — the monetary definition of
 * docs/reference/clv-engine.md §1.2). Parameters p, q, v are fitted in logs; no time rescaling (no time columns).
 * With `qConstraint` the fit enforces q ≥ 1 (so the population mean p·v/(q−1) is positive), like
 * lifetimes' q_constraint: when the unconstrained optimum has q < 1 the model is refitted on the
 * boundary q = 1 (q then gets a null standard error).
 */
import type { FittedModel, SpendData } from "./types";
import { gammaln, digamma } from "../math/special";
import {
  ClvInputError,
  checkLengths,
  distinctValues,
  fitLogParamModel,
  meanNegLogLikelihood,
  validateWeights,
  type LogFitConfig,
  type ModelSpec,
  type NllFn,
  type PreparedData,
} from "./common";

/** Parameter names, in fitting order. */
export type GammaGammaParam = "p" | "q" | "v";
/** Gamma-Gamma parameters: transaction value ~ Gamma(p, ν), ν ~ Gamma(q, v). */
export type GammaGammaParams = Record<GammaGammaParam, number>;
/** The fitted, JSON-serialisable form (see models/types.ts). */
export type FittedGammaGamma = FittedModel<GammaGammaParam>;

/** Gamma-Gamma fit options. */
export interface GammaGammaConfig extends LogFitConfig<GammaGammaParam> {
  /** Enforce q ≥ 1 (positive population mean), as lifetimes' `q_constraint`. Default false. */
  qConstraint?: boolean;
}

/**
 * Validates Gamma-Gamma input (UT.9): frequency a positive integer, monetary a positive finite
 * number, positive weights. Throws ClvInputError naming the field and row.
 */
export function validateSpend(data: SpendData): number {
  const { frequency: x, monetary: m, weights } = data;
  const n = checkLengths({ frequency: x, monetary: m, weights });
  if (n === 0) throw new ClvInputError("no repeat customers to fit the Gamma-Gamma model (empty input)", "frequency");
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    if (!(xi > 0) || !Number.isFinite(xi) || xi !== Math.floor(xi))
      throw new ClvInputError(
        `frequency at row ${i} must be a positive integer for the Gamma-Gamma model (got ${xi}); keep repeat customers only`,
        "frequency",
        i,
      );
    const mi = m[i];
    if (!(mi > 0) || !Number.isFinite(mi))
      throw new ClvInputError(`monetary at row ${i} must be a positive finite number (got ${mi})`, "monetary", i);
  }
  validateWeights(weights);
  return n;
}

function ggNll(d: PreparedData): NllFn {
  const { frequency: x, monetary: m } = d.columns;
  const w = d.weights;
  const n = d.rows;
  // Row constants ln m, ln x; the lnΓ/ψ terms depend on x only: evaluated once per distinct x.
  const lm = Float64Array.from(m, Math.log);
  const lx = Float64Array.from(x, Math.log);
  const dv = distinctValues(x, w);
  const nx = dv.values.length;
  const xi = dv.index;
  const psiPQ = new Float64Array(nx);
  const psiPX = new Float64Array(nx);
  return (par, g) => {
    const p = par[0];
    const q = par[1];
    const v = par[2];
    const lv = Math.log(v);
    let ll = 0;
    let gp = 0;
    let gq = 0;
    let gv = 0;
    // Σ_x W_x [lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v]
    const lgq = gammaln(q);
    for (let k = 0; k < nx; k++) {
      const px = p * dv.values[k];
      ll += dv.weight[k] * (gammaln(px + q) - gammaln(px) - lgq + q * lv);
      if (g) {
        psiPQ[k] = digamma(px + q);
        psiPX[k] = digamma(px);
        gq += dv.weight[k] * (psiPQ[k] - digamma(q) + lv);
        gv += (dv.weight[k] * q) / v;
      }
    }
    for (let i = 0; i < n; i++) {
      const xv = x[i];
      const px = p * xv;
      const xmv = xv * m[i] + v;
      const lxmv = Math.log(xmv);
      const wi = w[i];
      ll += wi * ((px - 1) * lm[i] + px * lx[i] - (px + q) * lxmv);
      if (g) {
        const k = xi[i];
        gp += wi * xv * (psiPQ[k] - psiPX[k] + lm[i] + lx[i] - lxmv);
        gq -= wi * lxmv;
        gv -= (wi * (px + q)) / xmv;
      }
    }
    if (g) {
      g[0] = -gp * p;
      g[1] = -gq * q;
      g[2] = -gv * v;
    }
    return -ll;
  };
}

/** The Gamma-Gamma specification for the generic driver. */
export const gammaGammaSpec: ModelSpec<GammaGammaParam> = {
  model: "gg",
  paramNames: ["p", "q", "v"],
  timeParams: [],
  timeColumns: [],
  keyColumns: ["frequency", "monetary"],
  nll: ggNll,
};

/** Fits the Gamma-Gamma model on repeat customers (validated; diagnostics instead of throws). */
export function fitGammaGamma(data: SpendData, config: GammaGammaConfig = {}): FittedGammaGamma {
  const t0 = performance.now();
  validateSpend(data);
  const cols = { frequency: data.frequency, monetary: data.monetary };
  const first = fitLogParamModel(gammaGammaSpec, cols, data.weights, config, t0);
  if (!config.qConstraint || first.params.q >= 1) return first;
  const bounded = fitLogParamModel(
    gammaGammaSpec,
    cols,
    data.weights,
    { ...config, fixed: { ...config.fixed, q: 1 } },
    t0,
  );
  bounded.diagnostics.reason = `q constrained to its bound 1 (unconstrained optimum had q = ${first.params.q}); ${bounded.diagnostics.reason}`;
  return bounded;
}

/** Mean negative log-likelihood of the given parameters (no penalty). */
export function gammaGammaMeanNll(params: GammaGammaParams, data: SpendData): number {
  validateSpend(data);
  return meanNegLogLikelihood(
    gammaGammaSpec,
    params,
    { frequency: data.frequency, monetary: data.monetary },
    data.weights,
  );
}

/** Population mean spend per transaction E[M] = p·v/(q−1) (negative/undefined when q ≤ 1). */
export function gammaGammaPopulationMean(p: GammaGammaParams): number {
  return (p.p * p.v) / (p.q - 1);
}

/**
 * E[M | x, m] = (p·v + p·x·m)/(p·x + q − 1) per customer: a credibility-weighted mix of the
 * population mean and the customer's own mean. For x = 0 it is the population mean (m ignored).
 * Positional arrays; `monetary` is the mean repeat-purchase value (0 allowed when x = 0).
 */
export function gammaGammaConditionalExpectedSpend(
  p: GammaGammaParams,
  frequency: Float64Array,
  monetary: Float64Array,
  out: Float64Array = new Float64Array(frequency.length),
): Float64Array {
  checkLengths({ frequency, monetary });
  const pv = p.p * p.v;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    out[i] = x > 0 ? (pv + p.p * x * monetary[i]) / (p.p * x + p.q - 1) : pv / (p.q - 1);
  }
  return out;
}
