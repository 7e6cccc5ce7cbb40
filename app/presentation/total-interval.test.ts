import { describe, expect, it } from "vitest";
import { totalInterval } from "./total-interval";

describe("totalInterval", () => {
  it("is far narrower than the sum of per-customer bounds for many independent customers", () => {
    // 10,000 customers, each 100 with a 5–95 % interval [0, 300].
    const n = 10_000;
    const r = totalInterval(n * 100, n * 300 * 300, { lower: 0.05, upper: 0.95 })!;
    const sd = (Math.sqrt(n) * 300) / (2 * 1.6448536269514722);
    expect(r.low).toBeCloseTo(n * 100 - 1.6448536269514722 * sd, 3);
    expect(r.high).toBeCloseTo(n * 100 + 1.6448536269514722 * sd, 3);
    expect(r.high - r.low).toBeLessThan((n * 300) / 50);
  });
  it("is null without an interval and never below zero", () => {
    expect(totalInterval(10, 4, { lower: null, upper: null })).toBeNull();
    expect(totalInterval(10, 4, null)).toBeNull();
    expect(totalInterval(1, 10_000, { lower: 0.1, upper: 0.9 })!.low).toBe(0);
  });
});
