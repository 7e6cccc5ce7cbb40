import { describe, expect, it } from "vitest";
import { clvHistogram, cohortCurves, concentrationCurve, niceHistogram, niceStep, quantileSorted } from "./stats";

describe("clvHistogram", () => {
  it("puts every value in exactly one bin and splits off the top 1%", () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => i).sort();
    const h = clvHistogram(values, 10);
    const inBins = h.bins.reduce((s, b) => s + b.count, 0);
    expect(inBins + (h.overflow?.count ?? 0)).toBe(1000);
    expect(h.overflow?.count).toBe(10); // 990..999 lie above p99 = 989.01
    expect(h.bins[0].from).toBe(0);
  });
  it("handles empty and all-zero inputs", () => {
    expect(clvHistogram([], 5).bins).toEqual([]);
    const h = clvHistogram([0, 0, 0], 4);
    expect(h.bins[0].count).toBe(3);
    expect(h.overflow).toBeNull();
  });
  it("rejects a bad bin count", () => {
    expect(() => clvHistogram([1], 0)).toThrow(/bins/);
  });
});

describe("concentrationCurve", () => {
  it("is the diagonal with Gini 0 for equal values", () => {
    const { curve, gini } = concentrationCurve([5, 5, 5, 5], 4);
    expect(gini).toBeCloseTo(0, 12);
    for (const p of curve) expect(p.valueShare).toBeCloseTo(p.customerShare, 12);
  });
  it("puts all value in the top customer when one holds everything", () => {
    const { curve, gini } = concentrationCurve([0, 0, 0, 10], 4);
    expect(curve[1]).toEqual({ customerShare: 0.25, valueShare: 1 });
    expect(gini).toBeCloseTo(0.75, 12); // (n-1)/n
  });
  it("matches a hand-computed Gini", () => {
    // x = 1,2,3,4: G = 2*(1+4+9+16)/(4*10) - 5/4 = 0.25
    expect(concentrationCurve([1, 2, 3, 4]).gini).toBeCloseTo(0.25, 12);
  });
});

describe("quantileSorted", () => {
  it("interpolates like numpy", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.99)).toBeCloseTo(3.97, 12);
  });
});

describe("cohortCurves", () => {
  it("averages cumulative revenue per cohort customer over completed months only", () => {
    const d = (s: string) => new Date(s + "T12:00:00Z");
    const cohorts = cohortCurves(
      [
        { customerId: "a", processedAt: d("2024-01-05"), revenue: 10 },
        { customerId: "a", processedAt: d("2024-02-10"), revenue: 20 },
        { customerId: "b", processedAt: d("2024-01-20"), revenue: 30 },
        { customerId: "c", processedAt: d("2024-03-01"), revenue: 7 },
        { customerId: "a", processedAt: d("2024-04-02"), revenue: 100 }, // month 3 of Jan cohort: not complete
      ],
      d("2024-04-15"),
    );
    expect(cohorts.map((c) => c.month)).toEqual(["2024-01", "2024-03"]);
    expect(cohorts[0].customers).toBe(2);
    expect(cohorts[0].cumulative).toEqual([20, 30, 30]);
    expect(cohorts[1].cumulative).toEqual([7]);
    // Jan cohort: a ordered again in month 1 (Feb), nobody in month 2 (Mar); month 3 incomplete.
    expect(cohorts[0].retention).toEqual([0.5, 0]);
    expect(cohorts[1].retention).toEqual([]);
  });
  it("counts a customer once per month however many orders they place in it", () => {
    const d = (s: string) => new Date(s + "T12:00:00Z");
    const [c] = cohortCurves(
      [
        { customerId: "a", processedAt: d("2024-01-05"), revenue: 1 },
        { customerId: "a", processedAt: d("2024-02-01"), revenue: 1 },
        { customerId: "a", processedAt: d("2024-02-20"), revenue: 1 },
        { customerId: "b", processedAt: d("2024-01-06"), revenue: 1 },
      ],
      d("2024-03-15"),
    );
    expect(c.retention).toEqual([0.5]);
  });
});

describe("niceHistogram", () => {
  it("re-bins to round edges, keeps every customer and scales by the factor", () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => i * 0.37).sort();
    const fine = clvHistogram(values, 240);
    const h = niceHistogram(fine, 3.3, 20);
    const count = h.bins.reduce((s, b) => s + b.count, 0) + (h.overflow?.count ?? 0);
    expect(count).toBe(1000);
    const width = h.bins[0].to - h.bins[0].from;
    expect([1, 2, 2.5, 5].some((m) => Math.abs(width / Math.pow(10, Math.floor(Math.log10(width))) - m) < 1e-9)).toBe(
      true,
    );
    for (const b of h.bins) expect(Math.abs(b.from / width - Math.round(b.from / width))).toBeLessThan(1e-9);
    expect(h.bins.at(-1)!.to).toBeGreaterThanOrEqual(fine.bins.at(-1)!.to * 3.3);
    expect(h.overflow!.from).toBe(h.bins.at(-1)!.to);
  });
  it("rounds steps to 1, 2, 2.5 or 5 × 10^k", () => {
    expect(niceStep(3.01)).toBe(5);
    expect(niceStep(0.21)).toBe(0.25);
    expect(niceStep(11)).toBe(20);
    expect(niceStep(100)).toBe(100);
  });
});
