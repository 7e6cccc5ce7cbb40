/**
 * BG/BB parity with lifetimes 0.11.3 and Fader, Hardie & Shang 2010 on the donations data
 * (docs/reference/clv-engine.md §2.1, §3.4 BGBB.1–5 and the full per-pattern table, §4.4).
 */
import { describe, expect, it } from "vitest";
import { readNumericCsv } from "../../../test/fixtures/clv/load";
import { ClvInputError, fittedFromJSON, fittedToJSON } from "./common";
import {
  bgbbConditionalExpectedPurchases,
  bgbbConditionalExpectedPurchasesArray,
  bgbbExpectedCountsInFirstPeriods,
  bgbbLogLikelihoodOne,
  bgbbMeanNll,
  bgbbProbabilityAlive,
  bgbbProbabilityAliveArray,
  bgbbProbabilityOfPurchases,
  bgbbSpec,
  fitBgBb,
  type BgBbParams,
} from "./bgbb";

const D = readNumericCsv("donations.csv");
const data = { frequency: D.frequency, recency: D.recency, periods: D.periods, weights: D.weights };
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const expectRel = (a: number, b: number, tol = 1e-4) => expect(rel(a, b), `${a} vs ${b}`).toBeLessThan(tol);

const fit = fitBgBb(data);
const p = fit.params as BgBbParams;
/** lifetimes' fitted parameters (BGBB.1). */
const pLt: BgBbParams = { alpha: 1.2035224, beta: 0.7497164, gamma: 0.6567182, delta: 2.783442 };

/** Full per-pattern reference (lifetimes, n = 6): x, t_x, donors, P1, E5. */
const TABLE: Array<[number, number, number, number, number]> = [
  [0, 0, 3464, 0.108133, 0.072863],
  [1, 1, 1091, 0.069462, 0.085696],
  [1, 2, 277, 0.25471, 0.314238],
  [1, 3, 129, 0.481356, 0.593853],
  [1, 4, 78, 0.680384, 0.839396],
  [1, 5, 119, 0.828144, 1.021689],
  [1, 6, 129, 0.930434, 1.147885],
  [2, 2, 613, 0.066415, 0.119121],
  [2, 3, 255, 0.298904, 0.536111],
  [2, 4, 155, 0.589657, 1.057604],
  [2, 5, 173, 0.804555, 1.443042],
  [2, 6, 234, 0.930434, 1.668817],
  [3, 3, 322, 0.095006, 0.223595],
  [3, 4, 181, 0.439594, 1.034572],
  [3, 5, 225, 0.766826, 1.804703],
  [3, 6, 357, 0.930434, 2.189749],
  [4, 4, 240, 0.200179, 0.583192],
  [4, 5, 284, 0.6968, 2.030024],
  [4, 6, 512, 0.930434, 2.710681],
  [5, 5, 335, 0.521975, 1.812942],
  [5, 6, 728, 0.930434, 3.231612],
  [6, 6, 1203, 0.930434, 3.752544],
];

describe("BG/BB fit on donations (BGBB.1, BGBB.5, §2.1)", () => {
  it("BGBB.1: reproduces lifetimes' parameters (1e-4 relative) and the literature values (decimal 2)", () => {
    for (const k of ["alpha", "beta", "gamma", "delta"] as const) expectRel(p[k], pLt[k]);
    const lit = [1.204, 0.75, 0.657, 2.783];
    [p.alpha, p.beta, p.gamma, p.delta].forEach((v, i) => expect(Math.abs(v - lit[i])).toBeLessThan(1.5e-2));
    expect(fit.diagnostics.converged).toBe(true);
    expect(fit.n).toBe(11104);
    expect(fit.rows).toBe(22);
  });

  it("the fit is a maximum: LL matches Σw·lnL and beats nearby parameter vectors", () => {
    let ll = 0;
    for (let i = 0; i < D.frequency.length; i++)
      ll += D.weights[i] * bgbbLogLikelihoodOne(p, D.frequency[i], D.recency[i], D.periods[i]);
    expect(fit.logLikelihood).toBeCloseTo(ll, 6);
    expect(-bgbbMeanNll(p, data) * 11104).toBeCloseTo(ll, 6);
    for (const k of ["alpha", "beta", "gamma", "delta"] as const)
      for (const f of [0.99, 1.01])
        expect(-bgbbMeanNll({ ...p, [k]: p[k] * f }, data)).toBeLessThan(-bgbbMeanNll(p, data));
  });

  it("BGBB.5: the weighted fit equals the fit on exploded rows (decimal 4)", () => {
    const n = D.weights.reduce((a, b) => a + b, 0);
    const ex = { frequency: new Float64Array(n), recency: new Float64Array(n), periods: new Float64Array(n) };
    let k = 0;
    for (let i = 0; i < D.weights.length; i++)
      for (let j = 0; j < D.weights[i]; j++) {
        ex.frequency[k] = D.frequency[i];
        ex.recency[k] = D.recency[i];
        ex.periods[k] = D.periods[i];
        k++;
      }
    const f2 = fitBgBb(ex);
    for (const key of ["alpha", "beta", "gamma", "delta"] as const)
      expect(Math.abs(f2.params[key] - p[key])).toBeLessThan(1.5e-4);
    expect(f2.logLikelihood).toBeCloseTo(fit.logLikelihood, 4);
  });

  it("standard errors are finite and positive, and the fitted form round-trips through JSON", () => {
    for (const k of ["alpha", "beta", "gamma", "delta"] as const) {
      const se = fit.standardErrors[k]!;
      expect(se > 0 && se < p[k]).toBe(true);
    }
    const back = fittedFromJSON(fittedToJSON(fit), "bgbb", ["alpha", "beta", "gamma", "delta"]);
    expect(back.params).toEqual(fit.params);
  });

  it("analytic gradient matches central differences", () => {
    const nll = bgbbSpec.nll({
      columns: { frequency: D.frequency, recency: D.recency, periods: D.periods },
      weights: D.weights,
      rows: 22,
      totalWeight: 11104,
      scale: 1,
    });
    const pv = Float64Array.of(1.5, 0.6, 0.8, 2.0);
    const g = new Float64Array(4);
    nll(pv, g);
    for (let j = 0; j < 4; j++) {
      const h = 1e-6;
      const a = Float64Array.from(pv);
      const b = Float64Array.from(pv);
      a[j] *= Math.exp(h);
      b[j] *= Math.exp(-h);
      expectRel(g[j], (nll(a) - nll(b)) / (2 * h), 1e-6);
    }
  });

  it("rejects inconsistent input naming field and row", () => {
    const bad = { frequency: Float64Array.of(0, 3), recency: Float64Array.of(0, 2), periods: Float64Array.of(6, 6) };
    expect(() => fitBgBb(bad)).toThrow(ClvInputError);
    expect(() => fitBgBb(bad)).toThrow(/frequency at row 1 must not exceed recency/);
    expect(() => fitBgBb({ ...bad, frequency: Float64Array.of(0, 1), recency: Float64Array.of(0, 7) })).toThrow(
      /recency at row 1 must not exceed periods/,
    );
    expect(() =>
      fitBgBb({ frequency: new Float64Array(0), recency: new Float64Array(0), periods: new Float64Array(0) }),
    ).toThrow(/empty/);
    expect(() =>
      fitBgBb({ frequency: Float64Array.of(0, 0), recency: Float64Array.of(0, 0), periods: Float64Array.of(6, 6) }),
    ).toThrow(/no customer has a transaction/);
  });
});

describe("BG/BB predictions (BGBB.2–BGBB.4 and the per-pattern table)", () => {
  it("BGBB.2: P(alive in 2002) for (0,0), (2,4), (6,6)", () => {
    const ref = [0.1081333, 0.5896572, 0.9304336];
    const lit = [0.11, 0.59, 0.93];
    [
      [0, 0],
      [2, 4],
      [6, 6],
    ].forEach(([x, tx], i) => {
      expectRel(bgbbProbabilityAlive(pLt, 1, x, tx, 6), ref[i], 1e-6);
      expectRel(bgbbProbabilityAlive(p, 1, x, tx, 6), ref[i]);
      expect(Math.abs(bgbbProbabilityAlive(p, 1, x, tx, 6) - lit[i])).toBeLessThan(1.5e-2);
    });
  });

  it("BGBB.3: Σ donors × E[transactions in the next 5 periods] = 12,884.2", () => {
    let s = 0;
    let sLt = 0;
    for (let i = 0; i < D.weights.length; i++) {
      s += D.weights[i] * bgbbConditionalExpectedPurchases(p, 5, D.frequency[i], D.recency[i], 6);
      sLt += D.weights[i] * bgbbConditionalExpectedPurchases(pLt, 5, D.frequency[i], D.recency[i], 6);
    }
    expect(Math.abs(sLt - 12884.157)).toBeLessThan(1e-3);
    expectRel(s, 12884.157);
    expect(Math.abs(s - 12884.2)).toBeLessThan(1.5);
  });

  it("BGBB.4: expected donors by number of donations in the first 6 periods", () => {
    const ref = [3454.882, 1888.654, 1348.882, 1113.379, 1017.922, 1027.166, 1253.114];
    const lt = bgbbExpectedCountsInFirstPeriods(pLt, 6, 11104);
    const ours = bgbbExpectedCountsInFirstPeriods(p, 6, 11104);
    ref.forEach((v, x) => {
      expect(Math.abs(lt[x] - v)).toBeLessThan(1e-3);
      expectRel(ours[x], v);
    });
    expect(Math.abs(ours[0] - 3454.9)).toBeLessThan(1.5);
    expect(Math.abs(ours[6] - 1253.1)).toBeLessThan(1.5);
    let s = 0;
    for (let x = 0; x <= 6; x++) s += bgbbProbabilityOfPurchases(p, 6, x);
    expect(s).toBeCloseTo(1, 12);
  });

  it("per-pattern table: donors, P(alive next period) and E[next 5 periods] for all 22 patterns", () => {
    const pa = bgbbProbabilityAliveArray(p, 1, data);
    const e5 = bgbbConditionalExpectedPurchasesArray(p, 5, data);
    TABLE.forEach(([x, tx, donors, p1, ev], i) => {
      expect([D.frequency[i], D.recency[i], D.weights[i]]).toEqual([x, tx, donors]);
      expect(Math.abs(bgbbProbabilityAlive(pLt, 1, x, tx, 6) - p1)).toBeLessThan(1e-6);
      expect(Math.abs(bgbbConditionalExpectedPurchases(pLt, 5, x, tx, 6) - ev)).toBeLessThan(1e-6);
      expectRel(pa[i], p1);
      expectRel(e5[i], ev);
    });
  });

  it("handles the γ = 1 limit of the conditional expectation continuously", () => {
    const q = { alpha: 1.2, beta: 0.75, gamma: 1, delta: 2.8 };
    const at = bgbbConditionalExpectedPurchases(q, 5, 2, 4, 6);
    const near = bgbbConditionalExpectedPurchases({ ...q, gamma: 1 + 1e-6 }, 5, 2, 4, 6);
    expect(Number.isFinite(at)).toBe(true);
    expectRel(at, near, 1e-5);
  });
});
