/**
 * The fake Admin API's in-memory store: customers, orders (line items, refunds, discounts, multiple
 * currencies), a logical clock for `updatedAt`, and mutation helpers that return the REST webhook
 * events Shopify would send for the same change — so a test always has a ground truth.
 *
 * Money is held in integer cents (shop currency); presentment amounts are derived with the order's
 * exchange rate. Test fixture and demo engine only: never imported by app code.
 */
import { ActionsState } from "./actions";
import {
  orderAmounts,
  type FakeCustomer,
  type FakeLineItem,
  type FakeOrder,
  type FakeRefund,
  type FakeShopInfo,
} from "./records";
import { customerToRest, orderToRest, refundToRest } from "./rest-payloads";
import type { WebhookEvent } from "./webhook-sender";

export * from "./records";

/** The in-memory store with a monotonic logical clock and webhook-producing mutations. */
export class FakeStore {
  readonly customers = new Map<number, FakeCustomer>();
  readonly orders = new Map<number, FakeOrder>();
  /** Segments, discounts and Flow events the app created (actions.ts), with their call log. */
  readonly actions = new ActionsState();
  get segments() {
    return this.actions.segments;
  }
  private nextIdValue = 5_000_000_000;
  private clock: number;
  private orderNumber = 1000;

  constructor(
    readonly shop: FakeShopInfo,
    clockStart = new Date("2026-01-01T00:00:00Z"),
  ) {
    this.clock = clockStart.getTime();
  }

  /** A fresh numeric id (Shopify-like magnitude). */
  nextId(): number {
    return this.nextIdValue++;
  }

  /** Next order number / name. */
  nextOrderNumber(): number {
    return ++this.orderNumber;
  }

  /** Advances the logical clock by one second and returns it (monotonic `updatedAt`). */
  tick(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }

  /** Current logical time. */
  now(): Date {
    return new Date(this.clock);
  }

  /** Moves the clock forward to at least `d` (used by generators that create history). */
  advanceTo(d: Date): void {
    this.clock = Math.max(this.clock, d.getTime());
  }

  /** Adds a generated customer without emitting webhooks. */
  putCustomer(c: FakeCustomer): void {
    this.customers.set(c.id, c);
  }

  /** Adds a generated order without emitting webhooks. */
  putOrder(o: FakeOrder): void {
    this.orders.set(o.id, o);
  }

  private event(topic: string, payload: unknown): WebhookEvent {
    return { topic, shop: this.shop.domain, payload, triggeredAt: this.now().toISOString() };
  }

  /** Creates a customer → `customers/create`. */
  createCustomer(init: Partial<FakeCustomer> = {}): { customer: FakeCustomer; events: WebhookEvent[] } {
    const at = this.tick();
    const id = init.id ?? this.nextId();
    const customer: FakeCustomer = {
      id,
      createdAt: at,
      updatedAt: at,
      state: "ENABLED",
      tags: [],
      countryCode: "US",
      predictedSpendTier: null,
      firstName: "Test",
      lastName: `Customer ${id}`,
      email: `c${id}@example.com`,
      metafields: new Map(),
      ...init,
    };
    this.customers.set(id, customer);
    return { customer, events: [this.event("customers/create", customerToRest(this, customer))] };
  }

  /** Updates a customer → `customers/update`. */
  updateCustomer(
    id: number,
    patch: Partial<Pick<FakeCustomer, "state" | "tags" | "countryCode" | "predictedSpendTier">>,
  ): WebhookEvent[] {
    const c = this.mustCustomer(id);
    Object.assign(c, patch, { updatedAt: this.tick() });
    return [this.event("customers/update", customerToRest(this, c))];
  }

  /** Deletes a customer (orders keep existing as guest orders) → `customers/delete`. */
  deleteCustomer(id: number): WebhookEvent[] {
    this.mustCustomer(id);
    this.customers.delete(id);
    this.tick();
    return [this.event("customers/delete", { id, admin_graphql_api_id: `gid://shopify/Customer/${id}` })];
  }

  /** Creates an order → `orders/create` (plus `customers/update`, as Shopify updates order counts). */
  createOrder(init: Partial<FakeOrder> & { lineItems: FakeLineItem[] }): { order: FakeOrder; events: WebhookEvent[] } {
    const at = this.tick();
    const number = this.nextOrderNumber();
    const order: FakeOrder = {
      id: this.nextId(),
      number,
      name: `#${number}`,
      customerId: null,
      createdAt: at,
      updatedAt: at,
      processedAt: at,
      cancelledAt: null,
      cancelReason: null,
      test: false,
      currency: this.shop.currencyCode,
      presentmentCurrency: this.shop.currencyCode,
      fxRate: 1,
      refunds: [],
      discountCodes: [],
      totalDiscountCents: 0,
      totalTaxCents: 0,
      totalShippingCents: 0,
      sourceName: "web",
      countryCode: "US",
      tags: [],
      financialStatus: "paid",
      ...init,
    };
    this.orders.set(order.id, order);
    const events = [this.event("orders/create", orderToRest(this, order))];
    if (order.customerId !== null && this.customers.has(order.customerId)) {
      const c = this.customers.get(order.customerId)!;
      c.updatedAt = this.tick();
      events.push(this.event("customers/update", customerToRest(this, c)));
    }
    return { order, events };
  }

  /** Cancels an order (full refund of what is left) → `refunds/create`, `orders/cancelled`, `orders/updated`. */
  cancelOrder(id: number, reason = "customer"): WebhookEvent[] {
    const o = this.mustOrder(id);
    const left = orderAmounts(o).total - orderAmounts(o).refunded;
    const events: WebhookEvent[] = [];
    if (left > 0) events.push(...this.refundOrder(id, left).filter((e) => e.topic === "refunds/create"));
    o.cancelledAt = this.tick();
    o.cancelReason = reason;
    o.updatedAt = o.cancelledAt;
    o.financialStatus = left > 0 ? "refunded" : "voided";
    const rest = orderToRest(this, o);
    events.push(this.event("orders/cancelled", rest), this.event("orders/updated", rest));
    return events;
  }

  /** Refunds an amount (shop cents) → `refunds/create` + `orders/updated`. */
  refundOrder(id: number, amountCents: number): WebhookEvent[] {
    const o = this.mustOrder(id);
    const at = this.tick();
    const refund: FakeRefund = { id: this.nextId(), createdAt: at, processedAt: at, amountCents };
    o.refunds.push(refund);
    o.updatedAt = at;
    const a = orderAmounts(o);
    o.financialStatus = a.refunded >= a.total ? "refunded" : "partially_refunded";
    return [
      this.event("refunds/create", refundToRest(this, o, refund)),
      this.event("orders/updated", orderToRest(this, o)),
    ];
  }

  /** Edits an order (e.g. tags, source) → `orders/updated`. */
  updateOrder(
    id: number,
    patch: Partial<Pick<FakeOrder, "tags" | "sourceName" | "financialStatus" | "customerId">>,
  ): WebhookEvent[] {
    const o = this.mustOrder(id);
    Object.assign(o, patch, { updatedAt: this.tick() });
    return [this.event("orders/updated", orderToRest(this, o))];
  }

  /** Deletes an order → `orders/delete`. */
  deleteOrder(id: number): WebhookEvent[] {
    this.mustOrder(id);
    this.orders.delete(id);
    this.tick();
    return [this.event("orders/delete", { id })];
  }

  mustCustomer(id: number): FakeCustomer {
    const c = this.customers.get(id);
    if (!c) throw new Error(`fake store: no customer ${id}`);
    return c;
  }

  mustOrder(id: number): FakeOrder {
    const o = this.orders.get(id);
    if (!o) throw new Error(`fake store: no order ${id}`);
    return o;
  }

  /**
   * Ground truth for assertions, in the app's definitions: non-test orders only, money in shop
   * currency, revenue = current subtotal (cancelled orders included with their own amounts).
   */
  totals() {
    let orders = 0,
      testOrders = 0,
      cancelled = 0,
      guest = 0,
      refunds = 0;
    let subtotalCents = 0,
      currentSubtotalCents = 0,
      totalCents = 0,
      refundedCents = 0,
      lineItems = 0;
    for (const o of this.orders.values()) {
      if (o.test) {
        testOrders++;
        continue;
      }
      const a = orderAmounts(o);
      orders++;
      if (o.cancelledAt) cancelled++;
      if (o.customerId === null) guest++;
      refunds += o.refunds.length;
      subtotalCents += a.subtotal;
      currentSubtotalCents += a.currentSubtotal;
      totalCents += a.total;
      refundedCents += a.refunded;
      lineItems += o.lineItems.length;
    }
    return {
      customers: this.customers.size,
      orders,
      testOrders,
      cancelled,
      guest,
      refunds,
      lineItems,
      subtotal: subtotalCents / 100,
      currentSubtotal: currentSubtotalCents / 100,
      total: totalCents / 100,
      refunded: refundedCents / 100,
    };
  }
}
