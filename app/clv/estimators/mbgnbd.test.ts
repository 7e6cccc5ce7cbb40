/** Modified BG/NBD against docs/reference/clv-engine.md §3.2 (lifetimes' ModifiedBetaGeoFitter tests). */
import { describe, expect, it } from "vitest";
import {
  fitMbgNbd,
  mbgnbdConditionalExpectedPurchases,
  mbgnbdConditionalExpectedPurchasesOne,
  mbgnbdExpectedCountsHistogram,
  mbgnbdExpectedPurchases,
  mbgnbdFrequencyRecencyMatrix,
  mbgnbdMeanNll,
  mbgnbdProbabilityAlive,
  mbgnbdProbabilityAliveMatrix,
  mbgnbdProbabilityAliveOne,
  mbgnbdProbabilityOfPurchases,
  type MbgNbdParams,
} from "./mbgnbd";
import { fitBgNbd, bgnbdExpectedPurchases, bgnbdProbabilityOfPurchases } from "./bgnbd";
import { fittedFromJSON, fittedToJSON } from "./common";
import { groupRows, gather } from "../math/group";
import { cdnowSummary, exampleSummary } from "../../../test/fixtures/clv/load";
import { expectRel, expectAbs } from "../../../test/fixtures/clv/expect";

const C = cdnowSummary();
const fit = fitMbgNbd(C);
const BG_LIT = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const names = ["r", "alpha", "a", "b"] as const;

const one = (v: number) => Float64Array.of(v);

describe("Modified BG/NBD on CDNOW", () => {
  it("MBG.1 parameters (lifetimes to 1e-4 relative; BTYDplus decimal 3)", () => {
    expect(fit.diagnostics.converged).toBe(true);
    const ref = { r: 0.524838, alpha: 6.182988, a: 0.891356, b: 1.614 };
    const btydplus = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
    for (const k of names) {
      expectRel(fit.params[k], ref[k], 1e-4);
      expectAbs(fit.params[k], btydplus[k], 1.5e-3);
    }
    expect(fit.model).toBe("mbgnbd");
    expect(Object.values(fit.standardErrors).every((v) => v !== null && v > 0)).toBe(true);
  });

  it("MBG.2 conditional expectation", () => {
    expectRel(mbgnbdConditionalExpectedPurchasesOne(fit.params, 39, 2, 30.43, 38.86), 1.2626708, 1e-4);
    expectAbs(mbgnbdConditionalExpectedPurchasesOne(fit.params, 39, 2, 30.43, 38.86), 1.226, 0.05);
    const v = mbgnbdConditionalExpectedPurchases(fit.params, 39, C.frequency, C.recency, C.T);
    expect(v[0]).toBe(mbgnbdConditionalExpectedPurchasesOne(fit.params, 39, C.frequency[0], C.recency[0], C.T[0]));
  });

  it("MBG.3 unconditional expectation (lifetimes values; within 5% of BG/NBD)", () => {
    const t = [0.1429, 1, 3, 31.8571, 32, 78];
    const ref = [0.0077796, 0.0530607, 0.1507932, 1.0334713, 1.03661, 1.8036367];
    const bg = fitBgNbd(C);
    t.forEach((tt, i) => {
      expectRel(mbgnbdExpectedPurchases(fit.params, tt), ref[i], 1e-4);
      expectRel(mbgnbdExpectedPurchases(fit.params, tt), bgnbdExpectedPurchases(bg.params, tt), 0.05);
    });
  });

  it("MBG.4 / MBG.5 P(alive) < 1 at x = 0 and within [0, 1] on the grid", () => {
    expectRel(mbgnbdProbabilityAliveOne(fit.params, 0, 1, 1), 0.6442198, 1e-5);
    for (let i = 0; i < 100; i += 10)
      for (let j = 0; j < 100; j += 10)
        for (let k = j; k < 100; k += 10) {
          const p = mbgnbdProbabilityAliveOne(fit.params, i, j, k);
          expect(p >= 0 && p <= 1).toBe(true);
        }
    expect(mbgnbdProbabilityAliveOne(fit.params, 1000, 10, 100)).toBe(0);
  });

  it("MBG.6 penalizer shrinks the parameter sum", () => {
    const sum = (p: MbgNbdParams) => p.r + p.alpha + p.a + p.b;
    const p01 = fitMbgNbd(C, { penalizer: 0.1 });
    const p1 = fitMbgNbd(C, { penalizer: 1 });
    expect(sum(p01.params)).toBeLessThan(sum(fit.params));
    expect(sum(p1.params)).toBeLessThan(sum(p01.params));
  });

  it("MBG.7 matrices: shape and entries", () => {
    const Z = mbgnbdProbabilityAliveMatrix(fit.params, { maxFrequency: 29, maxRecency: 38 });
    expect([Z.length, Z[0].length]).toEqual([39, 30]);
    expect(Z[12][4]).toBe(mbgnbdProbabilityAliveOne(fit.params, 4, 12, 38));
    expect(Z[0][0]).toBeLessThan(1);
    const F = mbgnbdFrequencyRecencyMatrix(fit.params, { maxFrequency: 29, maxRecency: 38 });
    expect(F[29][3]).toBe(mbgnbdConditionalExpectedPurchasesOne(fit.params, 1, 3, 29, 38));
  });

  it("MBG.8 PMF with the fixed BG/NBD parameters", () => {
    expectRel(mbgnbdProbabilityOfPurchases(BG_LIT, 2, 10), 1.0067035e-7, 1e-6);
    expectAbs(mbgnbdProbabilityOfPurchases(BG_LIT, 2, 10), 1.07869e-7, 1e-4);
    const ref = [
      0.00184961, 0.00141196, 0.0010885, 0.0008463, 0.00066289, 0.00052264, 0.00041446, 0.00033038, 0.00026458,
      0.00021278,
    ];
    for (let n = 11; n <= 20; n++) {
      expectAbs(mbgnbdProbabilityOfPurchases(BG_LIT, 30, n), ref[n - 11], 6e-9);
      expectRel(mbgnbdProbabilityOfPurchases(BG_LIT, 30, n), bgnbdProbabilityOfPurchases(BG_LIT, 30, n), 0.5);
    }
    let s = 0;
    for (let n = 0; n < 400; n++) s += mbgnbdProbabilityOfPurchases(BG_LIT, 30, n);
    expectAbs(s, 1, 1e-9);
    const h = mbgnbdExpectedCountsHistogram(fit.params, C.T, 7);
    expectAbs(
      h.reduce((a, b) => a + b, 0),
      2357,
      1e-6,
    );
  });

  it("MBG.9 scaling t_x and T by 10 leaves P(alive) unchanged", () => {
    const f10 = fitMbgNbd({ frequency: C.frequency, recency: C.recency.map((v) => v * 10), T: C.T.map((v) => v * 10) });
    expectRel(f10.params.alpha, 10 * fit.params.alpha, 1e-5);
    const p = mbgnbdProbabilityAlive(fit.params, C.frequency, C.recency, C.T);
    const p10 = mbgnbdProbabilityAlive(
      f10.params,
      C.frequency,
      C.recency.map((v) => v * 10),
      C.T.map((v) => v * 10),
    );
    for (let i = 0; i < p.length; i++) expectAbs(p10[i], p[i], 1e-5);
  });

  it("MBG.10 data E: daily and hourly fits give the same E[X(30 days)] (decimal 7)", () => {
    const day = exampleSummary("day");
    const hour = exampleSummary("hour");
    expect(day.frequency.length).toBe(5000);
    const fd = fitMbgNbd(day);
    const fh = fitMbgNbd(hour);
    expect(fd.diagnostics.converged && fh.diagnostics.converged).toBe(true);
    expectAbs(mbgnbdExpectedPurchases(fh.params, 720), mbgnbdExpectedPurchases(fd.params, 30), 1.5e-7);
  });

  it("MBG.11 NLL additivity at log-parameters [1, 1, 1, 1]", () => {
    const e: MbgNbdParams = { r: Math.E, alpha: Math.E, a: Math.E, b: Math.E };
    const both = mbgnbdMeanNll(e, {
      frequency: Float64Array.of(1, 3),
      recency: Float64Array.of(2, 2),
      T: Float64Array.of(5, 6),
    });
    const a = mbgnbdMeanNll(e, { frequency: one(1), recency: one(2), T: one(5) });
    const b = mbgnbdMeanNll(e, { frequency: one(3), recency: one(2), T: one(6) });
    expectRel(both, (a + b) / 2, 1e-14);
    expect(Number.isFinite(both) && both > 0).toBe(true);
  });

  it("weighted fit equals the unweighted fit; JSON round trip", () => {
    const g = groupRows([C.frequency, C.recency, C.T]);
    const w = fitMbgNbd(
      {
        frequency: gather(C.frequency, g.first),
        recency: gather(C.recency, g.first),
        T: gather(C.T, g.first),
        weights: g.weights,
      },
      { group: false },
    );
    const u = fitMbgNbd(C, { group: false });
    for (const k of names) expectRel(w.params[k], u.params[k], 1e-6);
    const back = fittedFromJSON(fittedToJSON(fit), "mbgnbd", names);
    expect(back.params).toEqual(fit.params);
    expect(() => fittedFromJSON(fittedToJSON(fit), "bgnbd")).toThrow(/model/);
  });
});
