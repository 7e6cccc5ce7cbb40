import { describe, expect, it } from "vitest";
import {
  MetricInputError,
  argsort,
  decileTable,
  evaluate,
  mae,
  normalizedGini,
  rmse,
  spearman,
  topDecileCapture,
  totalError,
} from "./metrics";
import { Rng } from "./rng";

/** Seeded uniform generator (the engine's own RNG). */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.uniform();
}

/** Brute-force Gini over explicit gain curves (no tie handling: distinct predictions only). */
function bruteGini(pred: number[], y: number[]): number {
  const raw = (score: number[]) => {
    const idx = score.map((_, i) => i).sort((a, b) => score[b] - score[a]);
    const tot = y.reduce((a, b) => a + b, 0);
    let cum = 0;
    let s = 0;
    for (const i of idx) {
      cum += y[i];
      s += cum / tot;
    }
    return (2 * s) / y.length - 1;
  };
  return raw(pred) / raw(y);
}

/** Brute-force Spearman with average ranks. */
function bruteSpearman(a: number[], b: number[]): number {
  const rank = (v: number[]) => v.map((x) => v.filter((z) => z < x).length + (v.filter((z) => z === x).length + 1) / 2);
  const ra = rank(a);
  const rb = rank(b);
  const m = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = m(ra);
  const mb = m(rb);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) ** 2;
    sbb += (rb[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe("reference example (docs/reference/clv-engine.md §4.9, §4.11)", () => {
  const y = [0, 0, 5, 1, 10];
  const p = [0.1, 0.4, 0.3, 0.2, 0.9];
  it("normalized Gini 0.8181818 and Spearman 0.5642881", () => {
    expect(normalizedGini(p, y)).toBeCloseTo(0.8181818, 7);
    expect(spearman(p, y)).toBeCloseTo(0.5642881, 7);
    const e = evaluate(p, y);
    expect(e.gini).toBeCloseTo(0.8181818, 7);
    expect(e.spearman).toBeCloseTo(0.5642881, 7);
    expect(e.topDecileCapture).toBeCloseTo(10 / 16, 12); // top ⌈5/10⌉ = 1 customer: the 10
  });
});

describe("Gini", () => {
  it("perfect = 1, inverse < 0, 1e6 random ≈ 0", () => {
    const n = 1_000_000;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = n - i;
    expect(normalizedGini(y, y)).toBe(1);
    const inv = y.map((v) => -v);
    expect(normalizedGini(inv, y)).toBeLessThan(-0.9);
    const r = rng(0);
    const perm = new Float64Array(n);
    for (let i = 0; i < n; i++) perm[i] = r();
    const g = normalizedGini(perm, y);
    expect(Math.abs(g)).toBeLessThan(0.01);
    expect(g).not.toBe(0);
  });

  it("matches a brute-force gain curve on distinct predictions", () => {
    const r = rng(7);
    const y = Array.from({ length: 200 }, () => (r() < 0.6 ? 0 : Math.round(r() * 1000) / 10));
    const p = y.map((v) => v + r() * 40);
    expect(normalizedGini(p, y)).toBeCloseTo(bruteGini(p, y), 12);
  });

  it("tie rule: equals the average over all orders of a tie, regardless of input order", () => {
    const y = [3, 0, 1, 7];
    const p = [1, 1, 1, 0]; // three tied at the top
    // average over the 6 orders of the tie = replacing y by the tie mean (4/3 each)
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    const avg =
      orders
        .map((o) => {
          const pp = [0, 0, 0, -1];
          o.forEach((idx, k) => (pp[idx] = 3 - k));
          return bruteGini(pp, y);
        })
        .reduce((a, b) => a + b, 0) / 6;
    expect(normalizedGini(p, y)).toBeCloseTo(avg, 12);
    expect(normalizedGini([p[3], p[2], p[1], p[0]], [y[3], y[2], y[1], y[0]])).toBeCloseTo(avg, 12);
    expect(topDecileCapture(p, y)).toBeCloseTo(4 / 3 / 11, 12);
  });

  it("is NaN when the actual total is zero", () => {
    expect(normalizedGini([1, 2], [0, 0])).toBeNaN();
  });
});

describe("Spearman", () => {
  it("matches brute force with heavy ties", () => {
    const r = rng(3);
    const a = Array.from({ length: 300 }, () => (r() < 0.7 ? 0 : Math.floor(r() * 20)));
    const b = a.map((v) => Math.floor(v / 3 + r() * 3));
    expect(spearman(a, b)).toBeCloseTo(bruteSpearman(a, b), 12);
    expect(evaluate(a, b).spearman).toBeCloseTo(bruteSpearman(a, b), 12);
  });
});

describe("argsort", () => {
  it("sorts negatives, zeros, -0 and large values stably in both directions", () => {
    const v = [3, -1.5, 0, -0, 1e300, -1e-300, 3, -Infinity === -Infinity ? -7 : 0, 2.5];
    const asc = Array.from(argsort(v));
    const expectAsc = v.map((_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
    expect(asc).toEqual(expectAsc);
    const desc = Array.from(argsort(v, true));
    const expectDesc = v.map((_, i) => i).sort((a, b) => v[b] - v[a] || a - b);
    expect(desc).toEqual(expectDesc);
  });

  it("agrees with a comparison sort on random data", () => {
    const r = rng(11);
    const v = Array.from({ length: 5000 }, () => (r() - 0.5) * 10 ** Math.floor(r() * 8 - 4));
    const got = Array.from(argsort(v)).map((i) => v[i]);
    expect(got).toEqual([...v].sort((a, b) => a - b));
  });
});

describe("deciles (§4.10)", () => {
  it("qcut buckets: 100 distinct values give buckets of 10, perfect scorer gives MAPE 0", () => {
    const y = Array.from({ length: 100 }, (_, i) => i + 1);
    const t = decileTable(y, y);
    expect(t.method).toBe("qcut");
    expect(t.rows.map((r) => r.count)).toEqual(Array(10).fill(10));
    expect(t.rows.every((r) => r.decileMape === 0 && r.normalizedMae === 0 && r.normalizedRmse === 0)).toBe(true);
    expect(t.meanDecileMape).toBe(0);
  });

  it("qcut with linear interpolated edges and right-closed bins", () => {
    // 0..10: the edges are the values themselves; (0, 1] holds 0 and 1 (lowest included), (k-1, k] one each
    const p = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    const t = decileTable(p, p);
    expect(t.method).toBe("qcut");
    expect(t.rows.map((r) => r.count)).toEqual([2, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    // interpolated edges: 1, 2.1, 3..12 → first edge above 2.1 is 2.19, so 2.1 shares bucket 0
    const q = [1, 2.1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    expect(decileTable(q, q).rows.map((r) => r.count)).toEqual([2, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
  });

  it("duplicate edges: tie groups stay together in rank buckets; empty buckets are skipped", () => {
    const p = [...Array(70).fill(0), ...Array.from({ length: 30 }, (_, i) => i + 1)];
    const y = p.map((v) => v * 2 + 1);
    const t = decileTable(p, y);
    expect(t.method).toBe("rank");
    const counts = t.rows.map((r) => r.count);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(counts.filter((c) => c === 70).length).toBe(1); // the 70 zeros together
    expect(counts.slice(7)).toEqual([10, 10, 10]);
    expect(Number.isFinite(t.meanDecileMape)).toBe(true);
  });
});

describe("errors and totals", () => {
  it("computes MAE, RMSE and total error", () => {
    expect(mae([1, 2, 3], [2, 2, 5])).toBe(1);
    expect(rmse([1, 2, 3], [2, 2, 5])).toBeCloseTo(Math.sqrt(5 / 3), 15);
    expect(totalError([1, 2, 3], [2, 2, 4])).toEqual({ predictedTotal: 6, actualTotal: 8, error: -2, relative: -0.25 });
  });

  it("rejects mismatched, empty or non-finite input with a clear message", () => {
    expect(() => evaluate([1], [1, 2])).toThrow(MetricInputError);
    expect(() => evaluate([], [])).toThrow(/no customers/);
    expect(() => evaluate([1, Number.NaN], [1, 2])).toThrow(/pred\[1\]/);
  });

  it("evaluates 1e6 customers", () => {
    const n = 1_000_000;
    const r = rng(5);
    const y = new Float64Array(n);
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = r() < 0.7 ? 0 : r() * 100;
      p[i] = y[i] * 0.5 + r() * 30;
    }
    const e = evaluate(p, y);
    expect(e.n).toBe(n);
    expect(e.gini).toBeGreaterThan(0.3);
    expect(e.deciles.rows.reduce((a, r) => a + r.count, 0)).toBe(n);
  });
});
