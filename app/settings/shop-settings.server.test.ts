import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "~/db/test-db";
import {
  DEFAULT_TIER_RULES,
  getSettings,
  saveSettings,
  settingsNeedRescore,
  tierMoves,
  validateSettingsForm,
} from "./shop-settings.server";

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}
const good = {
  horizonMonths: "12",
  annualDiscountRate: "10",
  grossMargin: "35",
  tagPrefix: "clv",
  tierName0: "vip",
  tierPercentile0: "90",
  tierName1: "regular",
  tierPercentile1: "0",
  automation_tags: "on",
};

describe("validateSettingsForm", () => {
  it("accepts a valid form and converts percentages to fractions", () => {
    const r = validateSettingsForm(form(good));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.grossMargin).toBeCloseTo(0.35);
    expect(r.settings.tierRules).toEqual([
      { name: "vip", minPercentile: 0.9 },
      { name: "regular", minPercentile: 0 },
    ]);
    expect(r.settings.automations).toEqual({
      tags: true,
      metafields: false,
      segments: false,
      flow: false,
      discounts: false,
    });
  });
  it("names every bad field", () => {
    const r = validateSettingsForm(
      form({ ...good, horizonMonths: "0", grossMargin: "abc", tagPrefix: "a b", tierPercentile1: "150" }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.horizonMonths).toMatch(/between 1 and 60/);
    expect(r.errors.grossMargin).toMatch(/must be a number/);
    expect(r.errors.tagPrefix).toMatch(/Tag prefix/);
    expect(r.errors.tierPercentile1).toMatch(/Tier 2 \("regular"\)/);
  });
  it("rejects unordered, duplicate or incomplete tiers", () => {
    const bad = (extra: Record<string, string>) => {
      const r = validateSettingsForm(form({ ...good, ...extra }));
      return r.ok ? "" : r.errors.tiers;
    };
    expect(bad({ tierPercentile0: "0", tierPercentile1: "50" })).toMatch(/highest percentile down/);
    expect(bad({ tierName1: "vip" })).toMatch(/unique/);
    expect(bad({ tierPercentile1: "20" })).toMatch(/0th percentile/);
  });
});

describe("default tiers", () => {
  it("are the trainer's defaults", async () => {
    const { DEFAULT_TIERS } = await import("~/training/score");
    expect(DEFAULT_TIER_RULES).toEqual(DEFAULT_TIERS);
  });
});

describe("settings storage", () => {
  let t: TestDb;
  beforeAll(async () => (t = await createTestDb("sqlite")));
  afterAll(async () => t?.destroy());
  it("returns defaults, then what was saved, per shop", async () => {
    expect((await getSettings(t.db, "a.myshopify.com")).tierRules).toEqual(DEFAULT_TIER_RULES);
    const r = validateSettingsForm(form(good));
    if (!r.ok) throw new Error("expected valid");
    await saveSettings(t.db, "a.myshopify.com", r.settings);
    expect(await getSettings(t.db, "a.myshopify.com")).toEqual(r.settings);
    expect((await getSettings(t.db, "b.myshopify.com")).tagPrefix).toBe("clv");
  });
});

describe("settings that take effect", () => {
  it("a tier-rule dry run counts who moves from which tier to which", () => {
    const clv = Array.from({ length: 10 }, (_, i) => i * 10);
    const current = clv.map((_, i) => (i >= 8 ? "gold" : "bronze"));
    const moves = tierMoves(current, clv, [
      { name: "gold", minPercentile: 0.9 },
      { name: "silver", minPercentile: 0.5 },
      { name: "bronze", minPercentile: 0 },
    ]);
    // Ranks 8/9 ≈ 0.89 drops to silver; ranks 5–7 move up to silver.
    expect(moves).toEqual([
      { from: "bronze", to: "silver", count: 3 },
      { from: "gold", to: "silver", count: 1 },
    ]);
    expect(
      tierMoves(current, clv, [
        { name: "gold", minPercentile: 0.8 },
        { name: "bronze", minPercentile: 0 },
      ]),
    ).toEqual([]);
  });
  it("rescoring follows margin, horizon, discount rate, tiers, prefix and switches — not the retrain interval", () => {
    const base = {
      horizonMonths: 12,
      annualDiscountRate: 0.1,
      grossMargin: 0.3,
      tierRules: DEFAULT_TIER_RULES,
      tagPrefix: "clv",
      automations: { tags: true, metafields: true, segments: false, flow: false, discounts: false },
      retrainEveryDays: 7,
    };
    expect(settingsNeedRescore(base, { ...base, retrainEveryDays: 14 })).toBe(false);
    expect(settingsNeedRescore(base, { ...base, grossMargin: 0.4 })).toBe(true);
    expect(settingsNeedRescore(base, { ...base, tagPrefix: "ltv" })).toBe(true);
    expect(settingsNeedRescore(base, { ...base, tierRules: [{ name: "all", minPercentile: 0 }] })).toBe(true);
  });
});
