/**
 * The served per-customer story (pure): calibrated interval, P(alive), churn risk, the expected
 * next-order date and expected orders, made consistent with the served CLV by one rule
 * (docs/models/churn-and-next-order.md):
 *
 * 1. P(alive), churn probability (P(no order in the next 90 days)) and the next-order date come
 *    from one purchase model (Modified BG/NBD, ./purchase.ts), so they never contradict each other:
 *    a next order expected within 90 days implies churn probability ≤ ½.
 * 2. Expected orders over the CLV horizon × expected order value = the served CLV ÷ (gross margin ×
 *    mean discount factor), i.e. the number of orders at the customer's expected order value that
 *    the predicted spend amounts to.
 * 3. A customer outside the lowest tier with P(alive) < 5 % gets a reason saying so and why the
 *    model still values them (the served model ranks on spend history, not on activity alone).
 */
import { applyInterval, type EmpiricalInterval } from "./calibration";
import type { FeatureSet } from "./features";
import type { Driver } from "./explain";
import { scorePurchases, type PurchaseModel } from "./purchase";
import { modelLabel } from "~/clv/model-labels";

const DAY = 86_400_000;

/** Calibration a served model carries: the scale factor and the empirical interval (backtest.ts). */
export interface ServingCalibration {
  scale: number;
  interval: EmpiricalInterval | null;
}

/** P(alive) below this counts as "probably no longer buying" for the coherence rule. */
export const LAPSED_P_ALIVE = 0.05;

/** Per-customer interval of the served CLV from the empirical interval of window spend. */
export function clvInterval(
  iv: EmpiricalInterval,
  windowSpend: Float64Array,
  clv: Float64Array,
  windowDays: number,
  clvPerWindowSpend: number,
): { low: Float64Array; high: Float64Array } {
  const w = applyInterval(iv, windowSpend, windowDays);
  const low = new Float64Array(clv.length),
    high = new Float64Array(clv.length);
  for (let i = 0; i < clv.length; i++) {
    if (windowSpend[i] > 0) {
      low[i] = (clv[i] * w.low[i]) / windowSpend[i];
      high[i] = (clv[i] * w.high[i]) / windowSpend[i];
    } else {
      low[i] = w.low[i] * clvPerWindowSpend;
      high[i] = w.high[i] * clvPerWindowSpend;
    }
    if (low[i] > clv[i]) low[i] = clv[i];
    if (high[i] < clv[i]) high[i] = clv[i];
  }
  return { low, high };
}

/** The purchase-model part of the story; without a purchase model, a transparent recency rule. */
export function purchaseStory(
  purchase: PurchaseModel | null,
  fs: FeatureSet,
  horizonDays: number,
): { pAlive: Float64Array; churnProbability: Float64Array; nextOrderAt: Float64Array } {
  const asOf = fs.cutoff;
  if (purchase) {
    const s = scorePurchases(purchase, fs.rft, horizonDays);
    return {
      pAlive: s.pAlive,
      churnProbability: s.churnProbability,
      nextOrderAt: s.nextOrderDays.map((d) => (Number.isFinite(d) ? asOf + d * DAY : Number.NaN)),
    };
  }
  // No purchase model (too few customers to fit one): P(alive) decays with the time since the last
  // order relative to the customer's own gap between orders; churn = 1 − P(alive); no date.
  const n = fs.customerIds.length;
  const pAlive = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = fs.rft;
    const since = (asOf - r.lastAt[i]) / DAY;
    const gap = r.frequency[i] > 0 ? (r.recency[i] * 7) / r.frequency[i] : 90;
    pAlive[i] = Number.isFinite(since) ? Math.exp(-Math.max(0, since) / Math.max(60, 2 * gap)) : 0;
  }
  return { pAlive, churnProbability: pAlive.map((p) => 1 - p), nextOrderAt: new Float64Array(n).fill(Number.NaN) };
}

/** Rule 2: expected orders = CLV ÷ (margin × mean discount) ÷ expected order value. */
export function coherentExpectedOrders(
  clv: Float64Array,
  valuePerOrder: Float64Array,
  clvPerHorizonSpend: number,
): Float64Array {
  return clv.map((v, i) =>
    valuePerOrder[i] > 0 && clvPerHorizonSpend > 0 ? v / clvPerHorizonSpend / valuePerOrder[i] : 0,
  );
}

/** Rule 3: adds the "probably lapsed" reason to customers outside the lowest tier with low P(alive). */
export function explainLapsed(
  drivers: Driver[][],
  pAlive: Float64Array,
  tier: string[],
  lowestTier: string,
  fs: FeatureSet,
  model: string,
): void {
  for (let i = 0; i < drivers.length; i++) {
    if (pAlive[i] >= LAPSED_P_ALIVE || tier[i] === lowestTier) continue;
    const days = Math.round((fs.cutoff - fs.rft.lastAt[i]) / DAY);
    drivers[i] = [
      {
        phrase: `Probably no longer buying (P(alive) ${(pAlive[i] * 100).toFixed(1)} %, last order ${days} days ago); the ${modelLabel(model)} prediction still values their past spending, which customers like them have repaid on average`,
        weight: 0,
      },
      ...drivers[i],
    ];
  }
}
