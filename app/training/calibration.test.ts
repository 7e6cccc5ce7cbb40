import { describe, expect, it } from "vitest";
import { Rng } from "~/clv/rng";
import {
  applyInterval,
  calibrationReport,
  coverage,
  fitEmpiricalInterval,
  servingScale,
  totalScale,
} from "./calibration";

/** Customers with a known expected spend μ; actual spend is 0 with probability 0.6, else Exp(mean μ / 0.4). */
function fold(n: number, seed: number) {
  const rng = new Rng(seed);
  const mu = new Float64Array(n),
    actual = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = Math.exp(rng.normal() + 3);
    actual[i] = rng.uniform() < 0.6 ? 0 : (rng.exponential() * mu[i]) / 0.4;
  }
  return { mu, actual };
}

describe("calibration on simulated data with a known answer", () => {
  it("a model predicting 2.5× the truth gets scale ≈ 0.4 and a calibrated total on a new fold", () => {
    const a = fold(20_000, 1),
      b = fold(20_000, 2);
    const c = totalScale(
      a.mu.map((v) => v * 2.5),
      a.actual,
    );
    expect(c).toBeCloseTo(0.4, 1);
    const rep = calibrationReport(
      b.mu.map((v) => v * 2.5 * c),
      b.actual,
    );
    expect(Math.abs(rep.ratio - 1)).toBeLessThan(0.05);
    // ranking by μ: every decile's predicted/actual is near 1 (the scale is the only bias)
    for (const d of rep.deciles) expect(Math.abs(d.ratio - 1), `decile ${d.decile}`).toBeLessThan(0.2);
  });

  it("the empirical 80 % interval fitted on one fold covers 80 % ± 3 points of the next", () => {
    const a = fold(20_000, 3),
      b = fold(20_000, 4);
    const iv = fitEmpiricalInterval(a.mu, a.actual, 365)!;
    const { low, high } = applyInterval(iv, b.mu, 365);
    expect(Math.abs(coverage(low, high, b.actual) - 0.8)).toBeLessThan(0.03);
    // informative: for the customers expected to spend most, the upper end is above their mean
    expect(high.some((h, i) => h > b.mu[i])).toBe(true);
  });

  it("serves the most conservative fold factor when the folds agree, 1 when they flip", () => {
    expect(servingScale([0.5, 0.8])).toBeCloseTo(0.8, 12);
    expect(servingScale([1.5, 1.2])).toBeCloseTo(1.2, 12);
    expect(servingScale([0.9, 2])).toBe(1);
    expect(servingScale([])).toBe(1);
  });

  it("clamps the scale factor and leaves degenerate folds uncalibrated", () => {
    expect(totalScale([1, 1], [0, 0])).toBe(1);
    expect(totalScale([1, 1], [100, 100])).toBe(20);
    expect(fitEmpiricalInterval([1], [1], 30)).toBeNull();
  });
});
