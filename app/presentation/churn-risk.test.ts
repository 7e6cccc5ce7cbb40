import { describe, expect, it } from "vitest";
import { churnLevel, churnRisk } from "./churn-risk";

describe("churnRisk", () => {
  it("uses the model's churn probability when the run wrote one", () => {
    expect(churnRisk({ churnProbability: 0.93, pAlive: 1, expectedOrders: 5, horizonDays: 365 })).toEqual({
      level: "high",
      probability: 0.93,
      source: "model",
    });
  });
  it("derives a high risk for a lapsed one-time buyer even when P(alive) reads 100 %", () => {
    const r = churnRisk({ churnProbability: null, pAlive: 1, expectedOrders: 0.05, horizonDays: 365 });
    expect(r.source).toBe("derived");
    expect(r.level).toBe("high");
    expect(r.probability).toBeCloseTo(Math.exp((-0.05 / 365) * 90), 12);
  });
  it("derives a low risk for a frequent active buyer and a high one for a lapsed repeat buyer", () => {
    expect(churnRisk({ churnProbability: null, pAlive: 0.95, expectedOrders: 12, horizonDays: 365 }).level).toBe("low");
    expect(churnRisk({ churnProbability: null, pAlive: 0.02, expectedOrders: 0.1, horizonDays: 365 }).level).toBe(
      "high",
    );
  });
  it("maps probabilities to levels at 50 % and 80 %", () => {
    expect([0.49, 0.5, 0.79, 0.8].map(churnLevel)).toEqual(["low", "medium", "medium", "high"]);
  });
});
