import { describe, expect, it } from "vitest";
import { Rng } from "../rng";
import { fitGbt, fitLogSpendGbt, logSpendGbtFromJSON, predictGbt, predictLogSpendGbt } from "./gbt";
import { fitRidge, predictRidge } from "./ridge";

/** y = step in x0 + interaction x1·x2 + noise: nonlinear, so a linear model misses most of it. */
function nonlinear(n: number, seed: number, noise = 0.3) {
  const rng = new Rng(seed);
  const d = 4;
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = rng.normal();
    const [a, b, c] = [x[i * d], x[i * d + 1], x[i * d + 2]];
    y[i] = (a > 0.5 ? 2 : 0) + (b > 0 && c > 0 ? 1.5 : 0) + noise * rng.normal();
  }
  return { X: { n, d, x }, y };
}

const mse = (p: ArrayLike<number>, y: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i] - y[i]) ** 2;
  return s / y.length;
};

describe("gradient-boosted trees", () => {
  const train = nonlinear(6000, 1);
  const test = nonlinear(6000, 2);

  it("learns a step and an interaction close to the noise floor; ridge cannot", () => {
    const f = fitGbt(train.X, train.y, { trees: 150, maxDepth: 3, minLeaf: 20 });
    const err = mse(predictGbt(f, test.X), test.y);
    expect(err).toBeLessThan(0.3 ** 2 * 1.5);
    const lin = mse(predictRidge(fitRidge(train.X, train.y), test.X), test.y);
    expect(lin).toBeGreaterThan(err * 2.5);
    // The useless feature gets (almost) no split gain.
    expect(f.gain[3]).toBeLessThan(0.02 * f.gain[0]);
  });

  it("respects depth and minimum leaf size", () => {
    const f = fitGbt(train.X, train.y, { trees: 5, maxDepth: 2, minLeaf: 1000, subsample: 1 });
    for (const t of f.trees) {
      expect(t.feature.length).toBeLessThanOrEqual(7);
      // Leaf sizes: route the training rows and count.
      const counts = new Map<number, number>();
      for (let i = 0; i < train.X.n; i++) {
        let k = 0;
        while (t.feature[k] >= 0) k = train.X.x[i * 4 + t.feature[k]] <= t.threshold[k] ? t.left[k] : t.right[k];
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      for (const c of counts.values()) expect(c).toBeGreaterThanOrEqual(1000);
    }
  });

  it("is deterministic for a seed and changes with it", () => {
    const a = fitGbt(train.X, train.y, { trees: 20 });
    const b = fitGbt(train.X, train.y, { trees: 20 });
    const c = fitGbt(train.X, train.y, { trees: 20, seed: 2 });
    expect(JSON.stringify(a.trees)).toBe(JSON.stringify(b.trees));
    expect(JSON.stringify(a.trees)).not.toBe(JSON.stringify(c.trees));
  });

  it("shrinkage: one round with learning rate 0.1 moves a tenth of the way", () => {
    const n = 400;
    const x = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
    const y = Float64Array.from(x, (v) => v * 10);
    const f = fitGbt({ n, d: 1, x }, y, { trees: 1, learningRate: 0.1, lambda: 0, minLeaf: 1, subsample: 1 });
    const p = predictGbt(f, { n: 2, d: 1, x: Float64Array.from([0, 1]) });
    expect(p[0]).toBeCloseTo(5 - 0.5, 6);
    expect(p[1]).toBeCloseTo(5 + 0.5, 6);
  });

  it("log-spend variant: smeared totals match, JSON round trip predicts identically", () => {
    const rng = new Rng(5);
    const n = 8000;
    const x = new Float64Array(n * 2);
    const spend = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i * 2] = rng.normal();
      x[i * 2 + 1] = rng.normal();
      spend[i] = Math.expm1(Math.max(0, 3 + (x[i * 2] > 0 ? 1 : 0) + rng.normal()));
    }
    const X = { n, d: 2, x };
    const f = fitLogSpendGbt(X, spend, { trees: 50 });
    expect(f.smearing).toBeGreaterThan(1.1);
    const p = predictLogSpendGbt(f, X);
    const ratio = p.reduce((a, b) => a + b, 0) / spend.reduce((a, b) => a + b, 0);
    expect(Math.abs(ratio - 1)).toBeLessThan(0.05);
    const g = logSpendGbtFromJSON(JSON.stringify(f));
    expect(predictLogSpendGbt(g, X)).toEqual(p);
    const broken = JSON.parse(JSON.stringify(f));
    broken.trees[0].left[0] = 0;
    expect(() => logSpendGbtFromJSON(broken)).toThrow(/children/);
  });

  it("rejects bad config and input", () => {
    expect(() => fitGbt(train.X, train.y, { bins: 1 })).toThrow(/bins/);
    expect(() => fitGbt(train.X, train.y, { learningRate: 0 })).toThrow(/learningRate/);
    expect(() => fitGbt({ n: 1, d: 1, x: Float64Array.from([NaN]) }, [1])).toThrow(/non-finite/);
    const f = fitGbt(train.X, train.y, { trees: 2 });
    expect(() => predictGbt(f, { n: 1, d: 2, x: new Float64Array(2) })).toThrow(/fitted on 4 features/);
  });
});
