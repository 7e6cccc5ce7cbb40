import { describe, expect, it } from "vitest";
import { cheapestPlanFor, covers, entitlement, FREE_PLAN, PLANS, planNamed } from "./plans";

describe("plans", () => {
  it("free tier by customer count, paid plans with a trial, cheapest first", () => {
    expect(FREE_PLAN).toMatchObject({ price: 0, maxCustomers: 1_000 });
    expect(PLANS.slice(1).every((p) => p.price > 0 && p.trialDays > 0)).toBe(true);
    expect(PLANS.map((p) => p.price)).toEqual([...PLANS.map((p) => p.price)].sort((a, b) => a - b));
    expect(covers(FREE_PLAN, 1_000)).toBe(true);
    expect(covers(FREE_PLAN, 1_001)).toBe(false);
    expect(covers(planNamed("Scale")!, 10_000_000)).toBe(true);
    expect(cheapestPlanFor(5).name).toBe("Free");
    expect(cheapestPlanFor(1_001).name).toBe("Growth");
    expect(cheapestPlanFor(25_001).name).toBe("Scale");
  });

  it("entitlement: within the best owned plan allowed, over it asked to upgrade to the cheapest plan that fits", () => {
    expect(entitlement(800, [])).toMatchObject({ allowed: true, plan: { name: "Free" } });
    expect(entitlement(5_000, [])).toMatchObject({ allowed: false, upgradeTo: { name: "Growth" } });
    expect(entitlement(5_000, ["Growth"])).toMatchObject({ allowed: true, plan: { name: "Growth" } });
    expect(entitlement(30_000, ["Growth"])).toMatchObject({
      allowed: false,
      plan: { name: "Growth" },
      upgradeTo: { name: "Scale" },
    });
    expect(entitlement(30_000, ["Growth", "Scale"])).toMatchObject({ allowed: true, plan: { name: "Scale" } });
    // subscriptions of other names (another app version's plan) grant nothing
    expect(entitlement(5_000, ["Legacy"])).toMatchObject({ allowed: false });
  });
});
