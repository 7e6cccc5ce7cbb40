/**
 * BG/NBD against docs/reference/clv-engine.md §2 (CDNOW study) and §3.1 (lifetimes' BetaGeoFitter tests), plus
 * the analytic plot data of §3.7.
 */
import { describe, expect, it } from "vitest";
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdConditionalExpectedPurchasesOne,
  bgnbdExpectedCountsHistogram,
  bgnbdExpectedPurchases,
  bgnbdFrequencyRecencyMatrix,
  bgnbdMeanNll,
  bgnbdProbabilityAlive,
  bgnbdProbabilityAliveMatrix,
  bgnbdProbabilityAliveOne,
  bgnbdProbabilityOfPurchases,
  fitBgNbd,
  type BgNbdParams,
} from "./bgnbd";
import { fittedFromJSON, fittedToJSON } from "./common";
import { groupRows, gather } from "../math/group";
import { expectedCumulativeTransactions } from "./paretonbd";
import { cdnowExactSummary, cdnowSummary, cdnowDailyCohort } from "../../../test/fixtures/clv/load";
import { expectRel, expectAbs } from "../../../test/fixtures/clv/expect";

const C = cdnowSummary();
const X = cdnowExactSummary(); // exact t_x, T from the transactions (= summary built per §1.2)
const fitC = fitBgNbd(C);
const fitX = fitBgNbd(X);
const LIT: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

const one = (v: number) => Float64Array.of(v);

describe("BG/NBD fit on CDNOW (§2.1–2.3, BG.1)", () => {
  it("reproduces lifetimes' parameters on C to 1e-4 relative, converged", () => {
    expect(fitC.diagnostics.converged).toBe(true);
    const ref = { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
    for (const k of ["r", "alpha", "a", "b"] as const) expectRel(fitC.params[k], ref[k], 1e-4);
    expectAbs(fitC.logLikelihood, -9582.43, 0.005);
  });

  it("reproduces the fit on the exact summary from transactions, and the literature", () => {
    const ref = { r: 0.242595, alpha: 4.413603, a: 0.792922, b: 2.425906 };
    for (const k of ["r", "alpha", "a", "b"] as const) {
      expectRel(fitX.params[k], ref[k], 1e-4);
      expectAbs(fitX.params[k], LIT[k], 0.015); // BG.1: decimal 2
    }
    expectAbs(fitX.logLikelihood, -9582.43, 0.005);
  });

  it("standard errors match §2.2 (delta method on the Hessian of the mean NLL)", () => {
    const ref = { r: 0.012557, alpha: 0.378221, a: 0.185719, b: 0.705343 };
    for (const k of ["r", "alpha", "a", "b"] as const) expectRel(fitC.standardErrors[k]!, ref[k], 1e-3);
    const cov = fitC.logParamCovariance!;
    expect(cov.length).toBe(4);
    expectRel(Math.sqrt(cov[1][1]) * fitC.params.alpha, ref.alpha, 1e-3);
  });

  it("LL identity: lifetimes' internal mean NLL in scaled time is 0.250272 (§2.3)", () => {
    let maxT = 0;
    let sx = 0;
    for (let i = 0; i < C.T.length; i++) {
      maxT = Math.max(maxT, C.T[i]);
      sx += C.frequency[i];
    }
    expect(sx).toBe(2457);
    const s = 1 / maxT;
    const scaled = { frequency: C.frequency, recency: C.recency.map((v) => v * s), T: C.T.map((v) => v * s) };
    const nllScaled = bgnbdMeanNll({ ...fitC.params, alpha: fitC.params.alpha * s }, scaled);
    expectAbs(nllScaled, 0.250272, 1e-6);
    // LL_scaled = LL_weeks − Σx ln(scale)
    expectRel(-nllScaled * 2357, fitC.logLikelihood - sx * Math.log(s), 1e-10);
    expectRel(bgnbdMeanNll(fitC.params, C) * 2357, -fitC.logLikelihood, 1e-10);
  });

  it("groups 2,357 customers into fewer rows and records diagnostics", () => {
    expect(fitC.n).toBe(2357);
    expect(fitC.rows).toBeLessThan(2357);
    expect(fitC.diagnostics.gradNorm).toBeLessThan(1e-6);
    expect(fitC.diagnostics.iterations).toBeGreaterThan(0);
    expect(fitC.diagnostics.fitMs).toBeGreaterThan(0);
  });
});

describe("BG/NBD predictions (§3.1)", () => {
  it("BG.2 conditional expectation", () => {
    expectAbs(bgnbdConditionalExpectedPurchasesOne(fitC.params, 39, 2, 30.43, 38.86), 1.22591, 1e-4);
  });

  it("BG.3 unconditional expectation", () => {
    const t = [0.1429, 1, 3, 31.8571, 32, 78];
    const ref = [0.0078161, 0.0531847, 0.1506318, 1.0404945, 1.0437374, 1.8579731];
    t.forEach((tt, i) => expectRel(bgnbdExpectedPurchases(fitC.params, tt), ref[i], 1e-4));
    expect(bgnbdExpectedPurchases(fitC.params, 0)).toBe(0);
  });

  it("BG.4 / BG.5 P(alive) is exactly 1 at x = 0 and within [0, 1] on the grid", () => {
    expect(bgnbdProbabilityAliveOne(fitC.params, 0, 1, 1)).toBe(1);
    for (let i = 0; i < 100; i += 10)
      for (let j = 0; j < 100; j += 10)
        for (let k = j; k < 100; k += 10) {
          const p = bgnbdProbabilityAliveOne(fitC.params, i, j, k);
          expect(p >= 0 && p <= 1).toBe(true);
        }
  });

  it("BG.6 the penalizer shrinks every parameter (lifetimes semantics: λ·Σp² in scaled time)", () => {
    const p01 = fitBgNbd(C, { penalizer: 0.1 });
    const p10 = fitBgNbd(C, { penalizer: 10 });
    const ref01 = { r: 0.23095, alpha: 4.21929, a: 0.12865, b: 0.26713 };
    const ref10 = { r: 0.08646, alpha: 1.06835, a: 0.011905, b: 0.024863 };
    for (const k of ["r", "alpha", "a", "b"] as const) {
      expect(p01.params[k]).toBeLessThan(fitC.params[k]);
      expect(p10.params[k]).toBeLessThan(p01.params[k]);
      expectRel(p01.params[k], ref01[k], 2e-4);
      expectRel(p10.params[k], ref10[k], 2e-4);
    }
    expect(p01.penalizer).toBe(0.1);
  });

  it("BG.7 P(alive) matrix shape and entries", () => {
    const Z = bgnbdProbabilityAliveMatrix(fitC.params, { maxFrequency: 29, maxRecency: 38 });
    expect(Z.length).toBe(39);
    expect(Z[0].length).toBe(30);
    expect(Z[0][0]).toBe(1);
    for (const [tx, x] of [
      [10, 3],
      [38, 29],
      [0, 5],
      [20, 0],
    ])
      expect(Z[tx][x]).toBe(bgnbdProbabilityAliveOne(fitC.params, x, tx, 38));
  });

  it("BG.8 PMF with fixed parameters (R BTYD values)", () => {
    expectRel(bgnbdProbabilityOfPurchases(LIT, 2, 10), 1.0786896e-7, 1e-6);
    expectRel(bgnbdProbabilityOfPurchases(LIT, 39, 0), 0.57378635, 1e-7);
    const ref = [
      0.0019995214, 0.0015170236, 0.001163315, 0.0009003148, 0.0007023638, 0.0005517902, 0.0004361913, 0.0003467171,
      0.0002769613, 0.000222226,
    ];
    for (let n = 11; n <= 20; n++) expectAbs(bgnbdProbabilityOfPurchases(LIT, 30, n), ref[n - 11], 1e-10);
    let s = 0;
    for (let n = 0; n < 400; n++) s += bgnbdProbabilityOfPurchases(LIT, 30, n);
    expectAbs(s, 1, 1e-9);
  });

  it("BG.9 scale invariance: fitting on 10× time gives 10× α and the same P(alive)", () => {
    const f10 = fitBgNbd({ frequency: C.frequency, recency: C.recency.map((v) => v * 10), T: C.T.map((v) => v * 10) });
    expectRel(f10.params.alpha, 44.1353, 1e-4);
    expectRel(f10.params.r, fitC.params.r, 1e-5);
    expectRel(bgnbdProbabilityAliveOne(fitC.params, 1, 1, 2), 0.712506, 1e-5);
    expectRel(bgnbdProbabilityAliveOne(fitC.params, 1, 2, 10), 0.527975, 1e-5);
    expectAbs(bgnbdProbabilityAliveOne(f10.params, 1, 10, 20), bgnbdProbabilityAliveOne(fitC.params, 1, 1, 2), 1e-4);
    expectAbs(bgnbdProbabilityAliveOne(f10.params, 1, 20, 100), bgnbdProbabilityAliveOne(fitC.params, 1, 2, 10), 1e-4);
    // LL shifts by Σx·ln 10 (density in 1/time units)
    expectRel(f10.logLikelihood, fitC.logLikelihood - 2457 * Math.log(10), 1e-7);
  });

  it("BG.10 P(alive) for a huge frequency is exactly 0, without overflow", () => {
    const p = bgnbdProbabilityAliveOne(fitC.params, 1000, 10, 100);
    expect(p).toBe(0);
    expect(bgnbdConditionalExpectedPurchasesOne(fitC.params, 10, 1000, 10, 100)).toBe(0);
  });

  it("BG.11 NLL additivity at log-parameters [1, 1, 1, 1]", () => {
    const e: BgNbdParams = { r: Math.E, alpha: Math.E, a: Math.E, b: Math.E };
    const both = bgnbdMeanNll(e, {
      frequency: Float64Array.of(1, 3),
      recency: Float64Array.of(2, 2),
      T: Float64Array.of(5, 6),
    });
    const a = bgnbdMeanNll(e, { frequency: one(1), recency: one(2), T: one(5) });
    const b = bgnbdMeanNll(e, { frequency: one(3), recency: one(2), T: one(6) });
    expectRel(both, 3.5405703, 1e-7);
    expectRel(both, (a + b) / 2, 1e-14);
  });

  it("BG.12 weighted (grouped) fit equals the unweighted fit on exploded rows", () => {
    const g = groupRows([C.frequency, C.recency, C.T]);
    const grouped = fitBgNbd(
      {
        frequency: gather(C.frequency, g.first),
        recency: gather(C.recency, g.first),
        T: gather(C.T, g.first),
        weights: g.weights,
      },
      { group: false },
    );
    const raw = fitBgNbd(C, { group: false });
    expect(raw.rows).toBe(2357);
    expect(grouped.rows).toBe(g.size);
    for (const k of ["r", "alpha", "a", "b"] as const) expectRel(grouped.params[k], raw.params[k], 1e-6);
    expectRel(grouped.logLikelihood, raw.logLikelihood, 1e-10);
    expect(grouped.n).toBe(raw.n);
  });

  it("P(alive) ahead: no purchase for t more weeks lowers P(alive), equals P(alive | x, t_x, T + t)", () => {
    const now = bgnbdProbabilityAlive(fitC.params, one(2), one(30.43), one(38.86));
    const later = bgnbdProbabilityAlive(fitC.params, one(2), one(30.43), one(38.86), 10);
    expect(later[0]).toBeLessThan(now[0]);
    expect(later[0]).toBe(bgnbdProbabilityAliveOne(fitC.params, 2, 30.43, 48.86));
    expectRel(bgnbdProbabilityAliveOne(fitX.params, 2, X.recency[0], X.T[0]), 0.72662, 1e-5);
  });
});

describe("CDNOW holdout figures (§2.4, §2.5, §2.8)", () => {
  const ey = bgnbdConditionalExpectedPurchases(fitX.params, 39, X.frequency, X.recency, X.T);
  it("§2.4 totals, MAE and RMSE over 39 weeks", () => {
    let sum = 0;
    let mae = 0;
    let mse = 0;
    let inSample = 0;
    let actual = 0;
    for (let i = 0; i < ey.length; i++) {
      sum += ey[i];
      actual += X.holdout[i];
      mae += Math.abs(ey[i] - X.holdout[i]);
      mse += (ey[i] - X.holdout[i]) ** 2;
      inSample += bgnbdExpectedPurchases(fitX.params, X.T[i]);
    }
    expect(actual).toBe(1882);
    expectAbs(sum, 1653.41, 0.01);
    expectAbs(mae / ey.length, 0.7855, 6e-5);
    expectAbs(Math.sqrt(mse / ey.length), 1.608, 6e-4);
    expectAbs(inSample, 2493.96, 0.01);
  });

  it("§2.5 conditional expectations by calibration frequency", () => {
    const actual = [0.2367, 0.697, 1.3925, 1.56, 2.5323, 2.9474, 3.8621, 6.3594];
    const model = [0.2251, 0.5231, 1.0441, 1.5203, 2.1639, 2.6538, 3.504, 6.1572];
    const counts = [1411, 439, 214, 100, 62, 38, 29, 64];
    const s = new Float64Array(8);
    const a = new Float64Array(8);
    const c = new Float64Array(8);
    for (let i = 0; i < ey.length; i++) {
      const b = Math.min(7, X.frequency[i]);
      s[b] += ey[i];
      a[b] += X.holdout[i];
      c[b]++;
    }
    for (let b = 0; b < 8; b++) {
      expect(c[b]).toBe(counts[b]);
      expectAbs(a[b] / c[b], actual[b], 6e-5);
      expectAbs(s[b] / c[b], model[b], 6e-5);
    }
  });

  it("§2.8 per-customer rows: E[Y(39)] and P(alive)", () => {
    const rows: Array<[number, number, number]> = [
      [1, 1.225994, 0.72662],
      [2, 0.203419, 0.212391],
      [3, 0.194794, 1],
      [18, 0.297724, 0.310856],
      [100, 0.626853, 0.646992],
      [1516, 20.748904, 0.968854],
    ];
    const alive = bgnbdProbabilityAlive(fitX.params, X.frequency, X.recency, X.T);
    for (const [id, e, p] of rows) {
      const i = X.id.indexOf(id);
      expectRel(ey[i], e, 1e-5);
      expectRel(alive[i], p, 1e-5);
    }
  });
});

describe("UT.8: daily cumulative tracking, first 14 days (BG/NBD, day units)", () => {
  it("1997-01-11..14: actual [11, 12, 15, 19], predicted [10.67, 12.67, 14.87, 17.24]", () => {
    // Daily calibration summary (end 1997-09-30): the exact weekly summary × 7 is a whole number of days.
    const days = (a: Float64Array) => a.map((v) => Math.round(v * 7));
    const fitD = fitBgNbd({ frequency: X.frequency, recency: days(X.recency), T: days(X.T) });
    expect(fitD.diagnostics.converged).toBe(true);
    const { births, repeatPerDay } = cdnowDailyCohort();
    // lifetimes labels the value tracked at time τ with the day before τ: 1997-01-11 (day 10) ↔ τ = 11.
    const taus = [11, 12, 13, 14];
    const pred = expectedCumulativeTransactions((t) => bgnbdExpectedPurchases(fitD.params, t), births, taus);
    const actual = taus.map((tau) => repeatPerDay.subarray(0, tau).reduce((a, b) => a + b, 0));
    expect(actual).toEqual([11, 12, 15, 19]);
    [10.67, 12.67, 14.87, 17.24].forEach((v, k) => expectAbs(pred[k], v, 0.006));
  });
});

describe("plot data (§3.7)", () => {
  it("PLOT.1 analytic expected counts per frequency are close to the actual histogram", () => {
    const h = bgnbdExpectedCountsHistogram(fitC.params, C.T, 7);
    const actual = [1411, 439, 214, 100, 62, 38, 29];
    let total = 0;
    for (const v of h) total += v;
    expectAbs(total, 2357, 1e-6);
    actual.forEach((a, n) => expect(Math.abs(h[n] - a)).toBeLessThanOrEqual(50 + 0.3 * a));
    // single-T check: the histogram is Σ P(X(T_i) = n)
    expectRel(bgnbdExpectedCountsHistogram(LIT, one(39), 3)[0], 0.57378635, 1e-7);
  });

  it("PLOT.2 frequency/recency matrix row t_x = 29", () => {
    const ref = [
      0.0057, 0.0203, 0.0377, 0.0547, 0.0709, 0.0858, 0.0992, 0.1108, 0.1205, 0.128, 0.1332, 0.1361, 0.1367, 0.135,
      0.1314, 0.1259, 0.1191, 0.1111, 0.1024, 0.0933, 0.0841, 0.0752, 0.0665, 0.0584, 0.051, 0.0442, 0.0381, 0.0326,
      0.0279, 0.0237,
    ];
    const Z = bgnbdFrequencyRecencyMatrix(fitC.params, { maxFrequency: 29, maxRecency: 38, t: 1 });
    expect(Z.length).toBe(39);
    ref.forEach((v, x) => expectAbs(Z[29][x], v, 5.1e-5));
  });

  it("PLOT.3 P(alive) matrix row t_x = 35", () => {
    const ref = [
      1.0, 0.7363, 0.7856, 0.8148, 0.8337, 0.8466, 0.8556, 0.862, 0.8666, 0.8697, 0.8718, 0.8729, 0.8734, 0.8732,
      0.8725, 0.8713, 0.8697, 0.8677, 0.8653, 0.8626, 0.8596, 0.8562, 0.8525, 0.8485, 0.8442, 0.8395, 0.8346, 0.8293,
      0.8238, 0.8179,
    ];
    const Z = bgnbdProbabilityAliveMatrix(fitC.params, { maxFrequency: 29, maxRecency: 38 });
    ref.forEach((v, x) => expectAbs(Z[35][x], v, 5.1e-5));
  });
});

describe("fitted form", () => {
  it("round-trips through JSON and predicts identically", () => {
    const back = fittedFromJSON(fittedToJSON(fitC), "bgnbd", ["r", "alpha", "a", "b"] as const);
    expect(back).toEqual(JSON.parse(JSON.stringify(fitC)));
    expect(bgnbdConditionalExpectedPurchasesOne(back.params, 39, 2, 30.43, 38.86)).toBe(
      bgnbdConditionalExpectedPurchasesOne(fitC.params, 39, 2, 30.43, 38.86),
    );
  });

  it("rejects a malformed fitted form with a clear message", () => {
    const good = JSON.parse(fittedToJSON(fitC));
    expect(() =>
      fittedFromJSON({ ...good, params: { ...good.params, alpha: -1 } }, "bgnbd", ["r", "alpha", "a", "b"]),
    ).toThrow(/params\.alpha/);
    expect(() => fittedFromJSON({ ...good, model: "gg" }, "bgnbd")).toThrow(/model must be "bgnbd"/);
    expect(() => fittedFromJSON({ ...good, version: 2 })).toThrow(/version/);
    const { r: _r, ...noR } = good.params;
    expect(() => fittedFromJSON({ ...good, params: noR }, "bgnbd", ["r", "alpha", "a", "b"])).toThrow(/params\.r/);
    expect(() => fittedFromJSON({ ...good, logParamCovariance: [[1, 2]] }, "bgnbd", ["r", "alpha", "a", "b"])).toThrow(
      /logParamCovariance/,
    );
    expect(() => fittedFromJSON("{not json", "bgnbd")).toThrow(/not valid JSON/);
    expect(() => fittedFromJSON({ ...good, diagnostics: { ...good.diagnostics, converged: "yes" } })).toThrow(
      /diagnostics\.converged/,
    );
  });
});

describe("property: recovery of known parameters from simulated customers", () => {
  it("BG/NBD: 20,000 simulated customers, every parameter within 4 standard errors of the truth", async () => {
    const { simulateBgNbd } = await import("../simulate");
    const truth: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    for (const seed of [1, 2]) {
      const sim = simulateBgNbd(truth, { customers: 20000, seed, T: X.T });
      const f = fitBgNbd(sim);
      expect(f.diagnostics.converged).toBe(true);
      for (const k of ["r", "alpha", "a", "b"] as const) {
        const z = (f.params[k] - truth[k]) / f.standardErrors[k]!;
        expect(
          Math.abs(z),
          `${k}: fitted ${f.params[k]} (se ${f.standardErrors[k]}) vs truth ${truth[k]}, seed ${seed}`,
        ).toBeLessThan(4);
      }
    }
  });
});
