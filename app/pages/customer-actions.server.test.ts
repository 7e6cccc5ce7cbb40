/**
 * The customers list's and customer page's retention offer (issue 11, "act where they look") down
 * to the local Admin API: the route action (`actOnCustomers`) plans the campaign for the current
 * tier / at-risk filter or one customer, and the campaign job creates exactly those customers'
 * codes through the Shopify port (every document schema-validated by the fake). "Create segment" for
 * the same audiences creates the tier's / at-risk segment with segmentCreate, or links to the one the
 * Segments automation keeps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runActionsAfterScoring } from "~/actions/after-scoring.server";
import { runRetentionCampaign } from "~/actions/retention.server";
import { createTestDb, type TestDb } from "~/db/test-db";
import { createAdminGraphql } from "~/shopify/admin-client.server";
import { fetchTransport } from "~/shopify/transports.server";
import { generateStore } from "../../test/fake-admin/generate";
import { startFakeAdmin, type FakeAdmin } from "../../test/fake-admin/server";
import { syncSegments } from "~/actions/segments.server";
import { getSettings } from "~/settings/shop-settings.server";
import { actOnCustomers as act, audienceSegments } from "./customer-actions.server";

const SHOP = "act-where-they-look.myshopify.com";
const N = 40;
let t: TestDb;
let fake: FakeAdmin;
let ids: string[];
const admin = () =>
  createAdminGraphql({
    transport: fetchTransport({ shop: SHOP, accessToken: fake.accessToken, endpoint: fake.graphqlUrl }),
  });
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const actOnCustomers = (db: TestDb["db"], shop: string, f: FormData) => act(db, shop, f, async () => admin());
const codesFor = () => fake.store.actions.calls("discountCodeBasicCreate").map((c) => c.detail);

beforeAll(async () => {
  t = await createTestDb("sqlite");
  const store = generateStore({ seed: 3, customers: N, orders: 80, shop: { domain: SHOP } });
  fake = await startFakeAdmin({ store });
  ids = [...store.customers.keys()].slice(0, N).map(String);
  await t.db.shop.create({ data: { shop: SHOP, currencyCode: "USD" } });
  await t.db.customer.createMany({ data: ids.map((id) => ({ shop: SHOP, id, tags: "" })) });
  await t.db.prediction.createMany({
    data: ids.map((id, i) => ({
      shop: SHOP,
      customerId: id,
      modelRunId: 1,
      clv: 100 + i,
      clvLow: 50,
      clvHigh: 200,
      pAlive: 0.5,
      // at risk: five bronze customers (a gold one would already hold the first test's open offer)
      churnProbability: i >= N - 5 ? 0.9 : 0.1,
      expectedOrders: 1,
      orderCount: 2,
      tier: i < 10 ? "gold" : "bronze",
    })),
  });
  // The post-scoring step records who is at risk (the at-risk audience of a campaign).
  await runActionsAfterScoring(t.db, admin(), SHOP);
});
afterAll(async () => {
  await fake?.close();
  await t?.destroy();
});

describe("retention offer from the customers list and the customer page", () => {
  it("the list's tier filter: one campaign for that tier, its codes created in Shopify for exactly its customers", async () => {
    const r = await actOnCustomers(
      t.db,
      SHOP,
      form({ intent: "campaign", audience: "tier", tier: "gold", percentage: "15", validDays: "30" }),
    );
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && r.message).toMatch(/10 unique codes/);
    const campaign = await t.db.retentionCampaign.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { id: "desc" } });
    expect(campaign).toMatchObject({ audience: "tier", target: "gold", percentage: 15, validDays: 30 });
    // the job the action enqueued, run against the local Admin API
    const job = await t.db.job.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { id: "desc" } });
    expect(JSON.parse(job.payload)).toEqual({ campaignId: campaign.id });
    await runRetentionCampaign(t.db, admin(), SHOP, campaign.id);
    const created = codesFor();
    expect(created).toHaveLength(10);
    expect(new Set(created.flatMap((c) => (c.customerIds as number[]).map(String)))).toEqual(new Set(ids.slice(0, 10)));
    expect(fake.validationFailures).toEqual([]);
  });

  it("the at-risk filter and one customer's page each target their audience", async () => {
    const before = codesFor().length;
    const risk = await actOnCustomers(
      t.db,
      SHOP,
      form({ intent: "campaign", audience: "at-risk", percentage: "10", validDays: "14" }),
    );
    expect(risk).toMatchObject({ ok: true, message: expect.stringMatching(/5 unique codes/) });
    const one = await actOnCustomers(
      t.db,
      SHOP,
      form({ intent: "campaign", audience: "customer", customerId: ids[20]!, percentage: "20", validDays: "7" }),
    );
    expect(one).toMatchObject({ ok: true });
    const campaign = await t.db.retentionCampaign.findFirstOrThrow({ where: { shop: SHOP }, orderBy: { id: "desc" } });
    await runRetentionCampaign(t.db, admin(), SHOP, campaign.id);
    const created = codesFor().slice(before);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ percentage: 0.2, customerIds: [Number(ids[20])] });
  });

  it("bad input is refused with the field named; other intents are not accepted here", async () => {
    const bad = await actOnCustomers(
      t.db,
      SHOP,
      form({ intent: "campaign", audience: "tier", tier: "gold", percentage: "0", validDays: "30" }),
    );
    expect(bad).toEqual({ ok: false, errors: { percentage: expect.stringMatching(/1 to 100/) } });
    expect(await actOnCustomers(t.db, SHOP, form({ intent: "tier-discount" }))).toEqual({
      ok: false,
      errors: { form: 'Unknown action "tier-discount".' },
    });
    expect(await actOnCustomers(t.db, SHOP, form({ intent: "campaign", audience: "flow" }))).toMatchObject({
      ok: false,
    });
  });
});

describe("create segment from the customers list's filter and the customer page", () => {
  const segmentCreates = () => fake.store.actions.calls("segmentCreate").length;

  it("a tier: segmentCreate with the tier tag's query, stored; asked again, the same segment is linked", async () => {
    const before = segmentCreates();
    const r = await actOnCustomers(t.db, SHOP, form({ intent: "segment", audience: "tier", tier: "gold" }));
    expect(r).toMatchObject({ ok: true, message: expect.stringMatching(/^Segment created: "Horizon CLV: gold tier"/) });
    expect(segmentCreates()).toBe(before + 1);
    const prefix = (await getSettings(t.db, SHOP)).tagPrefix;
    const inShopify = [...fake.store.actions.segments.values()].find((s) => s.name === "Horizon CLV: gold tier");
    expect(inShopify?.query).toBe(`customer_tags CONTAINS '${prefix}:gold'`);
    const link = {
      key: "tier:gold",
      id: String(inShopify!.id),
      name: "Horizon CLV: gold tier",
      adminUrl: `https://admin.shopify.com/store/act-where-they-look/customers/segments/${inShopify!.id}`,
    };
    expect(r.ok && "segment" in r && r.segment).toEqual(link);
    expect((await audienceSegments(t.db, SHOP))["tier:gold"]).toEqual(link);
    // the customer page's "segment of this customer's tier" posts the same form: no twin
    const again = await actOnCustomers(t.db, SHOP, form({ intent: "segment", audience: "tier", tier: "gold" }));
    expect(again).toMatchObject({ ok: true, message: expect.stringMatching(/^Segment already in Shopify/) });
    expect(segmentCreates()).toBe(before + 1);
    expect(fake.validationFailures).toEqual([]);
  });

  it("segments kept by the Settings automation are linked, not duplicated; a deleted one is recreated", async () => {
    await syncSegments(t.db, admin(), SHOP, await getSettings(t.db, SHOP));
    const before = segmentCreates();
    const kept = await audienceSegments(t.db, SHOP);
    const risk = await actOnCustomers(t.db, SHOP, form({ intent: "segment", audience: "at-risk" }));
    expect(risk).toMatchObject({ ok: true, segment: kept["at-risk"] });
    expect(segmentCreates()).toBe(before);
    // the merchant deleted the at-risk segment in Shopify: asking again creates it anew
    fake.store.actions.segments.delete(Number(kept["at-risk"]!.id));
    const recreated = await actOnCustomers(t.db, SHOP, form({ intent: "segment", audience: "at-risk" }));
    expect(recreated).toMatchObject({ ok: true, message: expect.stringMatching(/^Segment created/) });
    expect(segmentCreates()).toBe(before + 1);
    expect((await audienceSegments(t.db, SHOP))["at-risk"]!.id).not.toBe(kept["at-risk"]!.id);
    expect(fake.validationFailures).toEqual([]);
  });

  it("an audience no segment expresses, or an unknown tier, is refused with the reason", async () => {
    const before = segmentCreates();
    expect(
      await actOnCustomers(t.db, SHOP, form({ intent: "segment", audience: "customer", customerId: ids[0]! })),
    ).toEqual({ ok: false, errors: { form: 'audience must be tier or at-risk for a segment; got "customer".' } });
    expect(await actOnCustomers(t.db, SHOP, form({ intent: "segment", audience: "tier", tier: "nope" }))).toEqual({
      ok: false,
      errors: { form: 'No tier "nope" in the current tiers.' },
    });
    expect(await actOnCustomers(t.db, SHOP, form({ intent: "segment", audience: "tier" }))).toEqual({
      ok: false,
      errors: { form: "tier: choose a tier." },
    });
    expect(segmentCreates()).toBe(before);
  });
});
