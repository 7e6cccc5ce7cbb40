import { describe, expect, it } from "vitest";
import { Rng } from "../rng";
import { fitLogSpendRidge, fitRidge, logSpendRidgeFromJSON, predictLogSpendRidge, predictRidge } from "./ridge";
import { smearedSpend } from "./tabular";

function linearData(n: number, coef: number[], b0: number, noise: number, seed = 1) {
  const rng = new Rng(seed);
  const d = coef.length;
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b0;
    for (let j = 0; j < d; j++) {
      x[i * d + j] = rng.normal();
      s += coef[j] * x[i * d + j];
    }
    y[i] = s + noise * rng.normal();
  }
  return { X: { n, d, x }, y };
}

describe("ridge regression", () => {
  it("recovers known coefficients and intercept", () => {
    const coef = [1.5, -2, 0, 0.3];
    const { X, y } = linearData(5000, coef, 0.7, 0.5);
    const f = fitRidge(X, y, { lambda: 1e-6 });
    f.coef.forEach((c, j) => expect(c).toBeCloseTo(coef[j], 1));
    expect(f.intercept).toBeCloseTo(0.7, 1);
    expect(f.trainRmse).toBeGreaterThan(0.45);
    expect(f.trainRmse).toBeLessThan(0.55);
  });

  it("shrinks coefficients as lambda grows, never the intercept", () => {
    const { X, y } = linearData(2000, [2, -1], 5, 0.1, 2);
    const small = fitRidge(X, y, { lambda: 1e-6 });
    const big = fitRidge(X, y, { lambda: 10 });
    expect(Math.abs(big.coef[0])).toBeLessThan(Math.abs(small.coef[0]) / 5);
    expect(Math.abs(big.intercept - 5)).toBeLessThan(0.15);
  });

  it("handles a constant column (penalty keeps the system SPD)", () => {
    const { X, y } = linearData(500, [1, 0], 0, 0.1, 3);
    for (let i = 0; i < X.n; i++) X.x[i * 2 + 1] = 4;
    const f = fitRidge(X, y);
    expect(f.coef[1]).toBeCloseTo(0, 6);
    expect(Number.isFinite(f.intercept)).toBe(true);
  });

  it("rejects bad input with a clear error", () => {
    expect(() => fitRidge({ n: 2, d: 2, x: new Float64Array(3) }, [1, 2])).toThrow(/expected 4 values/);
    expect(() => fitRidge({ n: 2, d: 1, x: Float64Array.from([1, NaN]) }, [1, 2])).toThrow(/row 1/);
    expect(() => fitRidge({ n: 2, d: 1, x: Float64Array.from([1, 2]) }, [1, 2], { lambda: 0 })).toThrow(/lambda/);
    const f = fitRidge({ n: 3, d: 1, x: Float64Array.from([1, 2, 3]) }, [1, 2, 3]);
    expect(() => predictRidge(f, { n: 1, d: 2, x: new Float64Array(2) })).toThrow(/fitted on 1 features/);
    expect(() => fitLogSpendRidge({ n: 2, d: 1, x: Float64Array.from([1, 2]) }, [1, Infinity])).toThrow(/spend/);
  });
});

describe("log-spend ridge", () => {
  // Spend = expm1(z), z = 3 + 0.8·x1 + noise with σ = 1 (heavy right tail, like real spend).
  const rng = new Rng(7);
  const n = 20_000;
  const x = new Float64Array(n);
  const spend = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.normal();
    spend[i] = Math.expm1(Math.max(0, 3 + 0.8 * x[i] + rng.normal()));
  }
  const X = { n, d: 1, x };
  const total = spend.reduce((a, b) => a + b, 0);

  it("smearing makes the predicted total match; the plain back-transform is low", () => {
    const f = fitLogSpendRidge(X, spend);
    expect(f.smearing).toBeGreaterThan(1.1);
    const smeared = predictLogSpendRidge(f, X).reduce((a, b) => a + b, 0);
    const naive = smearedSpend(predictRidge(f, X), 1).reduce((a, b) => a + b, 0);
    expect(Math.abs(smeared / total - 1)).toBeLessThan(0.05);
    expect(naive / total).toBeLessThan(0.85);
  });

  it("round-trips through JSON and predicts identically", () => {
    const f = fitLogSpendRidge(X, spend);
    const g = logSpendRidgeFromJSON(JSON.stringify(f));
    expect(predictLogSpendRidge(g, X)).toEqual(predictLogSpendRidge(f, X));
    expect(() => logSpendRidgeFromJSON({ ...f, coef: [NaN] })).toThrow(/coef/);
    expect(() => logSpendRidgeFromJSON({ ...f, model: "ridge" })).toThrow(/model/);
  });

  it("caps the log-scale prediction at the largest training target (no exponential extrapolation)", () => {
    const f = fitLogSpendRidge(X, spend);
    const far = predictLogSpendRidge(f, { n: 1, d: 1, x: Float64Array.from([1e3]) })[0];
    expect(far).toBeCloseTo(Math.exp(f.zMax) * f.smearing - 1, 6);
    expect(far).toBeLessThan(Math.max(...spend) * f.smearing * 1.01);
  });
});
