import { describe, expect, it } from "vitest";
import { buildOrderTable } from "./orders";
import { syntheticShopOrders } from "./synthetic";
import { planWindows } from "./backtest";
import { finalFitAndScore, scoreFromArtefact } from "./score";

const settings = { horizonMonths: 12, annualDiscountRate: 0.1, grossMargin: 0.3 };

describe("serving a model-zoo champion", () => {
  const tab = buildOrderTable(syntheticShopOrders({ customers: 600, seed: 12 }));
  const plan = planWindows(tab, {});
  if ("fallback" in plan) throw new Error(plan.reason);

  for (const champion of ["linear", "gbt"] as const)
    it(`${champion}: final fit, drivers, and identical scores from the saved artefact`, async () => {
      const calibration = { scale: 0.8, interval: null };
      const fin = await finalFitAndScore(tab, plan, champion, null, {}, settings, undefined, undefined, calibration);
      expect(fin.diverged).toBe(false);
      expect(fin.artefact.zoo?.[champion]).toBeTruthy();
      // refitted on the backtest's label window, so the backtest's calibration scale carries over
      expect(fin.artefact.zooWindowDays).toBe(Math.min(plan.horizonDays, plan.trainDays));
      expect(fin.scores.clv.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      expect(new Set(fin.scores.clv).size).toBeGreaterThan(100); // per-customer, not a constant
      expect(fin.scores.drivers.filter((d) => d.length > 0).length).toBeGreaterThan(500);
      const json = JSON.stringify(fin.artefact);
      expect(json).not.toMatch(/"c\d+"/); // no customer ids (GDPR)
      const again = scoreFromArtefact(JSON.parse(json), tab, plan.asOf, settings);
      for (let i = 0; i < again.clv.length; i += 17) expect(again.clv[i]).toBeCloseTo(fin.scores.clv[i], 6);
    });

  it("refuses a corrupted zoo model in an artefact", async () => {
    const fin = await finalFitAndScore(tab, plan, "linear", null, {}, settings);
    const art = JSON.parse(JSON.stringify(fin.artefact));
    art.zoo.linear.coef[0] = "x";
    expect(() => scoreFromArtefact(art, tab, plan.asOf, settings)).toThrow(/coef/);
  });
});
