/**
 * Seeded RNG: determinism, reference stream, and sampler moments within sampling error
 * (|mean − μ| < 5·sd/√n, so a correct sampler fails with probability < 1e-6 per check).
 */
import { describe, expect, it } from "vitest";
import { Rng } from "./rng";

const N = 200_000;

function moments(draw: () => number, n = N) {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = draw();
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

function expectMean(draw: () => number, mu: number, variance: number) {
  const m = moments(draw);
  expect(Math.abs(m.mean - mu), `mean ${m.mean} vs ${mu}`).toBeLessThan((5 * Math.sqrt(variance)) / Math.sqrt(N));
  expect(Math.abs(m.variance - variance) / variance, `variance ${m.variance} vs ${variance}`).toBeLessThan(0.05);
}

describe("Rng", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.nextU32());
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(sa);
    expect(sa.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
    // Seed 0 is valid (splitmix32 seeding never yields the all-zero state).
    const z = new Rng(0);
    expect(new Set(Array.from({ length: 100 }, () => z.nextU32())).size).toBe(100);
    expect(() => new Rng(NaN)).toThrow(/seed/);
  });

  it("matches the xoshiro128** reference vector and keeps the seeded stream fixed", () => {
    // Reference C implementation (Blackman & Vigna) from state {1, 2, 3, 4}.
    const r = Rng.fromState(1, 2, 3, 4);
    expect(Array.from({ length: 4 }, () => r.nextU32())).toEqual([11520, 0, 5927040, 70819200]);
    // Regression anchor recorded from this implementation: a change here changes every seeded fixture.
    const s = new Rng(1);
    expect(Array.from({ length: 3 }, () => s.nextU32())).toMatchInlineSnapshot(`
      [
        2442144158,
        3238099751,
        3819917871,
      ]
    `);
  });

  it("uniform is in [0, 1) with mean 1/2 and variance 1/12; int covers its range", () => {
    const r = new Rng(3);
    let min = 1;
    let max = 0;
    expectMean(
      () => {
        const u = r.uniform();
        min = Math.min(min, u);
        max = Math.max(max, u);
        return u;
      },
      0.5,
      1 / 12,
    );
    expect(min >= 0 && max < 1).toBe(true);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    counts.forEach((c) => expect(Math.abs(c - 10_000)).toBeLessThan(500));
  });

  it("normal, exponential", () => {
    const r = new Rng(5);
    expectMean(() => r.normal(), 0, 1);
    expectMean(() => r.exponential(), 1, 1);
  });

  it("normal (ziggurat) matches Φ in 0.5-wide bins, including the tail layer beyond 3.44", () => {
    // Φ via Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, far below the sampling error here).
    const erf = (x: number) => {
      const t = 1 / (1 + 0.3275911 * Math.abs(x));
      const y =
        1 -
        ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
          t *
          Math.exp(-x * x);
      return x >= 0 ? y : -y;
    };
    const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
    const r = new Rng(21);
    const n = 1_000_000;
    const edges = [
      -Infinity,
      -3.442619855899,
      -3,
      -2.5,
      -2,
      -1.5,
      -1,
      -0.5,
      0,
      0.5,
      1,
      1.5,
      2,
      2.5,
      3,
      3.442619855899,
      Infinity,
    ];
    const counts = new Float64Array(edges.length - 1);
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      let b = 0;
      while (z >= edges[b + 1]) b++;
      counts[b]++;
    }
    counts.forEach((c, b) => {
      const e = n * (Phi(edges[b + 1]) - Phi(edges[b]));
      expect(Math.abs(c - e), `bin ${b}: ${c} vs ${e}`).toBeLessThan(5 * Math.sqrt(e));
    });
  });

  it("gamma for small and large shapes, with scale", () => {
    const r = new Rng(7);
    for (const k of [0.05, 0.243, 1, 2.4, 30]) expectMean(() => r.gamma(k, 2), 2 * k, 4 * k);
    expect(() => r.gamma(0)).toThrow(/shape/);
    // logGamma agrees with ln of gamma draws in distribution (E[ln G] = ψ(k)); ψ(0.5) = −1.96351.
    const m = moments(() => r.logGamma(0.5));
    expect(Math.abs(m.mean - -1.9635100260214235)).toBeLessThan(0.03);
  });

  it("beta, including tiny shapes that would underflow a naive X/(X+Y)", () => {
    const r = new Rng(11);
    for (const [a, b] of [
      [0.793, 2.426],
      [2, 5],
      [30, 1],
    ]) {
      const mu = a / (a + b);
      expectMean(() => r.beta(a, b), mu, (a * b) / ((a + b) ** 2 * (a + b + 1)));
    }
    for (let i = 0; i < 1000; i++) {
      const v = r.beta(0.002, 0.003);
      expect(v >= 0 && v <= 1).toBe(true);
    }
  });

  it("poisson (inversion and PTRS branches), geometric, binomial", () => {
    const r = new Rng(13);
    for (const mu of [0.3, 4, 9.9, 10, 57, 1e4]) expectMean(() => r.poisson(mu), mu, mu);
    expect(r.poisson(0)).toBe(0);
    expect(() => r.poisson(-1)).toThrow(/mean/);
    for (const p of [0.05, 0.5, 1]) {
      const m = moments(() => r.geometric(p), 50_000);
      expect(Math.abs(m.mean - 1 / p)).toBeLessThan(
        (5 * Math.sqrt((1 - p) / (p * p) + 1e-12)) / Math.sqrt(50_000) + 1e-12,
      );
    }
    expect(() => r.geometric(0)).toThrow(/geometric/);
    for (const [n, p] of [
      [10, 0.3],
      [500, 0.02],
    ])
      expectMean(() => r.binomial(n, p), n * p, n * p * (1 - p));
  });

  it("shuffle is a permutation", () => {
    const a = Int32Array.from({ length: 1000 }, (_, i) => i);
    new Rng(17).shuffle(a);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(a.slice(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
