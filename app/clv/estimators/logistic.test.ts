import { describe, expect, it } from "vitest";
import { Rng } from "../rng";
import { maxReliabilityGap, rocAuc } from "../classification";
import { fitLogistic, logisticFromJSON, predictLogistic } from "./logistic";

/** Labels drawn from a known logistic model; returns the true probabilities too. */
function logisticData(n: number, coef: number[], b0: number, seed: number) {
  const rng = new Rng(seed);
  const d = coef.length;
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b0;
    for (let j = 0; j < d; j++) {
      x[i * d + j] = rng.normal();
      s += coef[j] * x[i * d + j];
    }
    p[i] = 1 / (1 + Math.exp(-s));
    y[i] = rng.uniform() < p[i] ? 1 : 0;
  }
  return { X: { n, d, x }, y, p };
}

describe("logistic regression (Newton / IRLS)", () => {
  const coef = [1.2, -0.8, 0, 0.4];
  const train = logisticData(20_000, coef, -0.5, 1);
  const test = logisticData(20_000, coef, -0.5, 2);

  it("recovers the true coefficients and converges in a few Newton steps", () => {
    const f = fitLogistic(train.X, train.y, { lambda: 1e-6 });
    expect(f.diagnostics.converged).toBe(true);
    expect(f.diagnostics.iterations).toBeLessThan(12);
    f.coef.forEach((c, j) => expect(Math.abs(c - coef[j])).toBeLessThan(0.06));
    expect(Math.abs(f.intercept + 0.5)).toBeLessThan(0.06);
  });

  it("reaches the true model's AUC and is calibrated on held-out data", () => {
    const f = fitLogistic(train.X, train.y);
    const p = predictLogistic(f, test.X);
    expect(rocAuc(p, test.y)).toBeGreaterThan(rocAuc(test.p, test.y) - 0.005);
    expect(maxReliabilityGap(p, test.y)).toBeLessThan(0.04);
    // against the known truth per customer
    let err = 0;
    for (let i = 0; i < p.length; i++) err = Math.max(err, Math.abs(p[i] - test.p[i]));
    expect(err).toBeLessThan(0.08);
  });

  it("the checks fail for a broken classifier (sign flipped, intercept shifted)", () => {
    const f = fitLogistic(train.X, train.y);
    const flipped = { ...f, coef: f.coef.map((c) => -c) };
    expect(rocAuc(predictLogistic(flipped, test.X), test.y)).toBeLessThan(0.5);
    const shifted = { ...f, intercept: f.intercept + 1 };
    expect(maxReliabilityGap(predictLogistic(shifted, test.X), test.y)).toBeGreaterThan(0.04);
  });

  it("stays finite on separable data (the penalty bounds the coefficients)", () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => i - 100);
    const y = Float64Array.from(x, (v) => (v > 0 ? 1 : 0));
    const f = fitLogistic({ n: 200, d: 1, x }, y, { lambda: 1e-2 });
    expect(Number.isFinite(f.coef[0])).toBe(true);
    expect(f.coef[0]).toBeGreaterThan(0);
  });

  it("round-trips through JSON and rejects bad input", () => {
    const f = fitLogistic(train.X, train.y);
    expect(predictLogistic(logisticFromJSON(JSON.stringify(f)), test.X)).toEqual(predictLogistic(f, test.X));
    expect(() => logisticFromJSON({ ...f, intercept: "x" })).toThrow(/intercept/);
    expect(() => fitLogistic({ n: 2, d: 1, x: Float64Array.from([0, 1]) }, [0, 2])).toThrow(/0 or 1/);
    expect(() => fitLogistic({ n: 2, d: 1, x: Float64Array.from([0, 1]) }, [0, 1], { lambda: -1 })).toThrow(/lambda/);
  });
});
