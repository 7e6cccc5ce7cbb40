import { describe, expect, it } from "vitest";
import { Rng } from "~/clv/rng";
import { normalizedGini } from "~/clv/metrics";
import { CHAMPION_MARGIN, giniLeadNoise, selectChampion } from "./champion";

/** Spend driven by μ; a "challenger" sees μ with less noise than past spend. */
function store(n: number, seed: number, challengerNoise: number) {
  const rng = new Rng(seed);
  const y = new Float64Array(n),
    past = new Float64Array(n),
    ch = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const mu = Math.exp(rng.normal());
    y[i] = rng.uniform() < 0.5 ? 0 : mu * rng.exponential();
    past[i] = mu * Math.exp(0.8 * rng.normal());
    ch[i] = mu * Math.exp(challengerNoise * rng.normal());
  }
  return { y, past, ch };
}

describe("champion choice with the backtest's noise", () => {
  it("a lead inside the required band serves past spend; outside it the challenger", () => {
    const m = { btyd: { gini: 0.655, mae: 1 }, baseline: { gini: 0.65, mae: 3 } };
    expect(selectChampion(m).champion).toBe("btyd");
    const r = selectChampion(m, 0.007);
    expect(r.champion).toBe("baseline");
    expect(r.reason).toMatch(/lead needed 0\.007/);
    expect(selectChampion(m, 0.001).champion).toBe("btyd"); // never below CHAMPION_MARGIN
    expect(
      selectChampion({ btyd: { gini: 0.65 + CHAMPION_MARGIN / 2, mae: 1 }, baseline: { gini: 0.65, mae: 3 } }, 0)
        .champion,
    ).toBe("baseline");
  });

  it("the noise band shrinks with more customers and a real lead clears it", () => {
    const small = store(1_000, 1, 0.3),
      big = store(40_000, 2, 0.3);
    const nSmall = giniLeadNoise(small.ch, small.past, small.y);
    const nBig = giniLeadNoise(big.ch, big.past, big.y);
    expect(nSmall).toBeGreaterThan(nBig);
    expect(nBig).toBeGreaterThan(0);
    // the challenger (less noise around μ) leads by far more than the band on a large store
    expect(normalizedGini(big.ch, big.y) - normalizedGini(big.past, big.y)).toBeGreaterThan(nBig);
  });
});
