import { describe, expect, it } from "vitest";
import { NormalizeError, normalizeGraphqlCustomer, normalizeGraphqlOrder } from "./normalize-graphql";
import { splitLines } from "~/shopify/jsonl.server";

const bag = (shop: string, pres = shop, cur = "USD", pcur = "EUR") => ({
  shopMoney: { amount: shop, currencyCode: cur },
  presentmentMoney: { amount: pres, currencyCode: pcur },
});

/** An order as the bulk JSONL line (or a connection node) carries it. */
function orderNode(over: Record<string, unknown> = {}) {
  return {
    id: "gid://shopify/Order/1001",
    name: "#1001",
    createdAt: "2025-03-01T10:00:00Z",
    updatedAt: "2025-03-05T10:00:00Z",
    processedAt: "2025-03-01T09:59:00Z",
    cancelledAt: null,
    test: false,
    displayFinancialStatus: "PARTIALLY_REFUNDED",
    currencyCode: "USD",
    presentmentCurrencyCode: "EUR",
    sourceName: "web",
    discountCodes: ["VIP20"],
    customer: { id: "gid://shopify/Customer/77" },
    billingAddress: { countryCodeV2: "DE" },
    shippingAddress: { countryCodeV2: "FR" },
    subtotalPriceSet: bag("100.00"),
    currentSubtotalPriceSet: bag("80.00"),
    totalPriceSet: bag("110.50", "101.66"),
    totalDiscountsSet: bag("10.00"),
    totalRefundedSet: bag("20.00"),
    refunds: [
      {
        id: "gid://shopify/Refund/9",
        createdAt: "2025-03-05T10:00:00Z",
        processedAt: null,
        totalRefundedSet: bag("20.00"),
      },
    ],
    ...over,
  };
}

describe("normalizeGraphqlOrder", () => {
  it("maps MoneyBags (shop money), GIDs, enums and line items into the app model", () => {
    const { order, refunds } = normalizeGraphqlOrder(orderNode(), [
      { id: "gid://shopify/LineItem/1", quantity: 2, product: { id: "gid://shopify/Product/500" } },
      { id: "gid://shopify/LineItem/2", quantity: 1, product: null },
      { id: "gid://shopify/LineItem/3", quantity: 1, product: { id: "gid://shopify/Product/500" } },
    ]);
    expect(order).toEqual({
      id: "1001",
      customerId: "77",
      name: "#1001",
      processedAt: new Date("2025-03-01T09:59:00Z"),
      shopifyCreatedAt: new Date("2025-03-01T10:00:00Z"),
      shopifyUpdatedAt: new Date("2025-03-05T10:00:00Z"),
      cancelledAt: null,
      test: false,
      financialStatus: "PARTIALLY_REFUNDED",
      currencyCode: "USD",
      presentmentCurrencyCode: "EUR",
      subtotal: 100,
      currentSubtotal: 80,
      total: 110.5,
      totalDiscounts: 10,
      totalRefunded: 20,
      presentmentTotal: 101.66,
      sourceName: "web",
      countryCode: "DE",
      discountCodes: ["VIP20"],
      productIds: ["500"],
      lineItemCount: 3,
    });
    expect(refunds).toEqual([
      { id: "9", orderId: "1001", processedAt: new Date("2025-03-05T10:00:00Z"), amount: 20, currencyCode: "USD" },
    ]);
  });

  it("keeps guest and cancelled orders (customer null, cancelledAt set)", () => {
    const { order } = normalizeGraphqlOrder(
      orderNode({
        customer: null,
        cancelledAt: "2025-03-02T00:00:00Z",
        subtotalPriceSet: null,
        totalDiscountsSet: null,
      }),
      [],
    );
    expect(order.customerId).toBeNull();
    expect(order.cancelledAt).toEqual(new Date("2025-03-02T00:00:00Z"));
    expect(order.subtotal).toBe(0);
    expect(order.lineItemCount).toBe(0);
  });

  it("names the object and the field on bad input", () => {
    expect(() =>
      normalizeGraphqlOrder(orderNode({ totalPriceSet: { shopMoney: { amount: "abc", currencyCode: "USD" } } }), []),
    ).toThrow('gid://shopify/Order/1001: totalPriceSet.shopMoney.amount is not a decimal: "abc"');
    expect(() => normalizeGraphqlOrder(orderNode({ updatedAt: "yesterday" }), [])).toThrow(
      /gid:\/\/shopify\/Order\/1001: updatedAt is not a valid date/,
    );
    expect(() => normalizeGraphqlOrder(orderNode({ processedAt: null }), [])).toThrow(/processedAt is missing/);
    expect(() => normalizeGraphqlOrder(orderNode({ id: "123" }), [])).toThrow(NormalizeError);
    expect(() => normalizeGraphqlOrder(orderNode({ test: "no" }), [])).toThrow(/test must be a boolean/);
    expect(() =>
      normalizeGraphqlOrder(
        orderNode({ refunds: [{ id: "gid://shopify/Refund/1", createdAt: "2025-01-01T00:00:00Z" }] }),
        [],
      ),
    ).toThrow(/Refund\/1: totalRefundedSet is missing/);
  });
});

describe("normalizeGraphqlCustomer", () => {
  it("keeps only non-PII fields", () => {
    const c = normalizeGraphqlCustomer({
      id: "gid://shopify/Customer/77",
      createdAt: "2024-01-01T00:00:00Z",
      updatedAt: "2025-01-01T00:00:00Z",
      state: "ENABLED",
      tags: ["vip"],
      defaultAddress: { countryCodeV2: "CA" },
      statistics: { predictedSpendTier: "HIGH" },
      email: "x@example.com",
    });
    expect(c).toEqual({
      id: "77",
      shopifyCreatedAt: new Date("2024-01-01T00:00:00Z"),
      shopifyUpdatedAt: new Date("2025-01-01T00:00:00Z"),
      state: "ENABLED",
      countryCode: "CA",
      tags: ["vip"],
      predictedSpendTier: "HIGH",
    });
    expect(JSON.stringify(c)).not.toContain("example.com");
  });

  it("rejects a missing updatedAt and non-string tags", () => {
    expect(() => normalizeGraphqlCustomer({ id: "gid://shopify/Customer/1", tags: [] })).toThrow(
      "gid://shopify/Customer/1: updatedAt is missing",
    );
    expect(() =>
      normalizeGraphqlCustomer({ id: "gid://shopify/Customer/1", updatedAt: "2025-01-01T00:00:00Z", tags: [1] }),
    ).toThrow(/tags must be a list of strings/);
  });
});

describe("splitLines", () => {
  it("splits chunked bytes into lines across chunk borders, with \\r\\n and no final newline", async () => {
    const enc = new TextEncoder();
    async function* chunks() {
      yield enc.encode('{"a":1}\r\n{"b":');
      yield enc.encode('2}\n\n{"c":"é');
      yield enc.encode('"}');
    }
    const out: string[] = [];
    for await (const l of splitLines(chunks())) out.push(l);
    expect(out).toEqual(['{"a":1}', '{"b":2}', "", '{"c":"é"}']);
  });
});
