import { describe, expect, it } from "vitest";
import { AT_RISK_TRIGGER, diffActionStates, TIER_CHANGED_TRIGGER, type ScoredCustomer } from "./flow-changes";

const c = (id: string, tier: string, extra: Partial<ScoredCustomer> = {}): ScoredCustomer => ({
  customerId: id,
  tier,
  clv: 100,
  pAlive: 0.9,
  churnProbability: 0.1,
  orderCount: 3,
  ...extra,
});
const all = () => true;

describe("diffActionStates", () => {
  it("first sight sets the baseline without events", () => {
    const d = diffActionStates([c("1", "gold")], new Map(), all);
    expect(d.events).toEqual([]);
    expect(d.upserts).toEqual([{ customerId: "1", tier: "gold", atRisk: false }]);
    expect(d.counts.baseline).toBe(1);
  });

  it("an identical rescore changes nothing", () => {
    const d = diffActionStates([c("1", "gold")], new Map([["1", { tier: "gold", atRisk: false }]]), all);
    expect(d).toEqual({ upserts: [], events: [], counts: { tierChanged: 0, becameAtRisk: 0, baseline: 0 } });
  });

  it("a tier change gives one tier-changed event with the declared payload keys", () => {
    const d = diffActionStates(
      [c("7", "platinum", { clv: 812.456, pAlive: 0.83219 })],
      new Map([["7", { tier: "gold", atRisk: false }]]),
      all,
    );
    expect(d.events).toEqual([
      {
        handle: TIER_CHANGED_TRIGGER,
        customerId: "7",
        payload: {
          customer_id: 7,
          "old tier": "gold",
          "new tier": "platinum",
          "predicted clv": 812.46,
          "probability alive": 0.8322,
        },
      },
    ]);
  });

  it("crossing into at-risk fires once; staying at risk or recovering does not", () => {
    const risky = c("2", "gold", { churnProbability: 0.8 });
    const first = diffActionStates([risky], new Map([["2", { tier: "gold", atRisk: false }]]), all);
    expect(first.events.map((e) => e.handle)).toEqual([AT_RISK_TRIGGER]);
    expect(first.events[0]!.payload["churn risk"]).toBe(0.8);
    expect(diffActionStates([risky], new Map([["2", { tier: "gold", atRisk: true }]]), all).events).toEqual([]);
    const recovered = diffActionStates([c("2", "gold")], new Map([["2", { tier: "gold", atRisk: true }]]), all);
    expect(recovered.events).toEqual([]);
    expect(recovered.upserts).toEqual([{ customerId: "2", tier: "gold", atRisk: false }]);
  });

  it("uses 1 − P(alive) without a churn model; never flags customers without orders", () => {
    const prior = new Map([
      ["3", { tier: "bronze", atRisk: false }],
      ["4", { tier: "bronze", atRisk: false }],
    ]);
    const d = diffActionStates(
      [
        c("3", "bronze", { churnProbability: null, pAlive: 0.2 }),
        c("4", "bronze", { churnProbability: 0.9, orderCount: 0 }),
      ],
      prior,
      all,
    );
    expect(d.events.map((e) => e.customerId)).toEqual(["3"]);
  });

  it("updates state but queues nothing for triggers no workflow uses", () => {
    const d = diffActionStates([c("1", "silver")], new Map([["1", { tier: "gold", atRisk: false }]]), () => false);
    expect(d.events).toEqual([]);
    expect(d.upserts).toHaveLength(1);
    expect(d.counts.tierChanged).toBe(1);
  });
});
