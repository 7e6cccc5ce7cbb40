/** CLV against docs/reference/clv-engine.md §2.6–2.8, GG.5 and the CLV rows of UT.6. */
import { describe, expect, it } from "vitest";
import {
  TIME_UNITS_PER_MONTH,
  customerLifetimeValue,
  customerLifetimeValueWindow,
  expectedPurchasesFor,
  ggCustomerLifetimeValue,
  monthlyDiscountRate,
} from "./clv";
import { fitBgNbd, bgnbdConditionalExpectedPurchases } from "./estimators/bgnbd";
import { fitGammaGamma, gammaGammaConditionalExpectedSpend } from "./estimators/gammagamma";
import { fitParetoNbd, paretoNbdConditionalExpectedPurchases } from "./estimators/paretonbd";
import { ClvInputError } from "./estimators/common";
import { cdnowExactSummary, cdnowTransactions, exampleSummary } from "../../test/fixtures/clv/load";
import { expectRel, expectAbs } from "../../test/fixtures/clv/expect";

const X = cdnowExactSummary();
const bg = fitBgNbd(X);
const rep = [...X.frequency.keys()].filter((i) => X.frequency[i] > 0);
const gg = fitGammaGamma({
  frequency: Float64Array.from(rep, (i) => X.frequency[i]),
  monetary: Float64Array.from(rep, (i) => X.monetary[i]),
});
const weeks = { horizonMonths: 12, monthlyDiscountRate: 0.01, timeUnitsPerMonth: TIME_UNITS_PER_MONTH.week };
const expected = expectedPurchasesFor(bg, X.frequency, X.recency, X.T);
const clv = ggCustomerLifetimeValue(gg.params, expected, X.frequency, X.monetary, weeks);

function percentile(v: Float64Array, q: number) {
  const s = Float64Array.from(v).sort();
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
}

describe("12-month CLV on CDNOW (§2.7, §2.8)", () => {
  it("totals and distribution", () => {
    let total = 0;
    let max = 0;
    for (const v of clv) {
      total += v;
      max = Math.max(max, v);
    }
    expectAbs(total, 71507.95, 0.01);
    expectAbs(total / clv.length, 30.339, 6e-4);
    expectAbs(percentile(clv, 0.5), 10.188, 6e-4);
    expectAbs(percentile(clv, 0.9), 66.827, 6e-4);
    expectAbs(max, 1175.05, 0.006);
  });

  it("per-customer rows: GG E[M] and CLV", () => {
    const em = gammaGammaConditionalExpectedSpend(gg.params, X.frequency, X.monetary);
    const rows: Array<[number, number, number]> = [
      [1, 24.653919, 36.273977],
      [2, 18.910018, 4.640936],
      [3, 35.170371, 8.344481],
      [18, 17.673139, 6.348192],
      [100, 28.950974, 21.887744],
      [1516, 39.890287, 972.045414],
    ];
    for (const [id, m, c] of rows) {
      const i = X.id.indexOf(id);
      expectRel(em[i], m, 1e-5);
      expectRel(clv[i], c, 1e-5);
    }
    // IDs 3–5 share x = 0 and T = 38.857143
    expect(clv[X.id.indexOf(4)]).toBe(clv[X.id.indexOf(3)]);
    expect(clv[X.id.indexOf(5)]).toBe(clv[X.id.indexOf(3)]);
  });

  it("Pareto/NBD + GG total and mean (§2.7 second column)", () => {
    const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
    const ref = { r: 0.553283, alpha: 10.577657, s: 0.606228, beta: 11.66851 }; // §2.1, from transactions
    const withRef = ggCustomerLifetimeValue(
      gg.params,
      expectedPurchasesFor({ model: "pnbd", params: ref }, X.frequency, X.recency, X.T),
      X.frequency,
      X.monetary,
      weeks,
    );
    expectAbs(sum(withRef), 72316.31, 0.01);
    expectAbs(sum(withRef) / withRef.length, 30.682, 6e-4);
    const pnbd = fitParetoNbd(X);
    const withFit = ggCustomerLifetimeValue(
      gg.params,
      expectedPurchasesFor(pnbd, X.frequency, X.recency, X.T),
      X.frequency,
      X.monetary,
      weeks,
    );
    expectRel(sum(withFit), 72316.31, 1e-4);
  });

  it("GG.5 both entry points agree, positional, no NaN", () => {
    const em = gammaGammaConditionalExpectedSpend(gg.params, X.frequency, X.monetary);
    const util = customerLifetimeValue(expected, em, weeks);
    expect(util).toEqual(clv);
    expect(clv.every(Number.isFinite)).toBe(true);
    expect(clv[0]).toBeGreaterThan(0); // row 0 is a real customer (lifetimes' index bug made it NaN)
  });
});

describe("holdout spend (§2.6)", () => {
  it("BG/NBD × GG predicted 39-week spend vs actual", () => {
    const ey = bgnbdConditionalExpectedPurchases(bg.params, 39, X.frequency, X.recency, X.T);
    const em = gammaGammaConditionalExpectedSpend(gg.params, X.frequency, X.monetary);
    const tx = cdnowTransactions();
    const actual = new Float64Array(X.id.length);
    const pos = new Map<number, number>();
    X.id.forEach((id, i) => pos.set(id, i));
    let actualTotal = 0;
    for (let k = 0; k < tx.id.length; k++)
      if (tx.date[k] >= 19971001 && tx.date[k] <= 19980630) {
        actual[pos.get(tx.id[k])!] += tx.value[k];
        actualTotal += tx.value[k];
      }
    let pred = 0;
    let mae = 0;
    for (let i = 0; i < ey.length; i++) {
      pred += ey[i] * em[i];
      mae += Math.abs(ey[i] * em[i] - actual[i]);
    }
    expectAbs(actualTotal, 70976.39, 0.005);
    expectAbs(pred, 59931.63, 0.01);
    expectAbs(mae / ey.length, 30.41, 0.006);
  });
});

describe("CLV utility on data E (UT.6)", () => {
  const E = exampleSummary("day");
  const f = fitBgNbd(E);
  const first5 = ["0", "1", "2", "3", "4"].map((id) => E.ids.indexOf(id));
  const sub = (a: Float64Array) => Float64Array.from(first5, (i) => a[i]);
  const x = sub(E.frequency);
  const tx = sub(E.recency);
  const T = sub(E.T);
  const exp5 = expectedPurchasesFor(f, x, tx, T);
  const e = exp5(30);
  const ones = new Float64Array(5).fill(1);
  const days = { timeUnitsPerMonth: TIME_UNITS_PER_MONTH.day };

  it("fit and first five customers", () => {
    expect(E.frequency.length).toBe(5000);
    const ref = { r: 0.163851, alpha: 1.864282, a: 1.850342, b: 3.181054 };
    for (const k of ["r", "alpha", "a", "b"] as const) expectRel(f.params[k], ref[k], 1e-4);
    expect([...x]).toEqual([0, 0, 6, 0, 2]);
    expect([...tx]).toEqual([0, 0, 142, 0, 9]);
    expect([...T]).toEqual([298, 224, 292, 147, 183]);
    [0.016053, 0.021171, 0.030461, 0.031686, 0.001607].forEach((v, i) => expectAbs(e[i], v, 1.5e-6));
  });

  it("CLV rows for 1 and 2 months at discount 0 and 1", () => {
    const c10 = customerLifetimeValue(exp5, ones, { ...days, horizonMonths: 1, monthlyDiscountRate: 0 });
    const c11 = customerLifetimeValue(exp5, ones, { ...days, horizonMonths: 1, monthlyDiscountRate: 1 });
    const c20 = customerLifetimeValue(exp5, ones, { ...days, horizonMonths: 2, monthlyDiscountRate: 0 });
    const c21 = customerLifetimeValue(exp5, ones, { ...days, horizonMonths: 2, monthlyDiscountRate: 1 });
    const ref21 = [0.0118806, 0.015606, 0.0220231, 0.0231747, 0.0011587];
    for (let i = 0; i < 5; i++) {
      expectRel(c10[i], e[i], 1e-12);
      expectRel(c11[i], e[i] / 2, 1e-12);
      expectRel(c20[i], 2 * e[i], 0.1);
      expectRel(c21[i], e[i] / 2 + e[i] / 4, 0.1);
      expectRel(c21[i], ref21[i], 1e-4);
    }
  });
});

describe("CLV options", () => {
  const em = gammaGammaConditionalExpectedSpend(gg.params, X.frequency, X.monetary);
  it("window (a, b] composes with the horizon; margin scales; annual rate converts", () => {
    const first = customerLifetimeValue(expected, em, { ...weeks, horizonMonths: 6 });
    const second = customerLifetimeValueWindow(expected, em, 6, 12, weeks);
    for (let i = 0; i < em.length; i += 97) expectRel(first[i] + second[i], clv[i], 1e-12);
    const profit = customerLifetimeValue(expected, em, { ...weeks, grossMargin: 0.4 });
    for (let i = 0; i < em.length; i += 97) expectRel(profit[i], 0.4 * clv[i], 1e-12);
    const annual = customerLifetimeValue(expected, em, {
      ...weeks,
      monthlyDiscountRate: undefined,
      annualDiscountRate: 1.01 ** 12 - 1,
    });
    for (let i = 0; i < em.length; i += 97) expectRel(annual[i], clv[i], 1e-12);
    expectRel(monthlyDiscountRate({ annualDiscountRate: 0.1 }), 1.1 ** (1 / 12) - 1, 1e-15);
    expect(monthlyDiscountRate({})).toBe(0.01);
  });

  it("rejects bad settings with the field named", () => {
    const bad: Array<[() => unknown, string]> = [
      [() => customerLifetimeValue(expected, em, { ...weeks, horizonMonths: 0 }), "horizonMonths"],
      [() => customerLifetimeValue(expected, em, { ...weeks, horizonMonths: 1.5 }), "horizonMonths"],
      [() => customerLifetimeValue(expected, em, { ...weeks, grossMargin: 1.2 }), "grossMargin"],
      [() => customerLifetimeValue(expected, em, { ...weeks, timeUnitsPerMonth: 0 }), "timeUnitsPerMonth"],
      [() => customerLifetimeValue(expected, em, { ...weeks, annualDiscountRate: 0.1 }), "annualDiscountRate"],
      [() => customerLifetimeValueWindow(expected, em, 5, 5, weeks), "toMonth"],
      [() => customerLifetimeValue(expected, em.subarray(0, 10), weeks), "value"],
      [
        () =>
          customerLifetimeValue(
            expected,
            Float64Array.from(em, (v, i) => (i === 7 ? NaN : v)),
            weeks,
          ),
        "value",
      ],
    ];
    for (const [fn, field] of bad) {
      expect(fn).toThrow(ClvInputError);
      try {
        fn();
      } catch (err) {
        expect((err as ClvInputError).field).toBe(field);
      }
    }
  });

  it("binds Pareto/NBD too (same conditional expectation as the model module)", () => {
    const p = { r: 0.553283, alpha: 10.577657, s: 0.606228, beta: 11.66851 };
    const f = expectedPurchasesFor(
      { model: "pnbd", params: p },
      X.frequency.subarray(0, 5),
      X.recency.subarray(0, 5),
      X.T.subarray(0, 5),
    );
    const v = f(39);
    for (let i = 0; i < 5; i++)
      expectRel(v[i], paretoNbdConditionalExpectedPurchases(p, 39, X.frequency[i], X.recency[i], X.T[i]), 1e-12);
    expectRel(v[0], 1.455214, 1e-4);
    expect(() => expectedPurchasesFor({ model: "gg", params: {} }, X.frequency, X.recency, X.T)).toThrow(
      /not a continuous-time/,
    );
  });
});
