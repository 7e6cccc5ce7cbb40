/**
 * The per-customer purchase model behind P(alive), churn risk, expected orders and the expected
 * next-order date: Modified BG/NBD (a customer may drop out right after any purchase, the first
 * one included, so a one-time buyer who lapsed long ago is not "100 % active" as under BG/NBD).
 * Pure; formulas and the coherence rule in docs/models/churn-and-next-order.md.
 *
 * With the MBG/NBD posterior at T (weeks), given the customer is alive their purchase rate is
 * Gamma(r + x, α + T), and while no purchase happens they cannot drop out, so
 *   P(no purchase in (T, T + t] | alive) = ((α + T) / (α + T + t))^(r + x)
 *   P(no purchase in (T, T + t])         = 1 − P(alive) · (1 − ((α + T) / (α + T + t))^(r + x)).
 * churnProbability = the latter with t = 90 days. The expected next-order date is the median of
 * the time to the next purchase: the t solving P(purchase by T + t) = ½, i.e.
 *   t = (α + T) · ((1 − ½ / P(alive))^(−1 / (r + x)) − 1),
 * which exists only when P(alive) > ½; past the CLV horizon (or without a solution) there is no
 * expected next order (null): the customer more likely than not will not order in the horizon.
 */
import { fitMbgNbd, mbgnbdProbabilityAlive, type FittedMbgNbd } from "~/clv/estimators/mbgnbd";
import type { RftSummary } from "./features";

/** Churn window of `churnProbability`: P(no order in the next 90 days). */
export const CHURN_WINDOW_DAYS = 90;

/** A fitted purchase model (parameters only). */
export interface PurchaseModel {
  kind: "mbgnbd";
  fit: FittedMbgNbd;
  /** Parameters that ended at an optimiser bound (flat likelihood), if any. */
  atBoundary: string[];
}

/** Per-customer outputs of the purchase model at the scoring cutoff. */
export interface PurchaseScores {
  pAlive: Float64Array;
  /** P(no order in the next CHURN_WINDOW_DAYS days). */
  churnProbability: Float64Array;
  /** Days from the cutoff to the median next order; NaN = not expected within the horizon. */
  nextOrderDays: Float64Array;
}

/** Fits MBG/NBD on the point-in-time summaries (weeks). Throws when it cannot be fitted. */
export function fitPurchaseModel(rft: RftSummary): PurchaseModel {
  const fit = fitMbgNbd({ frequency: rft.frequency, recency: rft.recency, T: rft.T }, { penalizer: 0.001 });
  const p = fit.params;
  if (![p.r, p.alpha, p.a, p.b].every((v) => Number.isFinite(v) && v > 0))
    throw new Error("MBG/NBD fit produced non-finite parameters");
  const atBoundary = [
    ...new Set([
      ...(fit.diagnostics.atBoundary ?? []),
      ...(Object.entries(p) as [string, number][]).filter(([, v]) => v < 1e-6 || v > 1e6).map(([k]) => k),
    ]),
  ];
  return { kind: "mbgnbd", fit, atBoundary };
}

/** P(no purchase in the next `weeks` | alive) for one customer. */
function quietIfAlive(m: PurchaseModel, x: number, T: number, weeks: number): number {
  const { r, alpha } = m.fit.params;
  return Math.exp((r + x) * (Math.log(alpha + T) - Math.log(alpha + T + weeks)));
}

/** P(alive), churn probability and the expected next-order date for every customer. */
export function scorePurchases(m: PurchaseModel, rft: RftSummary, horizonDays: number): PurchaseScores {
  const n = rft.frequency.length;
  const pAlive = mbgnbdProbabilityAlive(m.fit.params, rft.frequency, rft.recency, rft.T);
  const churn = new Float64Array(n),
    next = new Float64Array(n);
  const { r, alpha } = m.fit.params;
  const w = CHURN_WINDOW_DAYS / 7;
  for (let i = 0; i < n; i++) {
    const x = rft.frequency[i],
      T = rft.T[i],
      pa = pAlive[i];
    churn[i] = Math.min(1, Math.max(0, 1 - pa * (1 - quietIfAlive(m, x, T, w))));
    next[i] = Number.NaN;
    if (pa > 0.5) {
      const weeks = (alpha + T) * (Math.pow(1 - 0.5 / pa, -1 / (r + x)) - 1);
      const days = weeks * 7;
      if (Number.isFinite(days) && days <= horizonDays) next[i] = Math.max(0, days);
    }
  }
  return { pAlive, churnProbability: churn, nextOrderDays: next };
}
