/**
 * The raw multi-row batch upserts keep the single-row rules on both providers: strictly newer
 * wins, equal is a no-op, tombstones hold, null timestamps; values written raw read back through
 * Prisma exactly (dates, booleans, nulls), and rows written by Prisma compare correctly with raw ones.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NormalizedCustomer, NormalizedOrder } from "~/sync/types";
import { createTestDb, testProviders, type TestDb } from "~/db/test-db";
import {
  getCustomer,
  getOrder,
  markCustomerDeleted,
  markOrderDeleted,
  upsertCustomerIfNewer,
  upsertCustomersIfNewer,
  upsertOrderIfNewer,
  upsertOrdersIfNewer,
  setCustomersTags,
} from "./index.server";

const SHOP = "batch-upsert.myshopify.com";
const OTHER = "batch-other.myshopify.com";
const t = (s: string) => new Date(`2026-02-${s}T10:20:30.456Z`);

const cust = (id: string, updated: string | null, extra: Partial<NormalizedCustomer> = {}): NormalizedCustomer => ({
  id,
  shopifyCreatedAt: t("01"),
  shopifyUpdatedAt: updated === null ? null : t(updated),
  state: "ENABLED",
  countryCode: "DE",
  tags: ["vip", "x"],
  predictedSpendTier: "HIGH",
  ...extra,
});

const order = (id: string, updated: string, total: number, extra: Partial<NormalizedOrder> = {}): NormalizedOrder => ({
  id,
  customerId: "1",
  name: `#${id}`,
  processedAt: t("02"),
  shopifyCreatedAt: t("02"),
  shopifyUpdatedAt: t(updated),
  cancelledAt: null,
  test: false,
  financialStatus: "paid",
  currencyCode: "EUR",
  presentmentCurrencyCode: "USD",
  subtotal: total,
  currentSubtotal: total,
  total,
  totalDiscounts: 0.5,
  totalRefunded: 0,
  presentmentTotal: null,
  sourceName: "web",
  countryCode: null,
  discountCodes: ["A"],
  productIds: ["7", "8"],
  lineItemCount: 3,
  ...extra,
});

describe.each(await testProviders())("raw batch upserts on %s", (provider) => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb(provider);
  });
  afterAll(async () => h?.destroy());

  it("orders: insert, newer-only update, equal no-op, tombstones, exact round trip", async () => {
    expect(await upsertOrderIfNewer(h.db, SHOP, order("1", "05", 10))).toBe("applied"); // written by Prisma
    await upsertOrderIfNewer(h.db, SHOP, order("3", "05", 30));
    expect(await markOrderDeleted(h.db, SHOP, "3", t("08"))).toBe("applied");
    const r = await upsertOrdersIfNewer(h.db, SHOP, [
      order("1", "05", 11), // equal timestamp: no-op
      order("2", "05", 20, { test: true, cancelledAt: t("06"), presentmentTotal: 19.99 }), // new
      order("3", "07", 31), // at/before its tombstone: refused
      order("4", "05", 40),
      order("4", "06", 41), // same id twice in a batch: the newest wins
    ]);
    expect(r).toEqual({ applied: 2, skipped: 3 });
    expect((await getOrder(h.db, SHOP, "1"))?.total).toBe(10);
    expect((await getOrder(h.db, SHOP, "3"))?.total).toBe(30);
    expect((await getOrder(h.db, SHOP, "4"))?.total).toBe(41);
    expect(await getOrder(h.db, SHOP, "2")).toMatchObject({
      shop: SHOP,
      customerId: "1",
      processedAt: t("02"),
      shopifyUpdatedAt: t("05"),
      cancelledAt: t("06"),
      test: true,
      presentmentTotal: 19.99,
      totalDiscounts: 0.5,
      countryCode: null,
      discountCodes: '["A"]',
      productIds: '["7","8"]',
      lineItemCount: 3,
      deletedAt: null,
    });
    expect(await getOrder(h.db, OTHER, "2")).toBeNull();

    const before = (await getOrder(h.db, SHOP, "2"))!;
    expect(
      await upsertOrdersIfNewer(h.db, SHOP, [order("1", "06", 12), order("2", "04", 0), order("3", "09", 32)]),
    ).toEqual({ applied: 2, skipped: 1 });
    expect((await getOrder(h.db, SHOP, "1"))?.total).toBe(12);
    expect(await getOrder(h.db, SHOP, "3")).toMatchObject({ total: 32, deletedAt: null }); // newer than the tombstone: lives again
    expect((await getOrder(h.db, SHOP, "2"))!.updatedAt).toEqual(before.updatedAt);
    // a raw-written row then compares correctly on the single-row (Prisma) path
    expect(await upsertOrderIfNewer(h.db, SHOP, order("2", "05", 99))).toBe("skipped");
    expect(await upsertOrderIfNewer(h.db, SHOP, order("2", "06", 99))).toBe("applied");
  });

  it("customers: the single-row rule, including null timestamps and tombstones", async () => {
    await upsertCustomerIfNewer(h.db, SHOP, cust("10", "05", { countryCode: "FR" }));
    await markCustomerDeleted(h.db, SHOP, "11", t("08"));
    await upsertCustomerIfNewer(h.db, SHOP, cust("12", null, { countryCode: "IT" }));
    const r = await upsertCustomersIfNewer(h.db, SHOP, [
      cust("10", "05", { countryCode: "US" }), // equal: no-op
      cust("11", "07"), // before its tombstone: refused
      cust("12", null, { countryCode: "ES" }), // null over null: applies
      cust("13", null, { tags: [], predictedSpendTier: null, state: null }), // new without a timestamp
      cust("14", "03"),
    ]);
    expect(r).toEqual({ applied: 3, skipped: 2 });
    expect((await getCustomer(h.db, SHOP, "10"))?.countryCode).toBe("FR");
    expect((await getCustomer(h.db, SHOP, "11"))?.deletedAt).toEqual(t("08"));
    expect((await getCustomer(h.db, SHOP, "12"))?.countryCode).toBe("ES");
    expect(await getCustomer(h.db, SHOP, "13")).toMatchObject({
      shopifyUpdatedAt: null,
      tags: "",
      predictedSpendTier: null,
      state: null,
    });
    expect(await getCustomer(h.db, SHOP, "14")).toMatchObject({
      shopifyCreatedAt: t("01"),
      shopifyUpdatedAt: t("03"),
      tags: "vip, x",
      predictedSpendTier: "HIGH",
    });

    expect(
      await upsertCustomersIfNewer(h.db, SHOP, [
        cust("10", "06", { countryCode: "US" }),
        cust("11", "09"),
        cust("12", "01"),
        cust("14", null),
      ]),
    ).toEqual({ applied: 3, skipped: 1 });
    expect((await getCustomer(h.db, SHOP, "10"))?.countryCode).toBe("US");
    expect(await getCustomer(h.db, SHOP, "11")).toMatchObject({ deletedAt: null, countryCode: "DE" });
    expect((await getCustomer(h.db, SHOP, "12"))?.shopifyUpdatedAt).toEqual(t("01")); // a timestamp beats none
    expect((await getCustomer(h.db, SHOP, "14"))?.shopifyUpdatedAt).toEqual(t("03")); // none never beats one
    expect(await upsertCustomerIfNewer(h.db, SHOP, cust("14", "03"))).toBe("skipped");
    expect(await upsertCustomerIfNewer(h.db, SHOP, cust("14", "04"))).toBe("applied");
  });

  it("setCustomersTags sets the listed customers of the shop only", async () => {
    await upsertCustomersIfNewer(h.db, SHOP, [cust("20", "05"), cust("21", "05"), cust("22", "05")]);
    await upsertCustomersIfNewer(h.db, OTHER, [cust("20", "05")]);
    expect(await setCustomersTags(h.db, SHOP, "vip, clv:gold", ["20", "21", "99"])).toBe(2);
    expect((await getCustomer(h.db, SHOP, "20"))?.tags).toBe("vip, clv:gold");
    expect((await getCustomer(h.db, SHOP, "22"))?.tags).toBe("vip, x");
    expect((await getCustomer(h.db, OTHER, "20"))?.tags).toBe("vip, x");
    await expect(setCustomersTags(h.db, SHOP, "x", ["1; DROP"])).rejects.toThrow(/numeric Shopify id/);
  });
});
