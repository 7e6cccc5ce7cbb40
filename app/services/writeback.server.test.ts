import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "~/db/test-db";
import { createAdminGraphql } from "~/shopify/admin-client.server";
import { fetchTransport } from "~/shopify/transports.server";
import { startFakeAdmin, type FakeAdmin } from "../../test/fake-admin/server";
import { storeFromTransactions } from "../../test/fake-admin/generate";
import { tagChange, tagMutationDocument, writeBackTiers } from "./writeback.server";
import { saveSettings, getSettings } from "./settings.server";

const SHOP = "writeback-test.myshopify.com";

describe("tagChange / tagMutationDocument", () => {
  it("adds the tier tag and removes stale tier tags only", () => {
    expect(tagChange("vip, clv:gold, other", "clv", "platinum")).toEqual({
      add: ["clv:platinum"],
      remove: ["clv:gold"],
    });
    expect(tagChange("clv:gold", "clv", "gold")).toEqual({ add: [], remove: [] });
  });
  it("aliases one mutation per change", () => {
    const d = tagMutationDocument([
      { id: "1", add: ["clv:a"], remove: ["clv:b"] },
      { id: "2", add: ["clv:a"], remove: [] },
    ]);
    expect(d.query).toContain("t0: tagsAdd(id: $id0, tags: $a0)");
    expect(d.query).toContain("r0: tagsRemove(id: $id0, tags: $r0)");
    expect(d.query).not.toContain("r1:");
    expect(d.variables).toMatchObject({ id1: "gid://shopify/Customer/2", a1: ["clv:a"] });
  });
});

describe("writeBackTiers against the local Admin API", () => {
  let t: TestDb;
  let fake: FakeAdmin;
  let ids: string[];
  const admin = () =>
    createAdminGraphql({
      transport: fetchTransport({ shop: SHOP, accessToken: fake.accessToken, endpoint: fake.graphqlUrl }),
    });

  beforeAll(async () => {
    t = await createTestDb("sqlite");
    const d = (s: string) => new Date(`${s}T12:00:00Z`);
    const rows = Array.from({ length: 30 }, (_, i) => ({
      customerId: `c${i}`,
      date: d(`2025-0${1 + (i % 9)}-1${i % 10}`),
      amount: 10 + i,
    }));
    const store = storeFromTransactions(rows, { domain: SHOP });
    fake = await startFakeAdmin({ store, bulkDelayMs: 1 });
    ids = [...store.customers.keys()].map(String);
    await t.db.shop.create({ data: { shop: SHOP, currencyCode: "USD" } });
    await t.db.customer.createMany({ data: ids.map((id) => ({ shop: SHOP, id, tags: "" })) });
    await t.db.prediction.createMany({
      data: ids.map((id, i) => ({
        shop: SHOP,
        customerId: id,
        modelRunId: 1,
        clv: 100 - i,
        clvLow: 50,
        clvHigh: 150,
        pAlive: 0.5,
        expectedOrders: 1,
        tier: i < 5 ? "gold" : "bronze",
      })),
    });
  });
  afterAll(async () => {
    await fake?.close();
    await t?.destroy();
  });

  it("writes metafields and tags, then only what changed", async () => {
    const r1 = await writeBackTiers(t.db, admin(), SHOP);
    expect(r1).toMatchObject({ customers: 30, metafieldCalls: 4, tagged: 30, tagCalls: 2 });
    const c0 = fake.store.customers.get(Number(ids[0]))!;
    expect(c0.metafields.get("$app.clv_tier")?.value).toBe("gold");
    expect(JSON.parse(c0.metafields.get("$app.predicted_clv")!.value)).toEqual({
      amount: "100.00",
      currency_code: "USD",
    });
    expect(c0.tags).toContain("clv:gold");
    expect(fake.validationFailures).toEqual([]); // every document is valid against the 2026-07 schema

    await t.db.prediction.update({
      where: { shop_customerId: { shop: SHOP, customerId: ids[0] } },
      data: { tier: "bronze" },
    });
    const r2 = await writeBackTiers(t.db, admin(), SHOP);
    expect(r2).toMatchObject({ tagged: 1, untagged: 1, tagCalls: 1 });
    expect(fake.store.customers.get(Number(ids[0]))!.tags).toEqual(expect.arrayContaining(["clv:bronze"]));
    expect(fake.store.customers.get(Number(ids[0]))!.tags).not.toContain("clv:gold");
  });

  it("respects the automations switches", async () => {
    const s = await getSettings(t.db, SHOP);
    await saveSettings(t.db, SHOP, { ...s, automations: { ...s.automations, tags: false, metafields: false } });
    const r = await writeBackTiers(t.db, admin(), SHOP);
    expect(r).toMatchObject({ metafieldCalls: 0, tagCalls: 0 });
  });
});
