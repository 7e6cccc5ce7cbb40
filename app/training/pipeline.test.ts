import { intervalLevelOf } from "~/presentation/interval-level";
import { describe, expect, it } from "vitest";
import { trainShop } from "./pipeline";
import { CHAMPION_MARGIN, selectChampion } from "./champion";
import { assignTiers, scoreFromArtefact } from "./score";
import { buildOrderTable } from "./orders";
import { syntheticShopOrders } from "./synthetic";

const settings = { horizonMonths: 12, annualDiscountRate: 0.1, grossMargin: 0.3 };
const small = { deep: { epochs: 3, batchSize: 128, hidden: [16, 8] }, lstm: { epochs: 2, rnnUnits: 4 } };

describe("trainShop", () => {
  it("serves labelled past spend (not a run-rate heuristic) when there are too few customers", async () => {
    const orders = syntheticShopOrders({ customers: 60, seed: 3 });
    const r = await trainShop(orders, { settings });
    expect(r.status).toBe("fallback");
    expect(r.reason).toMatch(
      /Past spend \(scaled to the horizon\) is served: only \d+ customers with orders \(need 200\)/,
    );
    expect(r.artefact.champion).toBe("fallback");
    expect(r.scores.customerIds.length).toBe(60);
    expect(r.scores.clv.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(new Set(r.scores.tier)).toContain("platinum");
    // the fallback is itself backtested on the last half of the history: calibrated, with an interval
    expect(r.artefact.calibration?.interval).toBeTruthy();
    expect(r.scores.interval).toEqual({ lower: 0.1, upper: 0.9, method: "empirical" });
    expect(intervalLevelOf(JSON.parse(JSON.stringify(r.artefact)), 60)).toEqual(r.scores.interval);
    // past spend: CLV proportional to spend so far
    const { clv, historicSpend } = r.scores;
    const k = clv[0] / historicSpend[0];
    for (let i = 0; i < clv.length; i++) expect(clv[i]).toBeCloseTo(historicSpend[i] * k, 6);
  });

  it("backtests every candidate, promotes only a model beating past spend, and re-serves it from the artefact", async () => {
    const orders = syntheticShopOrders({ customers: 800, seed: 5 });
    const r = await trainShop(orders, { settings, ...small });
    const m = r.backtest!.metrics;
    for (const k of ["dnn", "lstm", "btyd", "baseline", "ensemble"] as const) expect(m[k], k).toBeTruthy();
    expect(r.status).toBe("promoted");
    if (r.champion !== "baseline") {
      expect(m[r.champion as "dnn"]!.gini).toBeGreaterThan(m.baseline!.gini);
      const json = JSON.stringify(r.artefact);
      expect(json).not.toMatch(/"c\d+"/); // no customer ids in the artefact (GDPR)
      const again = scoreFromArtefact(JSON.parse(json), buildOrderTable(orders), r.artefact.asOf, settings);
      for (let i = 0; i < again.clv.length; i += 37) expect(again.clv[i]).toBeCloseTo(r.scores.clv[i], 4);
      expect(r.scores.drivers[0].length).toBeGreaterThan(0);
    } else expect(r.reason).toMatch(/past spend is served/);
    // every candidate is calibrated on the validation fold and its interval coverage measured; the
    // cheap ones also run on the earlier rolling-origin folds (≥ 3 folds), the deep ones on two
    for (const k of ["btyd", "baseline"] as const) {
      expect(m[k]!.scale).toBeGreaterThan(0);
      const roles = m[k]!.folds.map((f) => f.role);
      expect(roles.length).toBeGreaterThanOrEqual(3);
      expect(roles.at(-1)).toBe("evaluation");
      expect(roles.filter((x) => x === "evaluation")).toHaveLength(1);
      expect(m[k]!.intervalCoverage).toBeGreaterThan(0.6);
    }
    expect(m.dnn!.folds.map((f) => f.role)).toEqual(["validation", "evaluation"]);
    expect(r.backtest!.churn!.auc).toBeGreaterThan(0.6);
    for (let i = 0; i < r.scores.clv.length; i++) expect(r.scores.clvLow[i]).toBeLessThanOrEqual(r.scores.clvHigh[i]);
    // the level the trainer reports is the one the pages infer from the artefact
    expect(r.scores.interval).toEqual(intervalLevelOf(JSON.parse(JSON.stringify(r.artefact)), r.scores.clv.length));
    if (r.scores.interval.method !== "none") expect(r.scores.clvHigh.some((h, i) => h > r.scores.clvLow[i])).toBe(true);
  });

  it("never serves a diverged model: past spend is served instead", async () => {
    const orders = syntheticShopOrders({ customers: 400, seed: 6 });
    const r = await trainShop(orders, {
      settings,
      candidates: ["dnn"],
      deep: { epochs: 2, learningRate: 1e9, hidden: [8] },
    });
    expect(r.champion).toBe("baseline");
    expect(r.backtest!.metrics.dnn).toBeNull();
    expect(r.reason).toMatch(/dnn diverged or failed/);
  });
});

describe("champion rule", () => {
  it("excludes non-finite candidates and refuses models worse than past spend", () => {
    expect(
      selectChampion({
        dnn: { gini: Number.NaN, mae: 1 },
        btyd: { gini: 0.6, mae: 2 },
        baseline: { gini: 0.65, mae: 3 },
      }),
    ).toMatchObject({ champion: "baseline", beatsBaseline: false });
    expect(
      selectChampion({ lstm: { gini: 0.7, mae: 2 }, btyd: { gini: 0.6, mae: 1 }, baseline: { gini: 0.65, mae: 3 } }),
    ).toMatchObject({ champion: "lstm", beatsBaseline: true });
    expect(selectChampion({ dnn: null, baseline: { gini: 0.65, mae: 3 } }).champion).toBe("baseline");
    // a lead within the margin is noise: past spend is served
    expect(
      selectChampion({ btyd: { gini: 0.65 + CHAMPION_MARGIN / 2, mae: 1 }, baseline: { gini: 0.65, mae: 3 } }),
    ).toMatchObject({ champion: "baseline", beatsBaseline: false });
    expect(
      selectChampion({ btyd: { gini: 0.65 + 2 * CHAMPION_MARGIN, mae: 1 }, baseline: { gini: 0.65, mae: 3 } }),
    ).toMatchObject({ champion: "btyd", beatsBaseline: true });
    // nobody spent in the evaluation window: nothing can be ranked, past spend is served
    expect(
      selectChampion({ btyd: { gini: Number.NaN, mae: 0 }, baseline: { gini: Number.NaN, mae: 0 } }).champion,
    ).toBe("baseline");
  });

  it("assigns default tiers by CLV percentile", () => {
    const clv = Float64Array.from({ length: 100 }, (_, i) => i);
    const t = assignTiers(clv);
    const count = (n: string) => t.filter((x) => x === n).length;
    expect([count("platinum"), count("gold"), count("silver"), count("bronze")]).toEqual([10, 20, 30, 40]);
    expect(() => assignTiers(clv, [{ name: "", minPercentile: 2 }])).toThrow(/tier rule 0/);
  });
});
