/** The shared fit driver: input validation (UT.9), diagnostics, fixed/initial parameters, serialisation. */
import { describe, expect, it } from "vitest";
import { ClvInputError, FittedModelError, fittedFromJSON, fittedToJSON, validateRFT } from "./common";
import { fitBgNbd } from "./bgnbd";
import { fitMbgNbd } from "./mbgnbd";
import { cdnowSummary } from "../../../test/fixtures/clv/load";

const C = cdnowSummary();
const base = () => ({
  frequency: Float64Array.of(2, 0, 1),
  recency: Float64Array.of(3, 0, 4),
  T: Float64Array.of(5, 6, 7),
});

function rejects(
  mutate: (d: ReturnType<typeof base> & { weights?: Float64Array }) => void,
  field: string,
  row: number | null,
  msg: RegExp,
) {
  const d: ReturnType<typeof base> & { weights?: Float64Array } = base();
  mutate(d);
  for (const fn of [() => validateRFT(d), () => fitBgNbd(d), () => fitMbgNbd(d)]) {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err, `expected ${field} to be rejected`).toBeInstanceOf(ClvInputError);
    expect((err as ClvInputError).field).toBe(field);
    expect((err as ClvInputError).row).toBe(row);
    expect((err as Error).message).toMatch(msg);
  }
}

describe("input validation (UT.9)", () => {
  it("accepts valid input", () => {
    expect(validateRFT(base())).toBe(3);
  });
  it("recency > T", () => rejects((d) => (d.recency[2] = 8), "recency", 2, /row 2 exceeds T \(8 > 7\)/));
  it("recency ≠ 0 when frequency = 0", () =>
    rejects((d) => (d.recency[1] = 1), "recency", 1, /row 1 must be 0 when frequency is 0/));
  it("non-integer frequency", () => rejects((d) => (d.frequency[0] = 1.5), "frequency", 0, /row 0 must be an integer/));
  it("negative values", () => {
    rejects((d) => (d.frequency[2] = -1), "frequency", 2, /row 2/);
    rejects((d) => (d.T[1] = -1), "T", 1, /row 1/);
    rejects((d) => (d.recency[0] = -0.5), "recency", 0, /row 0/);
  });
  it("NaN and infinite values", () => {
    rejects((d) => (d.T[0] = NaN), "T", 0, /NaN/);
    rejects((d) => (d.recency[2] = NaN), "recency", 2, /NaN/);
    rejects((d) => (d.frequency[1] = Infinity), "frequency", 1, /Infinity/);
  });
  it("bad weights and mismatched lengths", () => {
    rejects((d) => (d.weights = Float64Array.of(1, 0, 1)), "weights", 1, /positive/);
    rejects((d) => (d.T = Float64Array.of(5, 6)), "T", null, /2 rows but frequency has 3/);
  });
  it("empty input and data without any repeat purchase are clear errors for a fit", () => {
    const empty = { frequency: new Float64Array(0), recency: new Float64Array(0), T: new Float64Array(0) };
    expect(() => fitBgNbd(empty)).toThrow(/empty/);
    const zeros = { frequency: new Float64Array(4), recency: new Float64Array(4), T: Float64Array.of(3, 4, 5, 6) };
    expect(() => fitBgNbd(zeros)).toThrow(/no customer has a repeat purchase/);
    expect(() => fitBgNbd({ ...base(), T: Float64Array.of(0, 0, 0), recency: Float64Array.of(0, 0, 0) })).toThrow(
      /T is 0 for every customer/,
    );
  });
  it("bad config values", () => {
    expect(() => fitBgNbd(C, { penalizer: -1 })).toThrow(/penalizer/);
    expect(() => fitBgNbd(C, { initialParams: { r: 0 } })).toThrow(/initialParams\.r/);
  });
});

describe("fit driver behaviour", () => {
  it("reports non-convergence in the diagnostics instead of throwing", () => {
    const f = fitBgNbd(C, { method: "bfgs", maxIter: 3 });
    expect(f.diagnostics.converged).toBe(false);
    expect(f.diagnostics.reason).toMatch(/maximum iterations/);
    expect(f.diagnostics.iterations).toBe(3);
    expect(Object.values(f.params).every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(Number.isFinite(f.logLikelihood)).toBe(true);
    // and it still serialises
    expect(fittedFromJSON(fittedToJSON(f), "bgnbd").diagnostics.converged).toBe(false);
  });

  it("start values do not change the optimum; Nelder-Mead reaches the same optimum", () => {
    const a = fitBgNbd(C);
    const b = fitBgNbd(C, { initialParams: { r: 1, alpha: 20, a: 2, b: 5 } });
    const nm = fitBgNbd(C, { method: "nelder-mead" });
    for (const k of ["r", "alpha", "a", "b"] as const) {
      expect(Math.abs(b.params[k] / a.params[k] - 1)).toBeLessThan(1e-5);
      expect(Math.abs(nm.params[k] / a.params[k] - 1)).toBeLessThan(1e-3);
    }
    expect(nm.diagnostics.method).toBe("nelder-mead");
  });

  it("fixed parameters stay fixed and get no standard error", () => {
    const f = fitBgNbd(C, { fixed: { alpha: 5 } });
    expect(f.params.alpha).toBeCloseTo(5, 12);
    expect(f.standardErrors.alpha).toBeNull();
    expect(f.standardErrors.r).toBeGreaterThan(0);
    const free = fitBgNbd(C);
    expect(f.logLikelihood).toBeLessThan(free.logLikelihood);
    expect(f.logParamCovariance![1]).toEqual([0, 0, 0, 0]);
  });

  it("standardErrors: false skips the Hessian", () => {
    const f = fitBgNbd(C, { standardErrors: false });
    expect(f.logParamCovariance).toBeNull();
    expect(f.standardErrors.r).toBeNull();
  });

  it("group: false evaluates every row; grouping gives the same fit", () => {
    const g = fitBgNbd(C);
    const u = fitBgNbd(C, { group: false });
    expect(u.rows).toBe(2357);
    expect(g.rows).toBeLessThan(u.rows);
    for (const k of ["r", "alpha", "a", "b"] as const)
      expect(Math.abs(g.params[k] / u.params[k] - 1)).toBeLessThan(1e-8);
  });
});

describe("serialisation", () => {
  it("JSON round trip preserves every field; NaN gradNorm comes back as NaN", () => {
    const f = fitBgNbd(C);
    const back = fittedFromJSON(JSON.parse(fittedToJSON(f)));
    expect(back).toEqual(f);
    const nm = fitBgNbd(C, { method: "nelder-mead" });
    expect(Number.isNaN(nm.diagnostics.gradNorm)).toBe(true);
    expect(Number.isNaN(fittedFromJSON(fittedToJSON(nm)).diagnostics.gradNorm)).toBe(true);
  });

  it("malformed forms throw FittedModelError naming the field", () => {
    const good = JSON.parse(fittedToJSON(fitBgNbd(C)));
    const cases: Array<[unknown, RegExp]> = [
      [null, /\(root\) must be an object/],
      [{ ...good, model: "xyz" }, /model must be one of/],
      [{ ...good, params: { ...good.params, r: "0.2" } }, /params\.r/],
      [{ ...good, params: { ...good.params, extra: 1 } }, /params\.extra is not a parameter/],
      [{ ...good, standardErrors: { ...good.standardErrors, b: -1 } }, /standardErrors\.b/],
      [{ ...good, logLikelihood: null }, /logLikelihood/],
      [{ ...good, diagnostics: { ...good.diagnostics, fitMs: "fast" } }, /diagnostics\.fitMs/],
      [
        {
          ...good,
          logParamCovariance: [
            [1, 0, 0, 0],
            [0, 1, 0, 0],
            [0, 0, 1, 0],
            [0, 0, 0, "x"],
          ],
        },
        /logParamCovariance\[3\]\[3\]/,
      ],
    ];
    for (const [input, msg] of cases) {
      expect(() => fittedFromJSON(input, undefined, ["r", "alpha", "a", "b"])).toThrow(FittedModelError);
      expect(() => fittedFromJSON(input, undefined, ["r", "alpha", "a", "b"])).toThrow(msg);
    }
  });
});

describe("analytic gradients of the likelihoods", () => {
  it("match central differences in log-parameters at random points (BG/NBD, MBG/NBD, Gamma-Gamma)", async () => {
    const { bgnbdSpec } = await import("./bgnbd");
    const { mbgnbdSpec } = await import("./mbgnbd");
    const { gammaGammaSpec } = await import("./gammagamma");
    const { prepareData } = await import("./common");
    const { Rng } = await import("../rng");
    const rng = new Rng(42);
    const n = 300;
    const x = Float64Array.from({ length: n }, () => (rng.uniform() < 0.4 ? 0 : 1 + rng.int(40)));
    const T = Float64Array.from({ length: n }, () => 0.5 + 50 * rng.uniform());
    const tx = Float64Array.from(x, (v, i) => (v === 0 ? 0 : rng.uniform() < 0.1 ? T[i] : T[i] * rng.uniform()));
    const m = Float64Array.from({ length: n }, () => 1 + 100 * rng.uniform());
    const w = Float64Array.from({ length: n }, () => 1 + rng.int(5));
    const xPos = Float64Array.from(x, (v) => Math.max(1, v));
    const cases: Array<{
      spec: {
        model: string;
        paramNames: readonly string[];
        nll: (d: never) => (p: Float64Array, g?: Float64Array) => number;
      };
      cols: Record<string, Float64Array>;
    }> = [
      { spec: bgnbdSpec, cols: { frequency: x, recency: tx, T } },
      { spec: mbgnbdSpec, cols: { frequency: x, recency: tx, T } },
      { spec: gammaGammaSpec, cols: { frequency: xPos, monetary: m } },
    ];
    for (const { spec, cols } of cases) {
      const nll = spec.nll(prepareData(spec as never, cols, w, true) as never);
      for (let trial = 0; trial < 6; trial++) {
        const theta = Float64Array.from(spec.paramNames, () => -2 + 4 * rng.uniform());
        const p = theta.map(Math.exp);
        const g = new Float64Array(p.length);
        const f0 = nll(p, g);
        expect(Number.isFinite(f0)).toBe(true);
        for (let j = 0; j < p.length; j++) {
          const h = 1e-6;
          const up = Float64Array.from(theta, (v, k) => Math.exp(k === j ? v + h : v));
          const dn = Float64Array.from(theta, (v, k) => Math.exp(k === j ? v - h : v));
          const fd = (nll(up) - nll(dn)) / (2 * h);
          expect(
            Math.abs(g[j] - fd),
            `${spec.model} param ${spec.paramNames[j]}: analytic ${g[j]} vs numeric ${fd}`,
          ).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
        }
      }
    }
  });
});
