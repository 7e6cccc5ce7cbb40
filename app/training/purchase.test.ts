import { describe, expect, it } from "vitest";
import { Rng } from "~/clv/rng";
import { rocAuc, reliabilityTable } from "~/clv/classification";
import { CHURN_WINDOW_DAYS, fitPurchaseModel, scorePurchases } from "./purchase";
import type { RftSummary } from "./features";

/**
 * Modified BG/NBD customers with known parameters (weeks): λ ~ Gamma(r, 1/α), p ~ Beta(a, b); a
 * customer may drop out at time 0 and after every purchase with probability p. Returns the
 * calibration summaries and whether each customer bought in the following `aheadWeeks`.
 */
function simulateMbg(n: number, seed: number, aheadWeeks: number) {
  const P = { r: 0.6, alpha: 8, a: 0.8, b: 2.5 };
  const rng = new Rng(seed);
  const x = new Float64Array(n),
    tx = new Float64Array(n),
    T = new Float64Array(n),
    boughtAhead = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = rng.gamma(P.r, 1 / P.alpha);
    const p = rng.beta(P.a, P.b);
    T[i] = 26 + rng.uniform() * 52;
    let t = 0,
      alive = rng.uniform() >= p;
    while (alive) {
      t += rng.exponential() / lambda;
      if (t > T[i] + aheadWeeks) break;
      if (t <= T[i]) {
        x[i]++;
        tx[i] = t;
      } else {
        boughtAhead[i] = 1;
        break;
      }
      alive = rng.uniform() >= p;
    }
  }
  const rft: RftSummary = {
    frequency: x,
    recency: tx,
    T,
    monetary: new Float64Array(n),
    pastSpend: new Float64Array(n),
    firstAt: new Float64Array(n),
    lastAt: new Float64Array(n),
    orderCount: Int32Array.from(x, (v) => v + 1),
  };
  return { rft, boughtAhead };
}

describe("purchase model (MBG/NBD): churn probability and next-order date", () => {
  const weeks = CHURN_WINDOW_DAYS / 7;
  const { rft, boughtAhead } = simulateMbg(20_000, 11, weeks);
  const m = fitPurchaseModel(rft);
  const s = scorePurchases(m, rft, 365);
  const churned = boughtAhead.map((b) => 1 - b);

  it("ranks who will not buy in the next 90 days (AUC on simulated truth)", () => {
    expect(m.atBoundary).toEqual([]);
    expect(rocAuc(s.churnProbability, churned)).toBeGreaterThan(0.75);
  });

  it("is calibrated: forecast churn matches the observed rate overall and per decile", () => {
    const mean = s.churnProbability.reduce((a, b) => a + b, 0) / churned.length;
    const rate = churned.reduce((a, b) => a + b, 0) / churned.length;
    expect(Math.abs(mean - rate)).toBeLessThan(0.02);
    for (const row of reliabilityTable(s.churnProbability, churned))
      expect(Math.abs(row.meanForecast - row.observedRate), `bin ${row.bin}`).toBeLessThan(0.05);
  });

  it("sees one-time buyers' dropout: their P(alive) falls with time since the first order", () => {
    const one = [...rft.frequency.keys()].filter((i) => rft.frequency[i] === 0);
    expect(one.some((i) => s.pAlive[i] < 0.95)).toBe(true);
    const young = one.filter((i) => rft.T[i] < 35),
      old = one.filter((i) => rft.T[i] > 70);
    const avg = (ix: number[]) => ix.reduce((a, i) => a + s.pAlive[i], 0) / ix.length;
    expect(avg(old)).toBeLessThan(avg(young));
  });

  it("a next order expected within 90 days implies churn ≤ ½; none expected when P(alive) ≤ ½", () => {
    for (let i = 0; i < churned.length; i++) {
      if (s.nextOrderDays[i] <= CHURN_WINDOW_DAYS) expect(s.churnProbability[i]).toBeLessThanOrEqual(0.5 + 1e-9);
      if (s.pAlive[i] <= 0.5) expect(Number.isNaN(s.nextOrderDays[i])).toBe(true);
    }
  });
});
