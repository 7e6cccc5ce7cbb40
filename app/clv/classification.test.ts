import { describe, expect, it } from "vitest";
import { brierScore, reliabilityTable, rocAuc } from "./classification";

describe("probability forecast metrics", () => {
  it("AUC: 1 for a perfect ranking, 0.5 for ties, 0 reversed, NaN with one class", () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    // one positive above one negative, tied with the other: (1 + 0.5) / 2
    expect(rocAuc([0.3, 0.6, 0.6], [0, 0, 1])).toBe(0.75);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it("Brier score and reliability bins", () => {
    expect(brierScore([1, 0, 0.5], [1, 0, 1])).toBeCloseTo(0.25 / 3, 12);
    const p = Float64Array.from({ length: 100 }, (_, i) => i / 100);
    const y = Float64Array.from(p, (v) => (v >= 0.5 ? 1 : 0));
    const t = reliabilityTable(p, y);
    expect(t).toHaveLength(10);
    expect(t[0]).toMatchObject({ count: 10, observedRate: 0 });
    expect(t[9]).toMatchObject({ count: 10, observedRate: 1 });
    expect(t[9].meanForecast).toBeCloseTo(0.945, 12);
  });
});
