import { describe, expect, it } from "vitest";
import { Rng } from "~/clv/rng";
import {
  applyInterval,
  calibrationReport,
  coverage,
  crossFoldInterval,
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

  it("serves the newest fold factor when the folds agree, shrunk toward 1 as they disagree, 1 when they flip", () => {
    // consistent folds (newest first): the newest factor, barely shrunk
    expect(servingScale([0.5, 0.5, 0.5])).toBeCloseTo(0.5, 12);
    expect(servingScale([0.4, 0.42, 0.41])).toBeGreaterThan(0.4);
    expect(servingScale([0.4, 0.42, 0.41])).toBeLessThan(0.405);
    // folds that move a lot (a changing customer mix): carried only partly
    const drifting = servingScale([0.3, 0.6, 0.9]);
    expect(drifting).toBeGreaterThan(0.3);
    expect(drifting).toBeLessThan(0.9);
    expect(Math.log(drifting) / Math.log(0.3)).toBeLessThan(0.8);
    expect(servingScale([1.5])).toBeCloseTo(1.5, 12);
    expect(servingScale([0.9, 2])).toBe(1);
    expect(servingScale([])).toBe(1);
  });

  it("carries a trend of the fold factors toward 1, at most the folds' span ahead, never past 1, never away from 1", () => {
    // newest first; cutoffs in days; bias shrinking by a factor e^0.1 every 30 days
    const f = [0, 1, 2].map((j) => Math.exp(-1 - 0.1 * j));
    const cutoffs = [0, -30, -60];
    // 30 days ahead: the line's value there
    expect(servingScale(f, { cutoffs, at: 30 })).toBeCloseTo(Math.exp(-0.9), 6);
    // far ahead: no further than the folds' span (60 days) past the newest fold
    expect(servingScale(f, { cutoffs, at: 10_000 })).toBeCloseTo(Math.exp(-0.8), 6);
    // a steep trend stops at 1
    const steep = [0, 1, 2].map((j) => Math.exp(-0.2 - 0.2 * j));
    expect(servingScale(steep, { cutoffs, at: 60 })).toBeCloseTo(1, 12);
    // a bias growing toward the newest fold is not extrapolated: the newest factor (shrunk by the
    // residual disagreement, here none) is served
    const g = [0, 1, 2].map((j) => Math.exp(-1 + 0.1 * j));
    expect(servingScale(g, { cutoffs, at: 90 })).toBeCloseTo(Math.exp(-1), 6);
  });

  it("calibrated totals across folds: a model over-predicting 2× on every fold is served at ≈ ½ and lands within 3 % on a new fold", () => {
    const folds = [5, 6, 7].map((s) => fold(20_000, s));
    const factors = folds.map((f) =>
      totalScale(
        f.mu.map((v) => v * 2),
        f.actual,
      ),
    );
    const c = servingScale(factors);
    expect(c).toBeCloseTo(0.5, 1);
    const next = fold(20_000, 8);
    const rep = calibrationReport(
      next.mu.map((v) => v * 2 * c),
      next.actual,
    );
    expect(Math.abs(rep.ratio - 1)).toBeLessThan(0.03);
  });

  it("cross-fold conformal interval: shaped on an older fold, level set on a newer fold whose spread grew, covers 80 % ± 5 points of the next", () => {
    // the spread of actual around μ widens from fold to fold (drift); an interval fitted on the
    // older fold alone misses 80 % by more than 5 points, the conformalised one tracks the newer fold
    const spread = (n: number, seed: number, sd: number) => {
      const rng = new Rng(seed);
      const mu = new Float64Array(n),
        actual = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        mu[i] = Math.exp(rng.normal() + 3);
        actual[i] = rng.uniform() < 0.5 ? 0 : mu[i] * 2 * Math.exp(sd * rng.normal() - (sd * sd) / 2);
      }
      return { mu, actual };
    };
    const old = spread(20_000, 9, 0.5),
      recent = spread(20_000, 10, 1.2),
      next = spread(20_000, 11, 1.2);
    const naive = fitEmpiricalInterval(old.mu, old.actual, 90)!;
    const n1 = applyInterval(naive, next.mu, 90);
    expect(Math.abs(coverage(n1.low, n1.high, next.actual) - 0.8)).toBeGreaterThan(0.05);
    const iv = crossFoldInterval(
      { pred: old.mu, actual: old.actual, days: 90 },
      { ...recent, pred: recent.mu, days: 90 },
    )!;
    const { low, high } = applyInterval(iv, next.mu, 90);
    expect(Math.abs(coverage(low, high, next.actual) - 0.8)).toBeLessThan(0.05);
    // without an older fold it fits on the newer one
    expect(crossFoldInterval(null, { pred: recent.mu, actual: recent.actual, days: 90 })).not.toBeNull();
  });

  it("clamps the scale factor and leaves degenerate folds uncalibrated", () => {
    expect(totalScale([1, 1], [0, 0])).toBe(1);
    expect(totalScale([1, 1], [100, 100])).toBe(20);
    expect(fitEmpiricalInterval([1], [1], 30)).toBeNull();
  });
});
