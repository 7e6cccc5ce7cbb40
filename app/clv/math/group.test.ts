import { describe, expect, it } from "vitest";
import { gather, groupRows, scatter } from "./group";

describe("groupRows", () => {
  it("groups identical rows, sums weights and keeps first-occurrence order", () => {
    const x = Float64Array.from([1, 0, 1, 2, 1, 0]);
    const t = Float64Array.from([0.5, 0, 0.5, 3, 0.25, -0]);
    const g = groupRows([x, t]);
    expect(g.size).toBe(4);
    expect([...g.first]).toEqual([0, 1, 3, 4]);
    expect([...g.weights]).toEqual([2, 2, 1, 1]);
    expect([...g.groupOf]).toEqual([0, 1, 0, 2, 3, 1]); // -0 groups with 0
    expect([...gather(t, g.first)]).toEqual([0.5, 0, 3, 0.25]);
    expect([...scatter(Float64Array.from([10, 20, 30, 40]), g.groupOf)]).toEqual([10, 20, 10, 30, 40, 20]);
  });

  it("sums given weights", () => {
    const g = groupRows([Float64Array.from([1, 1, 2])], Float64Array.from([0.5, 2, 3]));
    expect([...g.weights]).toEqual([2.5, 3]);
  });

  it("agrees with a string-keyed Map on random data with many collisions", () => {
    let s = 12345;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const n = 20000;
    const a = Float64Array.from({ length: n }, () => Math.floor(rnd() * 20));
    const b = Float64Array.from({ length: n }, () => Math.floor(rnd() * 50) / 7);
    const g = groupRows([a, b]);
    const m = new Map<string, number>();
    for (let i = 0; i < n; i++) m.set(`${a[i]}|${b[i]}`, (m.get(`${a[i]}|${b[i]}`) ?? 0) + 1);
    expect(g.size).toBe(m.size);
    for (let k = 0; k < g.size; k++) expect(g.weights[k]).toBe(m.get(`${a[g.first[k]]}|${b[g.first[k]]}`));
    for (let i = 0; i < n; i++) {
      const j = g.first[g.groupOf[i]];
      expect(a[j] === a[i] && b[j] === b[i]).toBe(true);
    }
  });

  it("rejects columns of different lengths", () => {
    expect(() => groupRows([new Float64Array(2), new Float64Array(3)])).toThrow(/length/);
  });
});
