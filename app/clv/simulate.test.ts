/**
 * Property tests: simulate from known parameters with fixed seeds, check the simulators against
 * the models' exact moments, then fit and recover the parameters within sampling error
 * (|θ̂ − θ| < 4·se with the fit's own Hessian standard errors).
 */
import { describe, expect, it } from "vitest";
import { cdnowSummary } from "../../test/fixtures/clv/load";
import {
  simulateBgBb,
  simulateBgNbd,
  simulateGammaGamma,
  simulateParetoNbd,
  simulateTransactions,
  type SimulatedRFT,
} from "./simulate";
import { bgnbdExpectedPurchases, bgnbdProbabilityAlive, fitBgNbd } from "./estimators/bgnbd";
import { fitParetoNbd, paretoNbdExpectedPurchases, paretoNbdProbabilityAliveArray } from "./estimators/paretonbd";
import { bgbbProbabilityOfPurchases, fitBgBb } from "./estimators/bgbb";
import { fitGammaGamma } from "./estimators/gammagamma";
import { summarize } from "./summary";
import type { FittedModel } from "./estimators/types";
import { Rng } from "./rng";

const CDNOW_T = cdnowSummary().T;

/** Day-resolution times in weeks (as real summaries have): makes grouping effective. */
const toDays = (v: Float64Array) => v.map((t) => Math.round(t * 7) / 7);

function expectRecovered<K extends string>(fit: FittedModel<K>, truth: Record<K, number>) {
  expect(fit.diagnostics.converged, fit.diagnostics.reason).toBe(true);
  for (const k of Object.keys(truth) as K[]) {
    const se = fit.standardErrors[k];
    expect(se, `se(${k})`).not.toBeNull();
    const z = Math.abs(fit.params[k] - truth[k]) / se!;
    expect(z, `${k}: fitted ${fit.params[k]} vs true ${truth[k]} (se ${se})`).toBeLessThan(4);
  }
}

/** Mean over customers of E[X(T_i)], evaluated once per distinct T. */
function meanExpected(T: Float64Array, ex: (t: number) => number): number {
  const cache = new Map<number, number>();
  let s = 0;
  for (const t of T) {
    let v = cache.get(t);
    if (v === undefined) cache.set(t, (v = ex(t)));
    s += v;
  }
  return s / T.length;
}

function meanAndSe(v: ArrayLike<number>) {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i];
    s2 += v[i] * v[i];
  }
  const m = s / v.length;
  return { mean: m, se: Math.sqrt((s2 / v.length - m * m) / v.length) };
}

/**
 * Simulator vs model, within 5 standard errors: mean x = mean of E[X(T_i)], and mean model
 * P(alive | data) = share of simulated customers actually alive at T (law of total probability).
 */
function expectModelMoments(sim: SimulatedRFT, expected: (t: number) => number, pAlive: Float64Array) {
  const fx = meanAndSe(sim.frequency);
  expect(Math.abs(fx.mean - meanExpected(sim.T, expected))).toBeLessThan(5 * fx.se);
  const alive = meanAndSe(sim.alive);
  expect(Math.abs(meanAndSe(pAlive).mean - alive.mean)).toBeLessThan(5 * alive.se);
}

describe("BG/NBD simulator (docs/reference/clv-engine.md §5)", () => {
  const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const sim = simulateBgNbd(truth, { customers: 200_000, seed: 2024, T: CDNOW_T });

  it("is deterministic and matches the CDNOW-like shape of §5 (mean x ≈ 1.06, ≈ 60 % zeros)", () => {
    const a = simulateBgNbd(truth, { customers: 1000, seed: 2024, T: CDNOW_T });
    const b = simulateBgNbd(truth, { customers: 1000, seed: 2024, T: CDNOW_T });
    const c = simulateBgNbd(truth, { customers: 1000, seed: 2025, T: CDNOW_T });
    expect(Array.from(b.recency)).toEqual(Array.from(a.recency));
    expect(Array.from(c.recency)).not.toEqual(Array.from(a.recency));
    const { mean } = meanAndSe(sim.frequency);
    let zeros = 0;
    for (const x of sim.frequency) if (x === 0) zeros++;
    expect(Math.abs(mean - 1.061)).toBeLessThan(0.03);
    expect(Math.abs(zeros / sim.frequency.length - 0.596)).toBeLessThan(0.01);
  });

  it("mean frequency equals the model's E[X(T)] and mean P(alive) equals the alive share, within sampling error", () => {
    expectModelMoments(
      sim,
      (t) => bgnbdExpectedPurchases(truth, t),
      bgnbdProbabilityAlive(truth, sim.frequency, sim.recency, sim.T),
    );
    let bad = 0;
    for (let i = 0; i < sim.T.length; i++)
      if (!(sim.recency[i] <= sim.T[i] && (sim.frequency[i] > 0 || sim.recency[i] === 0))) bad++;
    expect(bad).toBe(0);
  });

  it("fit recovers the parameters (|θ̂−θ| < 4·se)", () => {
    const fit = fitBgNbd({ frequency: sim.frequency, recency: toDays(sim.recency), T: toDays(sim.T) });
    expectRecovered(fit, truth);
  });
});

describe("Pareto/NBD simulator", () => {
  const truth = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
  const sim = simulateParetoNbd(truth, { customers: 60_000, seed: 77, T: CDNOW_T });

  it("mean frequency equals E[X(T)] and mean P(alive) equals the alive share", () => {
    expectModelMoments(
      sim,
      (t) => paretoNbdExpectedPurchases(truth, t),
      paretoNbdProbabilityAliveArray(truth, sim.frequency, sim.recency, sim.T),
    );
  });

  it("fit recovers the parameters (|θ̂−θ| < 4·se)", () => {
    const fit = fitParetoNbd({ frequency: sim.frequency, recency: toDays(sim.recency), T: toDays(sim.T) });
    expectRecovered(fit, truth);
  });

  it("recovers a high-churn, high-frequency parameter set too (α < β branch at the optimum)", () => {
    const t2 = { r: 2.1, alpha: 6, s: 1.4, beta: 20 };
    const s2 = simulateParetoNbd(t2, { customers: 30_000, seed: 5, T: 52 });
    const fit = fitParetoNbd({ frequency: s2.frequency, recency: toDays(s2.recency), T: s2.T });
    expectRecovered(fit, t2);
  });
});

describe("parameter sweep: fits converge and recover random parameter sets (seeded)", () => {
  const rng = new Rng(2026);
  const between = (lo: number, hi: number) => lo * Math.pow(hi / lo, rng.uniform());
  const sets = Array.from({ length: 5 }, () => ({
    pnbd: { r: between(0.3, 2), alpha: between(2, 20), s: between(0.3, 2), beta: between(2, 30) },
    bgbb: { alpha: between(0.5, 3), beta: between(0.5, 3), gamma: between(0.5, 3), delta: between(0.5, 5) },
  }));

  it.each(sets.map((st, i) => [i, st] as const))(
    "set %i: Pareto/NBD (15k customers) and BG/BB (15k customers, 10 periods)",
    (i, st) => {
      const sim = simulateParetoNbd(st.pnbd, { customers: 15_000, seed: 100 + i, T: 52 });
      expectRecovered(fitParetoNbd({ frequency: sim.frequency, recency: toDays(sim.recency), T: sim.T }), st.pnbd);
      const bb = simulateBgBb(st.bgbb, { customers: 15_000, periods: 10, seed: 200 + i });
      expectRecovered(fitBgBb(bb), st.bgbb);
    },
  );
});

describe("BG/BB simulator", () => {
  const truth = { alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 };
  const sim = simulateBgBb(truth, { customers: 40_000, periods: 8, seed: 9 });

  it("the distribution of x matches P(X(n) = x) (each count within 5 sd)", () => {
    const counts = new Float64Array(9);
    for (const x of sim.frequency) counts[x]++;
    for (let x = 0; x <= 8; x++) {
      const e = 40_000 * bgbbProbabilityOfPurchases(truth, 8, x);
      expect(Math.abs(counts[x] - e), `x=${x}: ${counts[x]} vs ${e}`).toBeLessThan(5 * Math.sqrt(e));
    }
  });

  it("fit on grouped patterns recovers the parameters (|θ̂−θ| < 4·se)", () => {
    const fit = fitBgBb(sim);
    expect(fit.rows).toBeLessThanOrEqual(37); // at most 1 + n(n+1)/2 distinct (x, t_x) patterns
    expectRecovered(fit, truth);
  });
});

describe("Gamma-Gamma simulator", () => {
  it("fit on simulated repeat customers recovers p, q, v (|θ̂−θ| < 4·se)", () => {
    const truth = { p: 6.25, q: 3.74, v: 15.44 };
    const freq = simulateBgNbd({ r: 0.5, alpha: 4, a: 0.8, b: 2.4 }, { customers: 40_000, seed: 4, T: 52 }).frequency;
    const m = simulateGammaGamma(truth, freq, 8);
    const idx: number[] = [];
    for (let i = 0; i < freq.length; i++) if (freq[i] > 0) idx.push(i);
    let bad = 0;
    for (let i = 0; i < freq.length; i++) if (!(freq[i] > 0 ? m[i] > 0 : m[i] === 0)) bad++;
    expect(bad).toBe(0);
    const fit = fitGammaGamma({
      frequency: Float64Array.from(idx, (i) => freq[i]),
      monetary: Float64Array.from(idx, (i) => m[i]),
    });
    expectRecovered(fit, truth);
  });
});

describe("transaction-level simulator", () => {
  it("produces a valid log whose summaries recover the generating Pareto/NBD process", () => {
    const truth = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
    const start = 9862; // 1997-01-01
    const tx = simulateTransactions({
      customers: 40_000,
      seed: 12,
      process: { model: "pnbd", ...truth },
      spend: { p: 6.25, q: 3.74, v: 15.44 },
      startDay: start,
      endDay: start + 272,
    });
    expect(tx.rows).toBeGreaterThan(40_000);
    let bad = 0;
    for (let i = 0; i < tx.rows; i++) {
      if (!(tx.day[i] >= start && tx.day[i] <= start + 272 && tx.amount[i] > 0)) bad++;
      if (i > 0 && tx.customer[i] === tx.customer[i - 1] && tx.day[i] < tx.day[i - 1]) bad++;
    }
    expect(bad).toBe(0);
    const ids = Array.from(tx.customer, String);
    const s = summarize(ids, tx.day, tx.amount, { calibrationEnd: start + 272, unit: "week" });
    expect(s.customerIds.length).toBe(40_000);
    const fit = fitParetoNbd({ frequency: s.frequency, recency: s.recency, T: s.T });
    expectRecovered(fit, truth);
  });

  it("is deterministic and validates its options", () => {
    const o = {
      customers: 100,
      seed: 3,
      process: { model: "bgnbd" as const, r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      spend: { p: 6, q: 4, v: 15 },
      startDay: 0,
      endDay: 300,
    };
    expect(Array.from(simulateTransactions(o).amount)).toEqual(Array.from(simulateTransactions(o).amount));
    expect(() => simulateTransactions({ ...o, endDay: -1 })).toThrow(/endDay/);
    expect(() => simulateBgNbd({ r: -1, alpha: 1, a: 1, b: 1 }, { customers: 10 })).toThrow(/parameter r/);
    expect(() => simulateBgNbd({ r: 1, alpha: 1, a: 1, b: 1 }, { customers: 10, T: [] })).toThrow(/empty/);
  });
});
