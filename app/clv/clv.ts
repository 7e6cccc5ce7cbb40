/**
 * Customer lifetime value over a horizon (docs/reference/clv-engine.md §4.7, lifetimes' `_customer_lifetime_value`),
 * for any transaction model that gives cumulative conditional expected purchases E[Y(t) | history]:
 *
 *   CLV_i = margin · Σ_{k=a+1}^{b} m̃_i · [E[Y(k·f)] − E[Y((k−1)·f)]] / (1+d)^k
 *
 * with months a..b (a = 0, b = H for the plain horizon), f = model time units per month, d the
 * monthly discount rate, m̃_i the expected value per purchase (Gamma-Gamma E[M | x, m], or any
 * positional value array) and `margin` the gross-margin factor (CLV as profit; 1 = revenue).
 * All inputs are positional arrays (no id alignment, docs/reference/clv-engine.md §0).
 */
import type { FittedModel } from "./estimators/types";
import { ClvInputError } from "./estimators/common";
import { bgnbdScorer, type BgNbdParams } from "./estimators/bgnbd";
import { mbgnbdScorer, type MbgNbdParams } from "./estimators/mbgnbd";
import { paretoNbdScorer, type ParetoNbdParams } from "./estimators/paretonbd";
import { gammaGammaConditionalExpectedSpend, type GammaGammaParams } from "./estimators/gammagamma";

/**
 * Cumulative conditional expected purchases in (T, T+t] for every bound customer (t in model time
 * units). When `out` is given the function must fill and return it (the CLV loop reuses buffers).
 */
export type ExpectedPurchasesAt = (t: number, out?: Float64Array) => Float64Array;

/** Model time units per month, as in lifetimes (`W` 4.345, `D` 30, `H` 720, `M` 1). */
export const TIME_UNITS_PER_MONTH = { week: 4.345, day: 30, hour: 720, month: 1 } as const;

/** CLV settings. */
export interface ClvOptions {
  /** Horizon in whole months (≥ 1). Ignored by the window entry point. */
  horizonMonths: number;
  /** Monthly discount rate d (default 0.01 when no annual rate is given). */
  monthlyDiscountRate?: number;
  /** Annual discount rate; converted to monthly as (1 + annual)^(1/12) − 1. Do not combine with the monthly rate. */
  annualDiscountRate?: number;
  /** Model time units per month (e.g. 4.345 when the model was fitted in weeks, 30 in days). */
  timeUnitsPerMonth: number;
  /** Gross-margin factor in (0, 1] applied to revenue (default 1: CLV as revenue). */
  grossMargin?: number;
}

/** The monthly discount rate implied by the options (validated). */
export function monthlyDiscountRate(o: Pick<ClvOptions, "monthlyDiscountRate" | "annualDiscountRate">): number {
  if (o.monthlyDiscountRate !== undefined && o.annualDiscountRate !== undefined)
    throw new ClvInputError("give either monthlyDiscountRate or annualDiscountRate, not both", "annualDiscountRate");
  if (o.annualDiscountRate !== undefined) {
    const a = o.annualDiscountRate;
    if (!(a > -1) || !Number.isFinite(a))
      throw new ClvInputError(`annualDiscountRate must be a finite number > -1 (got ${a})`, "annualDiscountRate");
    return Math.pow(1 + a, 1 / 12) - 1;
  }
  const d = o.monthlyDiscountRate ?? 0.01;
  if (!(d > -1) || !Number.isFinite(d))
    throw new ClvInputError(`monthlyDiscountRate must be a finite number > -1 (got ${d})`, "monthlyDiscountRate");
  return d;
}

function checkOptions(o: ClvOptions, value: Float64Array): void {
  if (!(o.timeUnitsPerMonth > 0) || !Number.isFinite(o.timeUnitsPerMonth))
    throw new ClvInputError(
      `timeUnitsPerMonth must be a positive finite number (got ${o.timeUnitsPerMonth})`,
      "timeUnitsPerMonth",
    );
  const g = o.grossMargin ?? 1;
  if (!(g > 0 && g <= 1)) throw new ClvInputError(`grossMargin must be in (0, 1] (got ${g})`, "grossMargin");
  for (let i = 0; i < value.length; i++)
    if (!Number.isFinite(value[i]))
      throw new ClvInputError(`value per purchase at row ${i} must be finite (got ${value[i]})`, "value", i);
}

/**
 * CLV over months (fromMonth, toMonth], e.g. (12, 36] for "years 2–3", discounted to today.
 * @param expected cumulative conditional expected purchases of the bound customers
 * @param value expected value per purchase per customer (positional)
 */
export function customerLifetimeValueWindow(
  expected: ExpectedPurchasesAt,
  value: Float64Array,
  fromMonth: number,
  toMonth: number,
  o: Omit<ClvOptions, "horizonMonths">,
): Float64Array {
  const opts = { ...o, horizonMonths: toMonth };
  checkOptions(opts, value);
  if (!Number.isInteger(fromMonth) || fromMonth < 0)
    throw new ClvInputError(`fromMonth must be an integer >= 0 (got ${fromMonth})`, "fromMonth");
  if (!Number.isInteger(toMonth) || toMonth <= fromMonth)
    throw new ClvInputError(`toMonth must be an integer > fromMonth (got ${toMonth})`, "toMonth");
  const d = monthlyDiscountRate(o);
  const f = o.timeUnitsPerMonth;
  const margin = o.grossMargin ?? 1;
  const n = value.length;
  const out = new Float64Array(n);
  const checkLen = (v: Float64Array) => {
    if (v.length !== n)
      throw new ClvInputError(
        `the transaction model is bound to ${v.length} customers but ${n} values were given`,
        "value",
      );
    return v;
  };
  let prev = fromMonth === 0 ? new Float64Array(n) : checkLen(Float64Array.from(expected(fromMonth * f)));
  let cur: Float64Array | undefined;
  for (let k = fromMonth + 1; k <= toMonth; k++) {
    cur = checkLen(expected(k * f, cur));
    const disc = margin / Math.pow(1 + d, k);
    for (let i = 0; i < n; i++) out[i] += (cur[i] - prev[i]) * disc;
    const tmp = prev;
    prev = cur;
    cur = tmp;
  }
  for (let i = 0; i < n; i++) out[i] *= value[i];
  return out;
}

/** CLV over the next `horizonMonths` months (months 1..H), discounted monthly. */
export function customerLifetimeValue(expected: ExpectedPurchasesAt, value: Float64Array, o: ClvOptions): Float64Array {
  if (!Number.isInteger(o.horizonMonths) || o.horizonMonths < 1)
    throw new ClvInputError(`horizonMonths must be an integer >= 1 (got ${o.horizonMonths})`, "horizonMonths");
  return customerLifetimeValueWindow(expected, value, 0, o.horizonMonths, o);
}

/**
 * Gamma-Gamma CLV (lifetimes' `GammaGammaFitter.customer_lifetime_value`): value per purchase =
 * E[M | x, m]; the same computation as {@link customerLifetimeValue} on those values (GG.5).
 */
export function ggCustomerLifetimeValue(
  gg: GammaGammaParams,
  expected: ExpectedPurchasesAt,
  frequency: Float64Array,
  monetary: Float64Array,
  o: ClvOptions,
): Float64Array {
  return customerLifetimeValue(expected, gammaGammaConditionalExpectedSpend(gg, frequency, monetary), o);
}

/** Transaction models the CLV helpers can bind by name. */
export type TransactionModelName = "bgnbd" | "mbgnbd" | "pnbd";

/** Binds customers to a transaction model: `(params, t, out?) → E[Y(t) | x, t_x, T]` per customer. */
export function conditionalScorer(
  model: TransactionModelName,
  frequency: Float64Array,
  recency: Float64Array,
  T: Float64Array,
): (params: Record<string, number>, t: number, out?: Float64Array) => Float64Array {
  switch (model) {
    case "bgnbd": {
      const s = bgnbdScorer(frequency, recency, T);
      return (p, t, out) => s(p as BgNbdParams, t, out);
    }
    case "mbgnbd": {
      const s = mbgnbdScorer(frequency, recency, T);
      return (p, t, out) => s(p as MbgNbdParams, t, out);
    }
    case "pnbd": {
      // Grouped rows and P(alive) cached per parameter vector (horizon sums, bootstrap draws).
      const s = paretoNbdScorer(frequency, recency, T);
      return (p, t, out) => s(p as unknown as ParetoNbdParams, t, out);
    }
    default:
      throw new ClvInputError(`no conditional expectation for model "${String(model)}"`, "model");
  }
}

/**
 * `ExpectedPurchasesAt` for a fitted transaction model and a set of customers (positional
 * arrays, in the model's time units).
 */
export function expectedPurchasesFor(
  fitted: Pick<FittedModel, "model" | "params">,
  frequency: Float64Array,
  recency: Float64Array,
  T: Float64Array,
): ExpectedPurchasesAt {
  if (fitted.model !== "bgnbd" && fitted.model !== "mbgnbd" && fitted.model !== "pnbd")
    throw new ClvInputError(`model "${fitted.model}" is not a continuous-time transaction model`, "model");
  const s = conditionalScorer(fitted.model, frequency, recency, T);
  return (t, out) => s(fitted.params, t, out);
}
