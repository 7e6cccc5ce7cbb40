/** Parametric-bootstrap CLV intervals. */
import { describe, expect, it } from "vitest";
import { choleskySemiDefinite, clvPredictionInterval, sampleParams } from "./uncertainty";
import { TIME_UNITS_PER_MONTH, expectedPurchasesFor, ggCustomerLifetimeValue } from "./clv";
import { fitBgNbd } from "./estimators/bgnbd";
import { fitGammaGamma } from "./estimators/gammagamma";
import { ClvInputError } from "./estimators/common";
import type { FittedModel } from "./estimators/types";
import { Rng } from "./rng";
import { cdnowExactSummary } from "../../test/fixtures/clv/load";

const X = cdnowExactSummary();
const bg = fitBgNbd(X);
const rep = [...X.frequency.keys()].filter((i) => X.frequency[i] > 0);
const gg = fitGammaGamma({
  frequency: Float64Array.from(rep, (i) => X.frequency[i]),
  monetary: Float64Array.from(rep, (i) => X.monetary[i]),
});
const opts = { horizonMonths: 12, monthlyDiscountRate: 0.01, timeUnitsPerMonth: TIME_UNITS_PER_MONTH.week };
const data = { frequency: X.frequency, recency: X.recency, T: X.T, monetary: X.monetary };
/** The first 400 customers: enough for the properties below, cheap to bootstrap repeatedly. */
const few = {
  frequency: X.frequency.slice(0, 400),
  recency: X.recency.slice(0, 400),
  T: X.T.slice(0, 400),
  monetary: X.monetary.slice(0, 400),
};
const scaleCov = <F extends FittedModel>(f: F, s: number): F => ({
  ...f,
  logParamCovariance: f.logParamCovariance!.map((r) => r.map((v) => v * s)),
});

describe("CLV bootstrap interval", () => {
  const iv = clvPredictionInterval(bg, gg, data, { ...opts, draws: 200, seed: 3 });

  it("point equals the plain CLV; low ≤ median ≤ high; the point lies inside for almost everyone", () => {
    const clv = ggCustomerLifetimeValue(
      gg.params,
      expectedPurchasesFor(bg, X.frequency, X.recency, X.T),
      X.frequency,
      X.monetary,
      opts,
    );
    let inside = 0;
    for (let i = 0; i < clv.length; i++) {
      expect(Math.abs(iv.point[i] - clv[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, clv[i]));
      expect(iv.low[i]).toBeLessThanOrEqual(iv.median[i]);
      expect(iv.median[i]).toBeLessThanOrEqual(iv.high[i]);
      expect(iv.high[i]).toBeGreaterThan(iv.low[i]);
      if (iv.point[i] >= iv.low[i] && iv.point[i] <= iv.high[i]) inside++;
    }
    expect(inside / clv.length).toBeGreaterThan(0.95);
    expect(iv.covers).toBe("parameter uncertainty");
    expect(iv.draws).toBe(200);
  });

  it("is reproducible with a seed and changes with another seed", () => {
    const first = clvPredictionInterval(bg, gg, few, { ...opts, draws: 100, seed: 3 });
    const again = clvPredictionInterval(bg, gg, few, { ...opts, draws: 100, seed: 3 });
    expect(again.low).toEqual(first.low);
    expect(again.high).toEqual(first.high);
    const other = clvPredictionInterval(bg, gg, few, { ...opts, draws: 100, seed: 4 });
    expect(other.high[0]).not.toBe(first.high[0]);
  });

  it("identical customers get identical intervals (positional output)", () => {
    const i3 = X.id.indexOf(3);
    const i4 = X.id.indexOf(4);
    expect([iv.low[i3], iv.high[i3]]).toEqual([iv.low[i4], iv.high[i4]]);
    // block size does not change anything
    const whole = clvPredictionInterval(bg, gg, few, { ...opts, draws: 60, seed: 3 });
    const small = clvPredictionInterval(bg, gg, few, { ...opts, draws: 60, seed: 3, blockSize: 37 });
    expect(small.low).toEqual(whole.low);
    expect(small.high).toEqual(whole.high);
  });

  it("zero covariance gives a degenerate interval at the point estimate", () => {
    const z = clvPredictionInterval(scaleCov(bg, 0), scaleCov(gg, 0), few, { ...opts, draws: 20 });
    for (let i = 0; i < 50; i++) {
      expect(z.low[i]).toBeCloseTo(z.point[i], 9);
      expect(z.high[i]).toBeCloseTo(z.point[i], 9);
    }
  });

  it("matches the delta method in the small-covariance (linear) regime", () => {
    const s = 0.01; // shrink Σ so that CLV is ~linear in θ over the draws
    const idx = [0, 1, 2, 17, 99, 1515];
    const sub = (a: Float64Array) => Float64Array.from(idx, (i) => a[i]);
    const d = { frequency: sub(X.frequency), recency: sub(X.recency), T: sub(X.T), monetary: sub(X.monetary) };
    const res = clvPredictionInterval(scaleCov(bg, s), scaleCov(gg, s), d, { ...opts, draws: 4000, seed: 11 });
    // delta method: sd² = gᵀ Σ g with g = ∂CLV/∂θ (log-parameters) by central differences
    const clvAt = (b: Record<string, number>, g: Record<string, number>) =>
      ggCustomerLifetimeValue(
        g as never,
        expectedPurchasesFor({ model: "bgnbd", params: b }, d.frequency, d.recency, d.T),
        d.frequency,
        d.monetary,
        opts,
      );
    const grads: Float64Array[] = [];
    const names: Array<["bg" | "gg", string]> = [
      ...Object.keys(bg.params).map((k) => ["bg", k] as ["bg", string]),
      ...Object.keys(gg.params).map((k) => ["gg", k] as ["gg", string]),
    ];
    for (const [which, k] of names) {
      const h = 1e-5;
      const up = { b: { ...bg.params } as Record<string, number>, g: { ...gg.params } as Record<string, number> };
      const dn = { b: { ...bg.params } as Record<string, number>, g: { ...gg.params } as Record<string, number> };
      const tu = which === "bg" ? up.b : up.g;
      const td = which === "bg" ? dn.b : dn.g;
      tu[k] *= Math.exp(h);
      td[k] *= Math.exp(-h);
      const cu = clvAt(up.b, up.g);
      const cd = clvAt(dn.b, dn.g);
      grads.push(Float64Array.from(cu, (v, i) => (v - cd[i]) / (2 * h)));
    }
    const cov = (a: number, b: number) => {
      const na = Object.keys(bg.params).length;
      if (a < na && b < na) return bg.logParamCovariance![a][b] * s;
      if (a >= na && b >= na) return gg.logParamCovariance![a - na][b - na] * s;
      return 0;
    };
    for (let i = 0; i < idx.length; i++) {
      let v = 0;
      for (let a = 0; a < names.length; a++)
        for (let b = 0; b < names.length; b++) v += grads[a][i] * grads[b][i] * cov(a, b);
      const sd = Math.sqrt(v);
      const width = res.high[i] - res.low[i];
      expect(Math.abs(width / (2 * 1.6448536 * sd) - 1), `customer ${idx[i]}`).toBeLessThan(0.08);
      expect(Math.abs(res.median[i] - res.point[i])).toBeLessThan(0.1 * sd + 1e-12);
    }
  });

  it("interval width shrinks like the square root of the covariance", () => {
    const wide = clvPredictionInterval(bg, gg, few, { ...opts, draws: 400, seed: 5 });
    const narrow = clvPredictionInterval(scaleCov(bg, 0.25), scaleCov(gg, 0.25), few, { ...opts, draws: 400, seed: 5 });
    let ratio = 0;
    for (let i = 0; i < 200; i++) ratio += (narrow.high[i] - narrow.low[i]) / (wide.high[i] - wide.low[i]);
    expect(ratio / 200).toBeGreaterThan(0.4);
    expect(ratio / 200).toBeLessThan(0.6);
  });

  it("without a Gamma-Gamma model the given monetary values are used as-is", () => {
    const v = clvPredictionInterval(
      bg,
      null,
      { ...few, monetary: new Float64Array(400).fill(10) },
      { ...opts, draws: 20 },
    );
    const e = expectedPurchasesFor(bg, few.frequency, few.recency, few.T);
    const clv = ggCustomerLifetimeValue({ p: 1, q: 2, v: 10 }, e, new Float64Array(400), new Float64Array(400), opts); // E[M] = p·v/(q−1) = 10
    for (let i = 0; i < 20; i++) expect(v.point[i]).toBeCloseTo(clv[i], 10);
  });

  it("rejects bad options and a fit without covariance", () => {
    expect(() => clvPredictionInterval(bg, gg, data, { ...opts, draws: 1 })).toThrow(/draws/);
    expect(() => clvPredictionInterval(bg, gg, data, { ...opts, lower: 0.9, upper: 0.1 })).toThrow(/lower/);
    expect(() => clvPredictionInterval({ ...bg, logParamCovariance: null }, gg, data, opts)).toThrow(ClvInputError);
    expect(() => clvPredictionInterval({ ...bg, model: "gg" }, gg, data, opts)).toThrow(/not a continuous-time/);
    expect(() =>
      clvPredictionInterval(
        bg,
        gg,
        { ...data, monetary: Float64Array.from(X.monetary, (v, i) => (i === 5 ? -1 : v)) },
        opts,
      ),
    ).toThrow(/monetary at row 5/);
  });
});

describe('delta-method interval (method: "delta")', () => {
  const boot = clvPredictionInterval(bg, gg, few, { ...opts, draws: 3000, seed: 12 });
  const dl = clvPredictionInterval(bg, gg, few, { ...opts, method: "delta" });

  it("agrees with a 3,000-draw bootstrap on CDNOW to a few percent of the interval width", () => {
    const errLow: number[] = [];
    const errHigh: number[] = [];
    for (let i = 0; i < few.frequency.length; i++) {
      expect(dl.point[i]).toBe(boot.point[i]);
      expect(dl.median[i]).toBe(dl.point[i]);
      const w = boot.high[i] - boot.low[i];
      errLow.push(Math.abs(dl.low[i] - boot.low[i]) / w);
      errHigh.push(Math.abs(dl.high[i] - boot.high[i]) / w);
    }
    const median = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
    // measured on all 2,357 customers vs 4,000 draws: median 2.0 % / 0.5 %, max 5.3 % / 7.2 %
    expect(median(errLow)).toBeLessThan(0.04);
    expect(median(errHigh)).toBeLessThan(0.04);
    expect(Math.max(...errLow, ...errHigh)).toBeLessThan(0.12);
    expect(dl.method).toBe("delta");
    expect(dl.draws).toBe(0);
    expect(dl.covers).toBe("parameter uncertainty");
    expect(boot.method).toBe("bootstrap");
  });

  it("is deterministic, degenerate at zero covariance, and rejects predictive / missing covariance", () => {
    const again = clvPredictionInterval(bg, gg, few, { ...opts, method: "delta", seed: 99 });
    expect(again.low).toEqual(dl.low);
    const z = clvPredictionInterval(scaleCov(bg, 0), scaleCov(gg, 0), few, { ...opts, method: "delta" });
    for (let i = 0; i < 50; i++) expect([z.low[i], z.high[i]]).toEqual([z.point[i], z.point[i]]);
    expect(() => clvPredictionInterval(bg, gg, few, { ...opts, method: "delta", predictive: true })).toThrow(
      /bootstrap for predictive/,
    );
    expect(() =>
      clvPredictionInterval(bg, { ...gg, logParamCovariance: null }, few, { ...opts, method: "delta" }),
    ).toThrow(ClvInputError);
    expect(() => clvPredictionInterval(bg, gg, few, { ...opts, method: "jackknife" as never })).toThrow(
      /method must be/,
    );
  });

  it("its width scales like the square root of the covariance (exactly, up to the log-normal shape)", () => {
    const q = clvPredictionInterval(scaleCov(bg, 0.25), scaleCov(gg, 0.25), few, { ...opts, method: "delta" });
    for (let i = 0; i < 100; i++) {
      if (dl.point[i] === 0) continue;
      const sdFull = Math.log(dl.high[i] / dl.point[i]);
      const sdQuarter = Math.log(q.high[i] / q.point[i]);
      expect(sdQuarter / sdFull).toBeCloseTo(0.5, 6);
    }
  });
});

describe("sampling helpers", () => {
  it("semi-definite Cholesky handles fixed (zero) rows", () => {
    const A = [
      [4, 0, 2],
      [0, 0, 0],
      [2, 0, 3],
    ];
    const L = choleskySemiDefinite(A)!;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += L[i][k] * L[j][k];
        expect(s).toBeCloseTo(A[i][j], 12);
      }
    expect(
      choleskySemiDefinite([
        [1, 2],
        [2, 1],
      ]),
    ).toBeNull();
  });

  it("draws have the fitted log-parameter mean and covariance", () => {
    const { draws } = sampleParams(bg, 20000, new Rng(9));
    const names = Object.keys(bg.params) as Array<keyof typeof bg.params>;
    const logs = names.map((k) => Float64Array.from(draws, (d) => Math.log(d[k])));
    const mean = logs.map((l) => l.reduce((a, b) => a + b, 0) / l.length);
    names.forEach((k, i) => {
      const sd = Math.sqrt(bg.logParamCovariance![i][i]);
      expect(Math.abs(mean[i] - Math.log(bg.params[k]))).toBeLessThan((4 * sd) / Math.sqrt(20000));
      let v = 0;
      for (const x of logs[i]) v += (x - mean[i]) ** 2;
      expect(Math.abs(Math.sqrt(v / (logs[i].length - 1)) / sd - 1)).toBeLessThan(0.03);
    });
    // correlation of log a and log b (strongly positive in CDNOW)
    const [ia, ib] = [2, 3];
    let c = 0;
    for (let n = 0; n < draws.length; n++) c += (logs[ia][n] - mean[ia]) * (logs[ib][n] - mean[ib]);
    c /= draws.length - 1;
    expect(Math.abs(c / bg.logParamCovariance![ia][ib] - 1)).toBeLessThan(0.05);
  });
});

describe("coverage of the parameter-uncertainty interval (simulation study)", () => {
  it("the 90% interval covers the true expected CLV of a fixed customer in about 90% of refits", async () => {
    const { simulateBgNbd } = await import("./simulate");
    const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const profile = {
      frequency: Float64Array.of(2, 0, 6),
      recency: Float64Array.of(20, 0, 35),
      T: Float64Array.of(38, 38, 38),
      monetary: Float64Array.of(1, 1, 1),
    };
    const trueClv = ggCustomerLifetimeValue(
      { p: 1, q: 2, v: 1 }, // E[M] = 1 for every customer: CLV in purchases
      expectedPurchasesFor({ model: "bgnbd", params: truth }, profile.frequency, profile.recency, profile.T),
      new Float64Array(3),
      new Float64Array(3),
      opts,
    );
    const reps = 80;
    const covered = [0, 0, 0];
    const coveredDelta = [0, 0, 0];
    for (let s = 1; s <= reps; s++) {
      const sim = simulateBgNbd(truth, { customers: 2000, seed: 1000 + s, T: X.T });
      const f = fitBgNbd(sim);
      const iv = clvPredictionInterval(f, null, profile, { ...opts, draws: 200, seed: s });
      const dv = clvPredictionInterval(f, null, profile, { ...opts, method: "delta" });
      for (let i = 0; i < 3; i++) {
        if (iv.low[i] <= trueClv[i] && trueClv[i] <= iv.high[i]) covered[i]++;
        if (dv.low[i] <= trueClv[i] && trueClv[i] <= dv.high[i]) coveredDelta[i]++;
      }
    }
    for (let i = 0; i < 3; i++) {
      expect(covered[i] / reps, `customer ${i}`).toBeGreaterThan(0.78);
      expect(covered[i] / reps, `customer ${i}`).toBeLessThan(0.99);
      expect(coveredDelta[i] / reps, `customer ${i} (delta)`).toBeGreaterThan(0.78);
      expect(coveredDelta[i] / reps, `customer ${i} (delta)`).toBeLessThan(0.99);
    }
  });
});

describe("predictive intervals (process noise)", () => {
  it("the simulated future's mean equals the expected CLV (BG/NBD, MBG/NBD, Pareto/NBD; with and without Gamma-Gamma)", async () => {
    const { futureSimulator } = await import("./uncertainty");
    const { fitMbgNbd } = await import("./estimators/mbgnbd");
    const { Rng: R } = await import("./rng");
    const models = [
      { model: "bgnbd" as const, params: bg.params as Record<string, number> },
      { model: "mbgnbd" as const, params: fitMbgNbd(X).params as Record<string, number> },
      { model: "pnbd" as const, params: { r: 0.553283, alpha: 10.577657, s: 0.606228, beta: 11.66851 } },
    ];
    const rows = [0, 1, 2, 1515]; // (2, 30.4, 38.9), (1, 1.7, 38.9), (0, 0, 38.9), (26, 30.9, 31)
    const N = 20000;
    for (const { model, params } of models)
      for (const spend of [gg.params as Record<string, number>, null]) {
        const sim = futureSimulator(model, opts);
        const rng = new R(17);
        const sub = (a: Float64Array) => Float64Array.from(rows, (i) => a[i]);
        const x = sub(X.frequency);
        const m = sub(X.monetary).map((v) => (v > 0 ? v : 30));
        const exp = expectedPurchasesFor({ model, params }, x, sub(X.recency), sub(X.T));
        const expected = spend
          ? ggCustomerLifetimeValue(spend as never, exp, x, m, opts)
          : ggCustomerLifetimeValue(
              { p: 1, q: 2, v: 1 },
              exp,
              new Float64Array(rows.length),
              new Float64Array(rows.length),
              opts,
            ).map((v, i) => v * m[i]);
        rows.forEach((row, i) => {
          let s = 0;
          let s2 = 0;
          for (let k = 0; k < N; k++) {
            const v = sim(params, spend, X.frequency[row], X.recency[row], X.T[row], m[i], rng);
            s += v;
            s2 += v * v;
          }
          const mean = s / N;
          const se = Math.sqrt((s2 / N - mean * mean) / N);
          expect(
            Math.abs(mean - expected[i]),
            `${model} ${spend ? "gg" : "fixed m"} row ${row}: ${mean} vs ${expected[i]} (se ${se})`,
          ).toBeLessThan(4.5 * se + 1e-9);
        });
      }
  });

  it("predictive intervals are much wider than parameter-only intervals and start at 0 for most customers", () => {
    const par = clvPredictionInterval(bg, gg, few, { ...opts, draws: 200, seed: 2 });
    const pred = clvPredictionInterval(bg, gg, few, { ...opts, draws: 200, seed: 2, predictive: true });
    expect(pred.covers).toBe("parameter and purchase-process uncertainty");
    let zeroLow = 0;
    let wPar = 0;
    let wPred = 0;
    for (let i = 0; i < 400; i++) {
      wPar += par.high[i] - par.low[i];
      wPred += pred.high[i] - pred.low[i];
      if (pred.low[i] === 0) zeroLow++;
      expect(pred.point[i]).toBe(par.point[i]);
    }
    expect(wPred).toBeGreaterThan(3 * wPar);
    expect(zeroLow / 400).toBeGreaterThan(0.8);
    const again = clvPredictionInterval(bg, gg, few, { ...opts, draws: 200, seed: 2, predictive: true, blockSize: 50 });
    expect(again.high).toEqual(pred.high);
  });
});
