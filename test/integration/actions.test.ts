/**
 * The actions against the local Admin API (every document schema-validated by the fake; Flow
 * payloads checked against the app's trigger TOMLs): a scoring creates the segments and the tier
 * discount; a tier change fires exactly one Flow trigger per changed customer; an identical rescore
 * fires none; a retention campaign for 500 at-risk customers creates 500 codes once even when the
 * run is killed (after Shopify created a batch, before the app recorded it) and retried.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runActionsAfterScoring } from "~/actions/after-scoring.server";
import { handleOffersForm, loadOffersPage } from "~/actions/offers-page.server";
import { offeredVsNotOffered } from "~/actions/redemption.server";
import { customerBlockData } from "~/pages/customer-block.server";
import { offerNow, planRetentionCampaign, runRetentionCampaign } from "~/actions/retention.server";
import { createTestDb, type TestDb } from "~/db/test-db";
import { recordFlowTriggerUsage } from "~/models/actions.server";
import { exportCustomerData, redactCustomer } from "~/models/privacy.server";
import { createAdminGraphql, type AdminGraphql } from "~/shopify/admin-client.server";
import { fetchTransport } from "~/shopify/transports.server";
import { getSettings, saveSettings } from "~/settings/shop-settings.server";
import { generateStore } from "../fake-admin/generate";
import { startFakeAdmin, type FakeAdmin } from "../fake-admin/server";

const SHOP = "actions-test.myshopify.com";
const N = 600;
const AT_RISK = 500;

let t: TestDb;
let fake: FakeAdmin;
let ids: string[];
const admin = () =>
  createAdminGraphql({
    transport: fetchTransport({ shop: SHOP, accessToken: fake.accessToken, endpoint: fake.graphqlUrl }),
  });
const tiers = ["platinum", "gold", "silver", "bronze"];
const tierOf = (i: number) => tiers[Math.min(3, Math.floor((i / N) * 4))]!;
const calls = (op: string) => fake.store.actions.calls(op);

beforeAll(async () => {
  t = await createTestDb("sqlite");
  const store = generateStore({ seed: 7, customers: N, orders: 1200, shop: { domain: SHOP } });
  fake = await startFakeAdmin({ store, bucket: { maximumAvailable: 200_000, restoreRate: 100_000 } });
  ids = [...store.customers.keys()].slice(0, N).map(String);
  await t.db.shop.create({ data: { shop: SHOP, currencyCode: "USD" } });
  await t.db.customer.createMany({ data: ids.map((id) => ({ shop: SHOP, id, tags: "" })) });
  await t.db.prediction.createMany({
    data: ids.map((id, i) => ({
      shop: SHOP,
      customerId: id,
      modelRunId: 1,
      clv: 1000 - i,
      clvLow: 500 - i / 2,
      clvHigh: 1500 - i,
      pAlive: 0.5,
      churnProbability: i >= N - AT_RISK ? 0.8 : 0.2,
      expectedOrders: 1,
      orderCount: 2,
      tier: tierOf(i),
    })),
  });
  const s = await getSettings(t.db, SHOP);
  await saveSettings(t.db, SHOP, {
    ...s,
    automations: { tags: true, metafields: true, segments: true, flow: true, discounts: true },
  });
  for (const h of ["clv-tier-changed", "customer-at-risk"])
    await recordFlowTriggerUsage(t.db, SHOP, h, true, new Date("2026-12-01T00:00:00Z"));
});
afterAll(async () => {
  await fake?.close();
  await t?.destroy();
});

describe("actions after scoring (local Admin API)", () => {
  it("first scoring: creates segments per tier + at risk, the tier discount and at-risk tags; no Flow events", async () => {
    const r = await runActionsAfterScoring(t.db, admin(), SHOP);
    expect(r.segments?.created).toEqual(["tier:platinum", "tier:gold", "tier:silver", "tier:bronze", "at-risk"]);
    expect(calls("segmentCreate").map((c) => c.detail.query)).toContain("customer_tags CONTAINS 'clv-at-risk'");
    expect(r.tierDiscount).toBe("created");
    const [created] = calls("discountAutomaticAppCreate");
    const config = JSON.parse(
      (created!.detail.metafields as Record<string, { value: string }>)["$app.function-configuration"]!.value,
    );
    expect(config.rules).toEqual([
      { tier: "platinum", percentage: 10 },
      { tier: "gold", percentage: 5 },
    ]);
    expect(r.states).toMatchObject({ baseline: N, tierChanged: 0, becameAtRisk: 0, queued: 0 });
    expect(calls("flowTriggerReceive")).toHaveLength(0);
    expect(r.atRiskTags).toEqual({ added: AT_RISK, removed: 0, bulkOperations: 1 });
    const atRiskInShopify = [...fake.store.customers.values()].filter((c) => c.tags.includes("clv-at-risk")).length;
    expect(atRiskInShopify).toBe(AT_RISK);
    expect(fake.validationFailures).toEqual([]);
  });

  it("identical rescore: no Flow trigger, no segment or discount call", async () => {
    const before = fake.store.actions.log.length;
    const r = await runActionsAfterScoring(t.db, admin(), SHOP);
    expect(r.states).toMatchObject({ tierChanged: 0, becameAtRisk: 0, queued: 0 });
    expect(r.segments).toMatchObject({ created: [], updated: [], deleted: [], unchanged: 5 });
    expect(r.tierDiscount).toBe("unchanged");
    expect(fake.store.actions.log.length).toBe(before);
  });

  it("tier change: exactly one Flow trigger per changed customer (payload keys as declared)", async () => {
    const changed = ids.slice(0, 7); // platinum → silver
    await t.db.prediction.updateMany({ where: { shop: SHOP, customerId: { in: changed } }, data: { tier: "silver" } });
    const riskNow = ids.slice(10, 13); // become at risk
    await t.db.prediction.updateMany({
      where: { shop: SHOP, customerId: { in: riskNow } },
      data: { churnProbability: 0.9 },
    });
    const r = await runActionsAfterScoring(t.db, admin(), SHOP);
    expect(r.flow).toEqual({ sent: 10, rejected: 0, requests: 1 });
    const events = fake.store.actions.flowEvents;
    const tierEvents = events.filter((e) => e.handle === "clv-tier-changed");
    expect(tierEvents.map((e) => String(e.payload.customer_id)).sort()).toEqual([...changed].sort());
    expect(tierEvents[0]!.payload).toMatchObject({ "old tier": "platinum", "new tier": "silver" });
    expect(
      events
        .filter((e) => e.handle === "customer-at-risk")
        .map((e) => String(e.payload.customer_id))
        .sort(),
    ).toEqual([...riskNow].sort());
    expect(r.atRiskTags).toEqual({ added: 3, removed: 0, bulkOperations: 0 });
    // Once more, unchanged: nothing new.
    const again = await runActionsAfterScoring(t.db, admin(), SHOP);
    expect(again.flow).toEqual({ sent: 0, rejected: 0, requests: 0 });
    expect(fake.store.actions.flowEvents).toHaveLength(10);
    expect(fake.validationFailures).toEqual([]);
  });

  it("no Flow events for a trigger no enabled workflow uses", async () => {
    await recordFlowTriggerUsage(t.db, SHOP, "clv-tier-changed", false, new Date("2026-12-02T00:00:00Z"));
    await t.db.prediction.updateMany({ where: { shop: SHOP, customerId: ids[20]! }, data: { tier: "bronze" } });
    const r = await runActionsAfterScoring(t.db, admin(), SHOP);
    expect(r.states.tierChanged).toBe(1);
    expect(r.flow?.sent).toBe(0);
    await recordFlowTriggerUsage(t.db, SHOP, "clv-tier-changed", true, new Date("2026-12-03T00:00:00Z"));
  });

  it("retention campaign for 500 at-risk customers: 500 codes once, even when killed and retried", async () => {
    await t.db.prediction.updateMany({
      where: { shop: SHOP, customerId: { in: ids.slice(10, 13) } },
      data: { churnProbability: 0.2 },
    });
    await runActionsAfterScoring(t.db, admin(), SHOP); // back to exactly 500 at risk
    const plan = await planRetentionCampaign(t.db, SHOP, { audience: "at-risk", percentage: 15, validDays: 30 });
    expect(plan.offers).toBe(AT_RISK);

    // Killed after the 13th request came back (Shopify created those codes; the app did not record them).
    const real = admin();
    let n = 0;
    const dying: AdminGraphql = {
      ...real,
      // The code batches are built at run time (aliased mutations): they go through requestBuilt.
      requestBuilt: async <T>(q: string, v?: Record<string, unknown>) => {
        const r = await real.requestBuilt<T>(q, v);
        if (q.includes("HorizonRetentionCodes") && ++n === 13) throw new Error("worker killed");
        return r;
      },
    };
    await expect(runRetentionCampaign(t.db, dying, SHOP, plan.campaignId)).rejects.toThrow("worker killed");
    expect(calls("discountCodeBasicCreate")).toHaveLength(130);

    const retry = await runRetentionCampaign(t.db, admin(), SHOP, plan.campaignId);
    expect(retry.adopted).toBe(10);
    expect(retry.created).toBe(AT_RISK - 130);
    const codes = calls("discountCodeBasicCreate").map((c) => c.detail.code as string);
    expect(codes).toHaveLength(AT_RISK);
    expect(new Set(codes).size).toBe(AT_RISK);
    const created = calls("discountCodeBasicCreate")[0]!.detail;
    expect(created).toMatchObject({ percentage: 0.15 });
    expect(created.customerIds as number[]).toHaveLength(1);
    const offers = await t.db.retentionOffer.findMany({ where: { shop: SHOP, campaignId: plan.campaignId } });
    expect(offers.every((o) => o.status === "created" && o.discountId)).toBe(true);
    expect(new Set(offers.map((o) => o.customerId)).size).toBe(AT_RISK);

    // A third run has nothing to do.
    expect(await runRetentionCampaign(t.db, admin(), SHOP, plan.campaignId)).toEqual({
      created: 0,
      adopted: 0,
      requests: 0,
    });
    expect(calls("discountCodeBasicCreate")).toHaveLength(AT_RISK);
    expect(fake.validationFailures).toEqual([]);
  });

  it("marks a redemption from an order's discount codes and compares offered vs. not offered", async () => {
    const offer = (await t.db.retentionOffer.findFirst({ where: { shop: SHOP }, orderBy: { id: "asc" } }))!;
    await t.db.order.create({
      data: {
        shop: SHOP,
        id: "990001",
        customerId: offer.customerId,
        processedAt: new Date(Date.now() + 1000),
        shopifyUpdatedAt: new Date(),
        currencyCode: "USD",
        currentSubtotal: 80,
        discountCodes: JSON.stringify([offer.code.toLowerCase()]),
      },
    });
    const r = await runActionsAfterScoring(t.db, admin(), SHOP);
    expect(r.redemptions).toBe(1);
    const stored = await t.db.retentionOffer.findUnique({ where: { id: offer.id } });
    expect(stored).toMatchObject({ redeemedOrder: "990001", redeemedAmount: 80 });
    const cmp = await offeredVsNotOffered(t.db, SHOP);
    expect(cmp?.offered).toMatchObject({ customers: AT_RISK, buyers: 1, revenue: 80 });
    expect(cmp?.notOffered.customers).toBe(0);
  });

  it("Flow action / customer block: one code per action_run_id, shown in the block data", async () => {
    const customer = ids[3]!;
    const req = { audience: "flow" as const, target: customer, percentage: 20, validDays: 14, externalRef: "run-1" };
    const first = await offerNow(t.db, admin(), SHOP, req);
    const again = await offerNow(t.db, admin(), SHOP, req);
    expect(again).toMatchObject({ code: first.code, existing: true });
    expect(calls("discountCodeBasicCreate").filter((c) => c.detail.code === first.code)).toHaveLength(1);
    const block = await customerBlockData(t.db, SHOP, customer);
    expect(block).toMatchObject({ status: "scored", tier: "silver", offer: { code: first.code } });
    expect(await customerBlockData(t.db, SHOP, "123")).toMatchObject({ status: "not-scored" });
    await expect(offerNow(t.db, admin(), SHOP, { ...req, percentage: 0, externalRef: "run-2" })).rejects.toThrow(
      /percentage must be a number from 1 to 100/,
    );
  });

  it("Offers page: campaigns with codes and redemptions, forms validated with field errors", async () => {
    const page = await loadOffersPage(t.db, SHOP);
    const atRiskCampaign = page.campaigns.find((c) => c.audience === "at-risk list")!;
    expect(atRiskCampaign).toMatchObject({
      created: AT_RISK,
      planned: 0,
      redeemed: 1,
      redeemedRevenue: 80,
      status: "done",
    });
    expect(page.flow.triggers.every((x) => x.inUse)).toBe(true);
    expect(page.flow.events.length).toBeGreaterThan(0);
    expect(page.tierDiscount).toMatchObject({ exists: true, active: true, percentages: { platinum: 10, gold: 5 } });
    const form = (o: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(o)) f.set(k, v);
      return f;
    };
    expect(
      await handleOffersForm(
        t.db,
        SHOP,
        form({ intent: "campaign", audience: "tier", tier: "nope", percentage: "10", validDays: "7" }),
      ),
    ).toEqual({
      ok: false,
      errors: { tier: 'tier "nope" has no customers without an open offer' },
    });
    expect(
      await handleOffersForm(
        t.db,
        SHOP,
        form({ intent: "campaign", audience: "at-risk", percentage: "10", validDays: "0" }),
      ),
    ).toMatchObject({
      ok: false,
      errors: { validDays: expect.stringMatching(/validDays must be a whole number/) },
    });
    expect(
      await handleOffersForm(
        t.db,
        SHOP,
        form({ intent: "campaign", audience: "customer", customerId: "42", percentage: "10", validDays: "7" }),
      ),
    ).toMatchObject({ ok: false, errors: { customerId: expect.stringMatching(/not a customer of/) } });
    expect(
      await handleOffersForm(t.db, SHOP, form({ intent: "tier-discount", pct_platinum: "12", pct_gold: "abc" })),
    ).toMatchObject({
      ok: false,
      errors: { pct_gold: expect.stringMatching(/Discount for gold/) },
    });
    expect(
      await handleOffersForm(t.db, SHOP, form({ intent: "tier-discount", pct_platinum: "12", pct_gold: "6" })),
    ).toMatchObject({ ok: true });
    const r = await runActionsAfterScoring(t.db, admin(), SHOP);
    expect(r.tierDiscount).toBe("updated");
    const update = calls("discountAutomaticAppUpdate").at(-1)!;
    const config = JSON.parse(
      (update.detail.metafields as Record<string, { value: string }>)["$app.function-configuration"]!.value,
    );
    expect(config.rules).toEqual([
      { tier: "platinum", percentage: 12 },
      { tier: "gold", percentage: 6 },
    ]);
  });

  it("native mode: one discount per tier limited to its segment (context.customerSegments), no Function", async () => {
    const form = (o: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(o)) f.set(k, v);
      return f;
    };
    const bad = await handleOffersForm(
      t.db,
      SHOP,
      form({ intent: "tier-discount", mode: "magic", pct_platinum: "12", pct_gold: "6" }),
    );
    expect(bad).toMatchObject({ ok: false, errors: { mode: expect.stringMatching(/function, segments/) } });
    expect(
      await handleOffersForm(
        t.db,
        SHOP,
        form({ intent: "tier-discount", mode: "segments", pct_platinum: "12", pct_gold: "6" }),
      ),
    ).toMatchObject({ ok: true });
    // Segments switched off: native discounts keep the tier segments they are limited to anyway.
    const s = await getSettings(t.db, SHOP);
    await saveSettings(t.db, SHOP, { ...s, automations: { ...s.automations, segments: false } });
    const r = await runActionsAfterScoring(t.db, admin(), SHOP);
    expect(r.tierDiscount).toBe("created");
    expect(r.segments).toMatchObject({ created: [], unchanged: 5 });
    const fn = [...fake.store.actions.discounts.values()].find((d) => d.kind === "automatic_app")!;
    expect(fn.status).toBe("EXPIRED"); // the Function discount is deactivated
    const segmentId = (name: string) =>
      [...fake.store.actions.segments.values()].find((x) => x.name === `Horizon CLV: ${name} tier`)!.id;
    const created = calls("discountAutomaticBasicCreate").map((c) => c.detail);
    expect(created).toEqual([
      expect.objectContaining({ percentage: 0.12, segmentIds: [segmentId("platinum")] }),
      expect.objectContaining({ percentage: 0.06, segmentIds: [segmentId("gold")] }),
    ]);
    // Identical rerun: nothing; a new percentage: one update; gold at 0 %: deactivated.
    const before = fake.store.actions.log.length;
    expect((await runActionsAfterScoring(t.db, admin(), SHOP)).tierDiscount).toBe("unchanged");
    expect(fake.store.actions.log.length).toBe(before);
    await handleOffersForm(t.db, SHOP, form({ intent: "tier-discount", mode: "segments", pct_platinum: "15" }));
    expect((await runActionsAfterScoring(t.db, admin(), SHOP)).tierDiscount).toBe("updated");
    expect(calls("discountAutomaticBasicUpdate").map((c) => c.detail.percentage)).toEqual([0.15]);
    const gold = [...fake.store.actions.discounts.values()].find((d) => d.segmentIds?.includes(segmentId("gold")))!;
    expect(gold.status).toBe("EXPIRED");
    const page = await loadOffersPage(t.db, SHOP);
    expect(page.tierDiscount).toMatchObject({
      mode: "segments",
      active: true,
      native: [
        { tier: "gold", percentage: 6, active: false },
        { tier: "platinum", percentage: 15, active: true },
      ],
    });
    expect(fake.validationFailures).toEqual([]);
  });

  it("Discounts switched off: the tier discounts are deactivated", async () => {
    const s = await getSettings(t.db, SHOP);
    await saveSettings(t.db, SHOP, { ...s, automations: { ...s.automations, discounts: false } });
    const deactivatedBefore = calls("discountAutomaticDeactivate").length;
    const r = await runActionsAfterScoring(t.db, admin(), SHOP);
    expect(r.tierDiscount).toBe("deactivated");
    expect(calls("discountAutomaticDeactivate")).toHaveLength(deactivatedBefore + 1); // the platinum one
    expect(
      [...fake.store.actions.discounts.values()].filter((d) => d.kind !== "code_basic" && d.status === "ACTIVE"),
    ).toEqual([]);
  });

  it("Function mode again: the Function discount is reactivated, the native ones stay off", async () => {
    const s = await getSettings(t.db, SHOP);
    await saveSettings(t.db, SHOP, { ...s, automations: { ...s.automations, discounts: true } });
    const f = new FormData();
    for (const [k, v] of Object.entries({ intent: "tier-discount", mode: "function", pct_platinum: "15" })) f.set(k, v);
    await handleOffersForm(t.db, SHOP, f);
    const r = await runActionsAfterScoring(t.db, admin(), SHOP);
    expect(r.tierDiscount).toBe("reactivated");
    const active = [...fake.store.actions.discounts.values()].filter(
      (d) => d.kind !== "code_basic" && d.status === "ACTIVE",
    );
    expect(active.map((d) => d.kind)).toEqual(["automatic_app"]);
  });

  it("campaign audiences: at most N by past spend; customers holding an open offer are skipped", async () => {
    // Of the 500 at-risk customers only the one who redeemed a code holds no open offer.
    const redeemer = (await t.db.retentionOffer.findFirst({ where: { shop: SHOP, redeemedAt: { not: null } } }))!;
    const again = await planRetentionCampaign(
      t.db,
      SHOP,
      { audience: "at-risk", percentage: 10, validDays: 7 },
      { enqueue: false },
    );
    expect(again.offers).toBe(1);
    expect((await t.db.retentionOffer.findFirst({ where: { campaignId: again.campaignId } }))?.customerId).toBe(
      redeemer.customerId,
    );
    await expect(
      planRetentionCampaign(t.db, SHOP, { audience: "at-risk", percentage: 10, validDays: 7 }),
    ).rejects.toThrow(/no customers without an open offer are at risk/);
    const spenders = [ids[70]!, ids[50]!, ids[60]!];
    for (const [i, id] of spenders.entries())
      await t.db.prediction.update({
        where: { shop_customerId: { shop: SHOP, customerId: id } },
        data: { historicSpend: 900 - i * 100 },
      });
    const plan = await planRetentionCampaign(
      t.db,
      SHOP,
      { audience: "tier", target: "platinum", limit: 3, percentage: 10, validDays: 7 },
      { enqueue: false },
    );
    const offers = await t.db.retentionOffer.findMany({ where: { shop: SHOP, campaignId: plan.campaignId } });
    expect(offers.map((o) => o.customerId).sort()).toEqual([...spenders].sort());
    await expect(
      planRetentionCampaign(t.db, SHOP, {
        audience: "tier",
        target: "platinum",
        limit: 0,
        percentage: 10,
        validDays: 7,
      }),
    ).rejects.toThrow(/limit must be a whole number from 1 to 10000/);
  });

  it("customers/data_request: the export lists the customer's retention offers, action state and Flow events", async () => {
    const offer = (await t.db.retentionOffer.findFirst({ where: { shop: SHOP }, orderBy: { id: "asc" } }))!;
    const ex = await exportCustomerData(t.db, SHOP, offer.customerId);
    expect(ex.retentionOffers).toContainEqual(
      expect.objectContaining({
        code: offer.code,
        status: "created",
        redeemedOrder: "990001",
        campaign: expect.objectContaining({ audience: "at-risk", percentage: 15 }),
      }),
    );
    expect(ex.actionState).toMatchObject({ customerId: offer.customerId, atRisk: true });
    const changed = (await t.db.flowTriggerEvent.findFirst({ where: { shop: SHOP } }))!;
    const flow = await exportCustomerData(t.db, SHOP, changed.customerId);
    expect(flow.flowEvents).toContainEqual(
      expect.objectContaining({
        handle: changed.handle,
        payload: expect.objectContaining({ customer_id: Number(changed.customerId) }),
      }),
    );
    expect(ex.note).toMatch(/retention offer codes/);
  });

  it("customers/redact removes the actions' rows on the customer", async () => {
    const offer = (await t.db.retentionOffer.findFirst({ where: { shop: SHOP }, orderBy: { id: "asc" } }))!;
    const r = await redactCustomer(t.db, SHOP, offer.customerId);
    expect(r.actionRows).toBeGreaterThanOrEqual(2); // action state + offer (+ Flow events)
    const w = { where: { shop: SHOP, customerId: offer.customerId } };
    expect(await t.db.retentionOffer.count(w)).toBe(0);
    expect(await t.db.customerActionState.count(w)).toBe(0);
    expect(await t.db.flowTriggerEvent.count(w)).toBe(0);
  });
});
