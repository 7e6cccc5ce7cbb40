import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDb } from "~/db/test-db";
import { getSettings, saveSettings } from "~/settings/shop-settings.server";
import type { FakeAdmin } from "../../test/fake-admin/server";
import { createWritebackShop, type WritebackShop } from "../../test/support/writeback-fixture";
import { writeBack } from "./writeback.server";
import { planCustomer, type WritebackPrediction } from "./writeback-plan";

const SHOP = "writeback-test.myshopify.com";
const pred = (over: Partial<WritebackPrediction> = {}): WritebackPrediction => ({
  customerId: "1",
  tier: "gold",
  clv: 123.456,
  clvLow: 100,
  clvHigh: 150,
  pAlive: 0.5,
  expectedOrders: 1.5,
  churnProbability: null,
  nextOrderAt: null,
  ...over,
});
const opts = {
  currencyCode: "EUR",
  tagPrefix: "clv",
  tags: true,
  metafields: true,
  now: new Date("2026-12-01T10:00:00Z"),
};

describe("planCustomer", () => {
  it("wants every declared value in the shop currency, then nothing once recorded", () => {
    const p = planCustomer(pred(), undefined, [], opts);
    expect(Object.fromEntries(p.metafields.map((m) => [m.key, [m.type, m.value]]))).toEqual({
      clv_tier: ["single_line_text_field", "gold"],
      predicted_clv: ["money", '{"amount":"123.46","currency_code":"EUR"}'],
      predicted_clv_low: ["money", '{"amount":"100.00","currency_code":"EUR"}'],
      predicted_clv_high: ["money", '{"amount":"150.00","currency_code":"EUR"}'],
      p_alive: ["number_decimal", "0.5000"],
      expected_orders: ["number_decimal", "1.500"],
      clv_updated_at: ["date_time", "2026-12-01T10:00:00Z"],
    });
    expect(p.addTags).toEqual(["clv:gold"]);
    const again = planCustomer(pred(), p.next, ["clv:gold"], { ...opts, now: new Date() });
    expect(again.metafields).toEqual([]);
    expect(again.addTags).toEqual([]);
    expect(again.removeTags).toEqual([]);
  });
  it("writes churn and next-order metafields when the model gives them", () => {
    const p = planCustomer(
      pred({ churnProbability: 0.25, nextOrderAt: new Date("2027-01-02T00:00:00Z") }),
      undefined,
      [],
      opts,
    );
    expect(p.metafields.find((m) => m.key === "churn_probability")?.value).toBe("0.2500");
    expect(p.metafields.find((m) => m.key === "next_order_at")?.value).toBe("2027-01-02T00:00:00Z");
  });
  it("sends only the changed values plus clv_updated_at; a tier change swaps the tag", () => {
    const first = planCustomer(pred(), undefined, [], opts);
    const p = planCustomer(pred({ tier: "silver" }), first.next, ["vip", "clv:gold"], opts);
    expect(p.metafields.map((m) => m.key)).toEqual(["clv_tier", "clv_updated_at"]);
    expect(p).toMatchObject({ addTags: ["clv:silver"], removeTags: ["clv:gold"] });
  });
  it("a tag-prefix change removes the old-prefix tag it wrote, never other tags", () => {
    const first = planCustomer(pred(), undefined, [], opts);
    const p = planCustomer(pred(), first.next, ["vip", "clv:gold", "other:gold"], { ...opts, tagPrefix: "ltv" });
    expect(p).toMatchObject({ addTags: ["ltv:gold"], removeTags: ["clv:gold"] });
    expect(p.next.tags).toEqual(["ltv:gold"]);
  });
  it("honours the switches and refuses a missing currency", () => {
    const p = planCustomer(pred(), undefined, [], { ...opts, tags: false, metafields: false });
    expect(p.metafields.length + p.addTags.length + p.removeTags.length).toBe(0);
    expect(() => planCustomer(pred(), undefined, [], { ...opts, currencyCode: "" })).toThrow(/ISO 4217/);
  });
});

describe("writeBack against the local Admin API", () => {
  let t: TestDb;
  let fake: FakeAdmin;
  let ids: string[];
  const admin = () => w.admin();

  let w: WritebackShop;
  beforeAll(async () => {
    w = await createWritebackShop({
      shop: SHOP,
      n: 30,
      currencyCode: "EUR",
      tierOf: (i) => (i < 5 ? "gold" : "bronze"),
    });
    ({ t, fake, ids } = w);
  });
  afterAll(() => w?.close());

  it("writes every declared metafield and the tags, then only what changed, then nothing", async () => {
    const r1 = await writeBack(t.db, admin(), SHOP);
    // 7 values per customer, 3 customers per call of ≤ 25 → 10 calls; 30 tag adds in 2 requests.
    expect(r1).toMatchObject({ customers: 30, touched: 30, tagged: 30, metafieldValues: 210, requests: 12 });
    const c0 = fake.store.customers.get(Number(ids[0]))!;
    expect(c0.metafields.get("$app.clv_tier")?.value).toBe("gold");
    expect(JSON.parse(c0.metafields.get("$app.predicted_clv_high")!.value)).toEqual({
      amount: "150.00",
      currency_code: "EUR",
    });
    expect(c0.metafields.get("$app.expected_orders")?.type).toBe("number_decimal");
    expect(c0.tags).toContain("clv:gold");
    expect(fake.validationFailures).toEqual([]); // every document is valid against the 2026-07 schema

    await t.db.prediction.update({
      where: { shop_customerId: { shop: SHOP, customerId: ids[0]! } },
      data: { tier: "bronze" },
    });
    const r2 = await writeBack(t.db, admin(), SHOP);
    expect(r2).toMatchObject({ touched: 1, tagged: 1, untagged: 1, mutations: 4 });
    expect(fake.store.customers.get(Number(ids[0]))!.tags).toEqual(expect.arrayContaining(["clv:bronze"]));
    expect(fake.store.customers.get(Number(ids[0]))!.tags).not.toContain("clv:gold");
    expect(await writeBack(t.db, admin(), SHOP)).toMatchObject({ touched: 0, mutations: 0, requests: 0 });
  });

  it("the app's own echo (customers/update with our tags) changes nothing", async () => {
    // The echo stores Shopify's tags for the customer: exactly what the write-back recorded.
    const c = fake.store.customers.get(Number(ids[3]))!;
    await t.db.customer.update({
      where: { shop_id: { shop: SHOP, id: ids[3]! } },
      data: { tags: c.tags.join(", ") },
    });
    expect(await writeBack(t.db, admin(), SHOP)).toMatchObject({ touched: 0, mutations: 0 });
  });

  it("respects the automations switches", async () => {
    await t.db.prediction.updateMany({ where: { shop: SHOP }, data: { tier: "silver" } });
    const s = await getSettings(t.db, SHOP);
    await saveSettings(t.db, SHOP, { ...s, automations: { ...s.automations, tags: false, metafields: false } });
    const r = await writeBack(t.db, admin(), SHOP);
    expect(r).toMatchObject({ mutations: 0, requests: 0 });
    expect(fake.store.customers.get(Number(ids[0]))!.tags).not.toContain("clv:silver");
  });
});
