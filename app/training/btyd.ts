/**
 * The engine's BTYD candidate for the trainer: BG/NBD for purchase counts × Gamma-Gamma for the
 * value per purchase, on the point-in-time `RftSummary` (weeks). Pure; wraps `~/clv` only.
 *
 * Gamma-Gamma is fitted on repeaters with a positive mean repeat value, with q ≥ 1 enforced. If
 * it cannot be fitted (fewer than 10 such repeaters, or a non-finite result) the value per
 * purchase falls back to the customer's own average order value (or the population average),
 * and `ggNote` says so.
 */
import { fitBgNbd, bgnbdProbabilityAlive, bgnbdScorer, type FittedBgNbd } from "~/clv/estimators/bgnbd";
import {
  fitGammaGamma,
  gammaGammaConditionalExpectedSpend,
  gammaGammaPopulationMean,
  type FittedGammaGamma,
  type GammaGammaParams,
} from "~/clv/estimators/gammagamma";
import { customerLifetimeValue, TIME_UNITS_PER_MONTH } from "~/clv/clv";
import { clvPredictionInterval } from "~/clv/uncertainty";
import type { RftSummary } from "./features";
import { BTYD_DELTA_ABOVE, BTYD_INTERVAL } from "~/clv/interval";

/** A fitted BTYD × Gamma-Gamma model (JSON-serialisable: parameters only, no customer rows). */
export interface BtydModel {
  bg: FittedBgNbd;
  gg: FittedGammaGamma | null;
  /** Population mean value per purchase used when Gamma-Gamma is unavailable. */
  meanValue: number;
  ggNote?: string;
}

/** Fits BG/NBD (+ Gamma-Gamma when possible) on the summaries of every customer. */
export function fitBtyd(rft: RftSummary): BtydModel {
  const bg = fitBgNbd({ frequency: rft.frequency, recency: rft.recency, T: rft.T }, { penalizer: 0.001 });
  let totalSpend = 0,
    totalOrders = 0;
  const fx: number[] = [],
    fm: number[] = [];
  for (let i = 0; i < rft.frequency.length; i++) {
    totalSpend += rft.pastSpend[i];
    totalOrders += rft.frequency[i] + 1;
    if (rft.frequency[i] > 0 && rft.monetary[i] > 0) {
      fx.push(rft.frequency[i]);
      fm.push(rft.monetary[i]);
    }
  }
  const meanValue = totalOrders > 0 ? totalSpend / totalOrders : 0;
  let gg: FittedGammaGamma | null = null;
  let ggNote: string | undefined;
  if (fx.length >= 10) {
    try {
      gg = fitGammaGamma({ frequency: Float64Array.from(fx), monetary: Float64Array.from(fm) }, { qConstraint: true });
      const popMean = gammaGammaPopulationMean(gg.params as GammaGammaParams);
      const seen = fm.reduce((a, b) => a + b, 0) / fm.length;
      if (!Object.values(gg.params).every(Number.isFinite) || gg.params.q <= 1) {
        ggNote = `Gamma-Gamma fit unusable (q = ${gg.params.q}); average order value used instead`;
        gg = null;
      } else if (!(popMean > seen / 5 && popMean < seen * 5)) {
        // A degenerate fit (e.g. every order worth the same: the likelihood has no interior optimum).
        ggNote = `Gamma-Gamma fit implausible (population mean ${popMean.toPrecision(3)} vs ${seen.toPrecision(3)} observed); average order value used instead`;
        gg = null;
      }
    } catch (e) {
      ggNote = `Gamma-Gamma fit failed (${(e as Error).message}); average order value used instead`;
    }
  } else ggNote = `only ${fx.length} repeat buyers with spend: Gamma-Gamma skipped, average order value used`;
  return { bg, gg, meanValue, ggNote };
}

/** Expected value per purchase per customer (Gamma-Gamma E[M | x, m] or the fallback). */
export function valuePerPurchase(m: BtydModel, rft: RftSummary): Float64Array {
  if (m.gg) return gammaGammaConditionalExpectedSpend(m.gg.params as GammaGammaParams, rft.frequency, rft.monetary);
  const out = new Float64Array(rft.frequency.length);
  for (let i = 0; i < out.length; i++) {
    const own = rft.pastSpend[i] / (rft.frequency[i] + 1);
    out[i] = own > 0 ? own : m.meanValue;
  }
  return out;
}

/** Per-customer BTYD predictions over the next `horizonWeeks`. */
export interface BtydPrediction {
  orders: Float64Array;
  value: Float64Array;
  spend: Float64Array;
  pAlive: Float64Array;
}

/** E[purchases], value per purchase, expected spend and P(alive) for each customer. */
export function predictBtyd(m: BtydModel, rft: RftSummary, horizonWeeks: number): BtydPrediction {
  const orders = bgnbdScorer(rft.frequency, rft.recency, rft.T)(m.bg.params, horizonWeeks);
  const value = valuePerPurchase(m, rft);
  const spend = new Float64Array(orders.length);
  for (let i = 0; i < spend.length; i++) spend[i] = orders[i] * value[i];
  const pAlive = bgnbdProbabilityAlive(m.bg.params, rft.frequency, rft.recency, rft.T);
  return { orders, value, spend, pAlive };
}

/** Economic settings for CLV. */
export interface ClvSettings {
  /** CLV horizon in months (integer ≥ 1). */
  horizonMonths: number;
  /** Annual discount rate (e.g. 0.1). */
  annualDiscountRate: number;
  /** Gross margin in (0, 1]. */
  grossMargin: number;
}

/**
 * BTYD CLV with a 5–95 % interval (parameter uncertainty) per customer: parametric bootstrap for
 * shops up to 20,000 customers, the delta method above that (8 CLV evaluations instead of `draws`;
 * within a few % of the bootstrap's bounds on CDNOW, see app/clv/uncertainty.test.ts).
 * Without parameter covariances (singular Hessian or no Gamma-Gamma) the interval collapses to the
 * point (`intervalAvailable: false`) rather than inventing a width.
 */
export function btydClv(
  m: BtydModel,
  rft: RftSummary,
  s: ClvSettings,
  draws = 100,
  pointOnly = false,
): {
  point: Float64Array;
  low: Float64Array;
  high: Float64Array;
  intervalAvailable: boolean;
  method: "bootstrap" | "delta" | "none";
} {
  const o = {
    horizonMonths: s.horizonMonths,
    annualDiscountRate: s.annualDiscountRate,
    grossMargin: s.grossMargin,
    timeUnitsPerMonth: TIME_UNITS_PER_MONTH.week,
  };
  if (!pointOnly && m.gg && m.bg.logParamCovariance && m.gg.logParamCovariance) {
    const iv = clvPredictionInterval(
      m.bg,
      m.gg,
      { frequency: rft.frequency, recency: rft.recency, T: rft.T, monetary: rft.monetary },
      rft.frequency.length > BTYD_DELTA_ABOVE
        ? { ...o, ...BTYD_INTERVAL, method: "delta" }
        : { ...o, ...BTYD_INTERVAL, draws, seed: 7 },
    );
    return { point: iv.point, low: iv.low, high: iv.high, intervalAvailable: true, method: iv.method };
  }
  const score = bgnbdScorer(rft.frequency, rft.recency, rft.T);
  const point = customerLifetimeValue((t, out) => score(m.bg.params, t, out), valuePerPurchase(m, rft), o);
  return { point, low: point.slice(), high: point.slice(), intervalAvailable: false, method: "none" };
}
