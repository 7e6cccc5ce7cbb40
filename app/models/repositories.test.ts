import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NormalizedCustomer, NormalizedOrder } from "~/sync/types";
import { createTestDb, testProviders, type TestDb } from "~/db/test-db";
import {
  countOrders,
  eraseShop,
  exportCustomerData,
  getCustomer,
  getOrder,
  getSettings,
  markCustomerDeleted,
  redactCustomer,
  updateSettings,
  upsertCustomerIfNewer,
  upsertCustomersIfNewer,
  upsertOrderIfNewer,
  upsertOrdersIfNewer,
  upsertRefund,
  createSyncRun,
  getSyncRun,
  updateSyncRun,
  createModelRun,
  pruneModelRuns,
  mentionsId,
} from "./index.server";

const SHOP = "alpha.myshopify.com";
const OTHER = "beta.myshopify.com";
const t = (s: string) => new Date(`2026-01-${s}T00:00:00Z`);

function cust(id: string, updated: string, extra: Partial<NormalizedCustomer> = {}): NormalizedCustomer {
  return {
    id,
    shopifyCreatedAt: t("01"),
    shopifyUpdatedAt: t(updated),
    state: "ENABLED",
    countryCode: "DE",
    tags: ["vip"],
    predictedSpendTier: null,
    ...extra,
  };
}

function order(id: string, customerId: string | null, updated: string, total = 10): NormalizedOrder {
  return {
    id,
    customerId,
    name: `#${id}`,
    processedAt: t("02"),
    shopifyCreatedAt: t("02"),
    shopifyUpdatedAt: t(updated),
    cancelledAt: null,
    test: false,
    financialStatus: "paid",
    currencyCode: "EUR",
    presentmentCurrencyCode: "EUR",
    subtotal: total,
    currentSubtotal: total,
    total,
    totalDiscounts: 0,
    totalRefunded: 0,
    presentmentTotal: total,
    sourceName: "web",
    countryCode: "DE",
    discountCodes: [],
    productIds: ["1"],
    lineItemCount: 1,
  };
}

const providers = await testProviders();

describe.each(providers)("repositories on %s", (provider) => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb(provider);
  });
  afterAll(async () => {
    await h?.destroy();
  });

  it("applies a customer only when strictly newer; equal is a no-op", async () => {
    expect(await upsertCustomerIfNewer(h.db, SHOP, cust("100", "05", { countryCode: "FR" }))).toBe("applied");
    expect(await upsertCustomerIfNewer(h.db, SHOP, cust("100", "03", { countryCode: "US" }))).toBe("skipped");
    expect(await upsertCustomerIfNewer(h.db, SHOP, cust("100", "05", { countryCode: "IT" }))).toBe("skipped");
    expect((await getCustomer(h.db, SHOP, "100"))?.countryCode).toBe("FR");
    expect(await upsertCustomerIfNewer(h.db, SHOP, cust("100", "06", { countryCode: "ES" }))).toBe("applied");
    expect((await getCustomer(h.db, SHOP, "100"))?.countryCode).toBe("ES");
    // same id in another shop is a different row
    expect(await getCustomer(h.db, OTHER, "100")).toBeNull();
    // a source without tags / spend tier (REST webhook) keeps the stored values
    await upsertCustomerIfNewer(h.db, SHOP, cust("100", "07", { tags: ["gold"], predictedSpendTier: "HIGH" }));
    await upsertCustomerIfNewer(
      h.db,
      SHOP,
      cust("100", "08", { tags: [], predictedSpendTier: null, countryCode: "PT" }),
      { keep: ["tags", "predictedSpendTier"] },
    );
    expect(await getCustomer(h.db, SHOP, "100")).toMatchObject({
      tags: "gold",
      predictedSpendTier: "HIGH",
      countryCode: "PT",
    });
  });

  it("tombstones ignore older updates regardless of arrival order", async () => {
    // delete arrives before the create it overtakes
    expect(await markCustomerDeleted(h.db, SHOP, "200", t("10"))).toBe("applied");
    expect(await upsertCustomerIfNewer(h.db, SHOP, cust("200", "04"))).toBe("skipped");
    expect(await upsertCustomerIfNewer(h.db, SHOP, cust("200", "10"))).toBe("skipped");
    const c = await getCustomer(h.db, SHOP, "200");
    expect(c?.deletedAt?.toISOString()).toBe(t("10").toISOString());
    expect(c?.countryCode).toBeNull();
    // repeat / earlier deletion is a no-op
    expect(await markCustomerDeleted(h.db, SHOP, "200", t("08"))).toBe("skipped");
  });

  it("orders: newer wins, refunds insert once and carry the customer id", async () => {
    expect(await upsertOrderIfNewer(h.db, SHOP, order("9000", "100", "05", 50))).toBe("applied");
    expect(await upsertOrderIfNewer(h.db, SHOP, order("9000", "100", "04", 70))).toBe("skipped");
    expect((await getOrder(h.db, SHOP, "9000"))?.total).toBe(50);
    const r = { id: "77", orderId: "9000", processedAt: t("06"), amount: 5, currencyCode: "EUR" };
    expect(await upsertRefund(h.db, SHOP, "9000", r)).toBe("applied");
    expect(await upsertRefund(h.db, SHOP, "9000", r)).toBe("skipped");
    expect((await h.db.refund.findFirst({ where: { shop: SHOP, id: "77" } }))?.customerId).toBe("100");
  });

  it("rejects bad input with the field named and stores nothing", async () => {
    await expect(
      upsertOrderIfNewer(h.db, SHOP, { ...order("9100", null, "05"), currencyCode: "euro" }),
    ).rejects.toThrow(/order 9100: currencyCode/);
    await expect(upsertOrderIfNewer(h.db, "evil.com", order("9101", null, "05"))).rejects.toThrow(/myshopify/);
    expect(await getOrder(h.db, SHOP, "9100")).toBeNull();
  });

  it("batch upserts 2,000 orders and respects newer-only on the second pass", async () => {
    const batch = Array.from({ length: 2000 }, (_, i) => order(String(20000 + i), String(500 + (i % 100)), "05", i));
    expect(await upsertOrdersIfNewer(h.db, SHOP, batch)).toEqual({ applied: 2000, skipped: 0 });
    const again = batch.map((o, i) => (i % 2 ? { ...o, shopifyUpdatedAt: t("07"), total: -1 } : o));
    expect(await upsertOrdersIfNewer(h.db, SHOP, again)).toEqual({ applied: 1000, skipped: 1000 });
    expect((await getOrder(h.db, SHOP, "20001"))?.total).toBe(-1);
    expect((await getOrder(h.db, SHOP, "20002"))?.total).toBe(2);
    const cs = Array.from({ length: 300 }, (_, i) => cust(String(500 + i), "05"));
    expect(await upsertCustomersIfNewer(h.db, SHOP, cs)).toEqual({ applied: 300, skipped: 0 });
    expect(await upsertCustomersIfNewer(h.db, SHOP, cs)).toEqual({ applied: 0, skipped: 300 });
  });

  it("export and redact cover every table and leave no mention of the customer", async () => {
    await upsertCustomerIfNewer(h.db, SHOP, cust("31337", "05"));
    await upsertOrderIfNewer(h.db, SHOP, order("31338", "31337", "05"));
    await upsertRefund(h.db, SHOP, "31338", {
      id: "31339",
      orderId: "31338",
      processedAt: t("06"),
      amount: 1,
      currencyCode: "EUR",
    });
    await h.db.prediction.create({
      data: {
        shop: SHOP,
        customerId: "31337",
        modelRunId: 1,
        clv: 1,
        clvLow: 0,
        clvHigh: 2,
        pAlive: 0.5,
        expectedOrders: 1,
        tier: "high",
      },
    });
    await h.db.tierHistory.create({ data: { shop: SHOP, customerId: "31337", tier: "high", clv: 1, modelRunId: 1 } });
    await h.db.webhookDelivery.create({
      data: {
        shop: SHOP,
        topic: "orders/create",
        webhookId: "w1",
        eventKey: "e1",
        payload: '{"customer":{"id":31337}}',
      },
    });
    await h.db.webhookDelivery.create({
      data: {
        shop: SHOP,
        topic: "orders/create",
        webhookId: "w2",
        eventKey: "e2",
        payload: '{"customer":{"id":313370}}',
      },
    });
    await h.db.job.create({ data: { shop: SHOP, type: "x", payload: '{"customerId":"31337"}' } });
    const ex = await exportCustomerData(h.db, SHOP, "31337");
    expect(ex.orders).toHaveLength(1);
    expect(ex.refunds).toHaveLength(1);
    expect(ex.predictions).toHaveLength(1);
    await h.db.dataRequest.create({ data: { shop: SHOP, customerId: "31337", content: JSON.stringify(ex) } });

    const r = await redactCustomer(h.db, SHOP, "31337", ["31338"]);
    expect(r).toMatchObject({
      customers: 1,
      orders: 1,
      refunds: 1,
      predictions: 1,
      tierHistory: 1,
      dataRequests: 1,
      webhookPayloads: 1,
      jobs: 1,
      modelRunsMentioning: 0,
    });
    const after = await exportCustomerData(h.db, SHOP, "31337");
    expect(after.customer).toBeNull();
    expect(after.orders).toHaveLength(0);
    const rest = await h.db.webhookDelivery.findMany({ where: { shop: SHOP } });
    expect(rest.filter((d) => mentionsId(d.payload, "31337"))).toHaveLength(0);
    expect(rest.find((d) => d.eventKey === "e2")?.payload).toContain("313370");
  });

  it("settings validate with the field named; runs are shop-scoped; eraseShop removes everything", async () => {
    expect((await getSettings(h.db, SHOP)).horizonMonths).toBe(12);
    await expect(updateSettings(h.db, SHOP, { grossMargin: 3 })).rejects.toThrow(/grossMargin/);
    expect(
      (await updateSettings(h.db, SHOP, { tierRules: [{ name: "high", minPercentile: 0.8 }] })).tierRules,
    ).toHaveLength(1);
    const run = await createSyncRun(h.db, SHOP, "backfill");
    expect(await getSyncRun(h.db, OTHER, run.id)).toBeNull();
    expect(await updateSyncRun(h.db, OTHER, run.id, { status: "failed" })).toBe(false);
    expect(await updateSyncRun(h.db, SHOP, run.id, { status: "running", rowsDone: 5 })).toBe(true);
    for (let i = 0; i < 4; i++) await createModelRun(h.db, SHOP, { status: "completed", promoted: i === 0 });
    expect(await pruneModelRuns(h.db, SHOP, 2)).toBe(1);

    await upsertOrderIfNewer(h.db, OTHER, order("1", null, "05"));
    const erased = await eraseShop(h.db, SHOP);
    expect(erased.order).toBeGreaterThan(0);
    expect(await countOrders(h.db, SHOP)).toBe(0);
    expect(await countOrders(h.db, OTHER)).toBe(1);
  });
});
