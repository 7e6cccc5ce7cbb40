/** Gamma-Gamma against docs/reference/clv-engine.md §2.1, §2.2 and §3.5 (lifetimes' GammaGammaFitter tests). */
import { describe, expect, it } from "vitest";
import {
  fitGammaGamma,
  gammaGammaConditionalExpectedSpend,
  gammaGammaMeanNll,
  gammaGammaPopulationMean,
  validateSpend,
  type GammaGammaParams,
} from "./gammagamma";
import { ClvInputError, fittedFromJSON, fittedToJSON } from "./common";
import { groupRows, gather } from "../math/group";
import { Rng } from "../rng";
import { cdnowExactSummary, cdnowSummaryWithMoney } from "../../../test/fixtures/clv/load";
import { expectRel } from "../../../test/fixtures/clv/expect";

const names = ["p", "q", "v"] as const;

function repeaters(d: { frequency: Float64Array; monetary: Float64Array }) {
  const idx = [...d.frequency.keys()].filter((i) => d.frequency[i] > 0);
  return {
    frequency: Float64Array.from(idx, (i) => d.frequency[i]),
    monetary: Float64Array.from(idx, (i) => d.monetary[i]),
  };
}
const CM = cdnowSummaryWithMoney();
const repCM = repeaters(CM);
const repX = repeaters(cdnowExactSummary());
const fitCM = fitGammaGamma(repCM);
const fitX = fitGammaGamma(repX);

describe("Gamma-Gamma on CDNOW repeaters", () => {
  it("uses the 946 repeaters", () => {
    expect(repCM.frequency.length).toBe(946);
    expect(repX.frequency.length).toBe(946);
  });

  it("GG.1 parameters from CM (lifetimes to 1e-4 relative; literature decimal 2)", () => {
    expect(fitCM.diagnostics.converged).toBe(true);
    const ref = { p: 6.248802, q: 3.744588, v: 15.447748 };
    const lit = { p: 6.25, q: 3.74, v: 15.44 };
    for (const k of names) {
      expectRel(fitCM.params[k], ref[k], 1e-4);
      expect(Math.abs(fitCM.params[k] - lit[k])).toBeLessThan(0.015);
    }
  });

  it("§2.1/§2.2 transaction-based fit: parameters, population mean and standard errors", () => {
    const ref = { p: 6.249572, q: 3.744225, v: 15.443521 };
    for (const k of names) expectRel(fitX.params[k], ref[k], 1e-4);
    expectRel(gammaGammaPopulationMean(fitX.params), 35.170366, 1e-5);
    const se = { p: 1.19, q: 0.29, v: 4.159 };
    for (const k of names) expectRel(fitX.standardErrors[k]!, se[k], 2e-3);
  });

  it("GG.2 q ≥ 1 constraint: inactive on CDNOW, same targets", () => {
    const c = fitGammaGamma(repCM, { qConstraint: true });
    const ref = { p: 6.248894, q: 3.74457, v: 15.447417 };
    for (const k of names) expectRel(c.params[k], ref[k], 1e-4);
  });

  it("GG.2 q ≥ 1 constraint: active when the unconstrained optimum has q < 1", () => {
    // Simulate spend with strong heterogeneity (q = 0.6): ν ~ Gamma(q, 1/v), z̄ ~ Gamma(p·x, 1/(x·ν)).
    const rng = new Rng(7);
    const n = 3000;
    const truth = { p: 4, q: 0.6, v: 10 };
    const frequency = new Float64Array(n);
    const monetary = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = 1 + rng.int(6);
      const nu = rng.gamma(truth.q, 1 / truth.v);
      frequency[i] = x;
      monetary[i] = rng.gamma(truth.p * x, 1 / nu) / x;
    }
    const free = fitGammaGamma({ frequency, monetary });
    expect(free.params.q).toBeLessThan(1);
    expect(gammaGammaPopulationMean(free.params)).toBeLessThan(0);
    const bounded = fitGammaGamma({ frequency, monetary }, { qConstraint: true });
    expect(bounded.params.q).toBe(1);
    expect(bounded.standardErrors.q).toBeNull();
    expect(bounded.diagnostics.reason).toMatch(/q constrained/);
    expect(bounded.logLikelihood).toBeLessThan(free.logLikelihood);
    expect(bounded.logParamCovariance![1].every((v) => v === 0)).toBe(true);
  });

  it("GG.3 conditional expected spend with fixed parameters (Hardie's spreadsheet)", () => {
    const p: GammaGammaParams = { p: 6.25, q: 3.74, v: 15.44 };
    const x = Float64Array.of(2, 1, 0, 0, 0, 7, 1, 0, 2, 0);
    const m = Float64Array.of(22.35, 11.77, 0, 0, 0, 73.74, 11.77, 0, 25.55, 0);
    const ref = [
      24.663714, 18.916852, 35.218978, 35.218978, 35.218978, 71.469671, 18.916852, 35.218978, 27.288386, 35.218978,
    ];
    const hardie = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    const e = gammaGammaConditionalExpectedSpend(p, x, m);
    ref.forEach((v, i) => {
      expectRel(e[i], v, 1e-7);
      expect(Math.abs(e[i] - hardie[i])).toBeLessThan(0.1);
    });
  });

  it("GG.4 weighted fit equals the unweighted fit", () => {
    const g = groupRows([repCM.frequency, repCM.monetary]);
    expect(g.size).toBeLessThan(946);
    const w = fitGammaGamma(
      { frequency: gather(repCM.frequency, g.first), monetary: gather(repCM.monetary, g.first), weights: g.weights },
      { group: false },
    );
    const u = fitGammaGamma(repCM, { group: false });
    for (const k of names) expectRel(w.params[k], u.params[k], 1e-6);
    expectRel(gammaGammaMeanNll(w.params, repCM), gammaGammaMeanNll(u.params, repCM), 1e-10);
  });

  it("JSON round trip", () => {
    const back = fittedFromJSON(fittedToJSON(fitX), "gg", names);
    expect(back.params).toEqual(fitX.params);
    expect(back.logParamCovariance).toEqual(fitX.logParamCovariance);
  });
});

describe("Gamma-Gamma input validation (UT.9)", () => {
  const ok = () => ({ frequency: Float64Array.of(1, 2, 3), monetary: Float64Array.of(10, 20, 5) });
  it("rejects monetary ≤ 0 or NaN, non-repeaters and non-integer frequency, naming field and row", () => {
    const cases: Array<[(d: ReturnType<typeof ok>) => void, string, number]> = [
      [(d) => (d.monetary[1] = 0), "monetary", 1],
      [(d) => (d.monetary[2] = -3), "monetary", 2],
      [(d) => (d.monetary[0] = NaN), "monetary", 0],
      [(d) => (d.frequency[2] = 0), "frequency", 2],
      [(d) => (d.frequency[1] = 1.5), "frequency", 1],
    ];
    for (const [mutate, field, row] of cases) {
      const d = ok();
      mutate(d);
      try {
        validateSpend(d);
        expect.unreachable(`expected ${field} at row ${row} to be rejected`);
      } catch (e) {
        expect(e).toBeInstanceOf(ClvInputError);
        expect((e as ClvInputError).field).toBe(field);
        expect((e as ClvInputError).row).toBe(row);
        expect((e as Error).message).toContain(`row ${row}`);
      }
    }
    expect(() => fitGammaGamma({ frequency: new Float64Array(0), monetary: new Float64Array(0) })).toThrow(/empty/);
    expect(() => fitGammaGamma({ frequency: Float64Array.of(1), monetary: Float64Array.of(1, 2) })).toThrow(/rows/);
  });
});

describe("property: recovery of known parameters from simulated spend", () => {
  it("Gamma-Gamma: 5,000 simulated repeaters, every parameter within 4 standard errors", async () => {
    const { simulateGammaGamma } = await import("../simulate");
    const truth: GammaGammaParams = { p: 6.25, q: 3.74, v: 15.44 };
    const rng = new Rng(3);
    const frequency = Float64Array.from({ length: 5000 }, () => 1 + rng.int(8));
    const monetary = simulateGammaGamma(truth, frequency, 5);
    const f = fitGammaGamma({ frequency, monetary });
    expect(f.diagnostics.converged).toBe(true);
    for (const k of names) {
      const z = (f.params[k] - truth[k]) / f.standardErrors[k]!;
      expect(Math.abs(z), `${k}: fitted ${f.params[k]} (se ${f.standardErrors[k]}) vs truth ${truth[k]}`).toBeLessThan(
        4,
      );
    }
  });
});
