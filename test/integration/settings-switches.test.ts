/**
 * Every switch of Settings → automations does what its help text says (issue 10, item 6), checked
 * one switch at a time against the local Admin API after a scoring's write-back and actions:
 *   - Customer tags: tier tag added / old one removed, at-risk tag — none of it while off;
 *   - Customer metafields: predicted CLV, tier, P(alive) in app metafields — untouched while off;
 *   - Segments: one per tier + at risk, kept in step — no segment call while off;
 *   - Shopify Flow triggers: fired on a real change for triggers a workflow uses — none while off,
 *     and switching on later does not replay the changes made meanwhile;
 *   - Tier discounts: the automatic discount exists while on — deactivated when switched off.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runActionsAfterScoring } from "~/actions/after-scoring.server";
import { writeBack } from "~/lifecycle/writeback.server";
import { recordFlowTriggerUsage } from "~/models/actions.server";
import { getSettings, saveSettings, type ShopSettings } from "~/settings/shop-settings.server";
import { createWritebackShop, type WritebackShop } from "../support/writeback-fixture";

const SHOP = "switches.myshopify.com";
const N = 40;
const tiers = ["platinum", "gold", "silver", "bronze"];
let w: WritebackShop;

/** Write-back and actions, as the lifecycle runs them after a scoring. */
async function afterScoring() {
  const wb = await writeBack(w.t.db, w.admin(), SHOP);
  const actions = await runActionsAfterScoring(w.t.db, w.admin(), SHOP);
  return { wb, actions };
}

async function setSwitches(patch: Partial<ShopSettings["automations"]>) {
  const s = await getSettings(w.t.db, SHOP);
  await saveSettings(w.t.db, SHOP, { ...s, automations: { ...s.automations, ...patch } });
}

const shopifyCustomer = (id: string) => w.fake.store.customers.get(Number(id))!;
const ops = (op: string) => w.fake.store.actions.calls(op).length;

async function setTier(id: string, tier: string, churnProbability?: number) {
  await w.t.db.prediction.update({
    where: { shop_customerId: { shop: SHOP, customerId: id } },
    data: { tier, ...(churnProbability !== undefined && { churnProbability, orderCount: 2 }) },
  });
}

beforeAll(async () => {
  w = await createWritebackShop({
    shop: SHOP,
    n: N,
    currencyCode: "USD",
    tierOf: (i) => tiers[Math.min(3, Math.floor((i / N) * 4))]!,
  });
  await setSwitches({ tags: true, metafields: true, segments: true, flow: true, discounts: true });
  await recordFlowTriggerUsage(w.t.db, SHOP, "clv-tier-changed", true, new Date("2026-12-01T00:00:00Z"));
  // First scoring with everything on: the baseline.
  const first = await afterScoring();
  expect(first.actions.segments?.created).toHaveLength(5);
  expect(first.actions.tierDiscount).toBe("created");
}, 60_000);
afterAll(async () => {
  await w?.close();
});

describe("Settings switches (local Admin API)", () => {
  it("Customer tags off: no tier tag and no at-risk tag is written; on: both are", async () => {
    const [a, b] = [w.ids[0]!, w.ids[1]!];
    await setSwitches({ tags: false });
    await setTier(a, "silver", 0.9); // a tier change and now at risk
    await afterScoring();
    expect(shopifyCustomer(a).tags).toContain("clv:platinum");
    expect(shopifyCustomer(a).tags).not.toContain("clv:silver");
    expect(shopifyCustomer(a).tags).not.toContain("clv-at-risk");
    expect(shopifyCustomer(a).metafields.get("$app.clv_tier")?.value).toBe("silver"); // metafields still on
    await setSwitches({ tags: true });
    await setTier(b, "silver");
    await afterScoring();
    expect(shopifyCustomer(b).tags).toContain("clv:silver");
    expect(shopifyCustomer(b).tags).not.toContain("clv:platinum");
    expect(shopifyCustomer(a).tags).toEqual(expect.arrayContaining(["clv:silver", "clv-at-risk"]));
  });

  it("Customer metafields off: tags still change, metafields stay as they were", async () => {
    const c = w.ids[2]!;
    await setSwitches({ metafields: false });
    await setTier(c, "bronze");
    await afterScoring();
    expect(shopifyCustomer(c).tags).toContain("clv:bronze");
    expect(shopifyCustomer(c).metafields.get("$app.clv_tier")?.value).toBe("platinum");
    await setSwitches({ metafields: true });
    await afterScoring();
    expect(shopifyCustomer(c).metafields.get("$app.clv_tier")?.value).toBe("bronze");
  });

  it("Segments off: no segment call when the tiers change; on again: the segments follow the tiers", async () => {
    const s = await getSettings(w.t.db, SHOP);
    const renamed = s.tierRules.map((r) => (r.name === "gold" ? { ...r, name: "golden" } : r));
    await saveSettings(w.t.db, SHOP, { ...s, tierRules: renamed, automations: { ...s.automations, segments: false } });
    const before = ops("segmentCreate") + ops("segmentUpdate") + ops("segmentDelete");
    const r = await afterScoring();
    expect(r.actions.segments).toBeNull();
    expect(ops("segmentCreate") + ops("segmentUpdate") + ops("segmentDelete")).toBe(before);
    await setSwitches({ segments: true });
    expect((await afterScoring()).actions.segments).toMatchObject({ created: ["tier:golden"], deleted: ["tier:gold"] });
    await saveSettings(w.t.db, SHOP, { ...(await getSettings(w.t.db, SHOP)), tierRules: s.tierRules });
    expect((await afterScoring()).actions.segments).toMatchObject({ created: ["tier:gold"], deleted: ["tier:golden"] });
  });

  it("Shopify Flow triggers off: no trigger fired, and switching on does not replay the change", async () => {
    const d = w.ids[12]!;
    await setSwitches({ flow: false });
    const before = ops("flowTriggerReceive");
    await setTier(d, "platinum");
    const off = await afterScoring();
    expect(off.actions.flow).toBeNull();
    expect(off.actions.states.tierChanged).toBe(1);
    expect(ops("flowTriggerReceive")).toBe(before);
    await setSwitches({ flow: true });
    expect((await afterScoring()).actions.flow).toEqual({ sent: 0, rejected: 0, requests: 0 });
    await setTier(d, "gold");
    expect((await afterScoring()).actions.flow?.sent).toBe(1);
    expect(w.fake.store.actions.flowEvents.at(-1)?.payload).toMatchObject({
      "old tier": "platinum",
      "new tier": "gold",
    });
  });

  it("Tier discounts off: the automatic discount is deactivated; on: reactivated", async () => {
    const discount = () => [...w.fake.store.actions.discounts.values()].find((x) => x.kind === "automatic_app")!;
    await setSwitches({ discounts: false });
    expect((await afterScoring()).actions.tierDiscount).toBe("deactivated");
    expect(discount().status).toBe("EXPIRED");
    await setSwitches({ discounts: true });
    expect((await afterScoring()).actions.tierDiscount).toBe("reactivated");
    expect(discount().status).toBe("ACTIVE");
    expect(w.fake.validationFailures).toEqual([]);
  });
});
