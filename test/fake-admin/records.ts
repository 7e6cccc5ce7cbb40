/**
 * The fake Admin API's records (customers, orders, line items, refunds, metafields, segments, shop
 * info) and the pure helpers on them (timestamps, derived amounts). Split from store.ts so the REST
 * payload builders and the store both depend on them without depending on each other.
 */
export type CustomerStateValue = "ENABLED" | "DISABLED" | "INVITED" | "DECLINED";
export type SpendTier = "HIGH" | "MEDIUM" | "LOW";

/** A customer as the fake store holds it (PII is fake and lives only here, never in the app). */
export interface FakeCustomer {
  id: number;
  createdAt: Date;
  updatedAt: Date;
  state: CustomerStateValue;
  tags: string[];
  countryCode: string | null;
  predictedSpendTier: SpendTier | null;
  firstName: string;
  lastName: string;
  email: string;
  /** "namespace.key" → metafield. */
  metafields: Map<string, FakeMetafield>;
}

export interface FakeMetafield {
  id: number;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface FakeLineItem {
  id: number;
  productId: number | null;
  title: string;
  quantity: number;
  /** Unit price in shop-currency cents. */
  unitPriceCents: number;
}

export interface FakeRefund {
  id: number;
  createdAt: Date;
  processedAt: Date;
  /** Refunded amount in shop-currency cents. */
  amountCents: number;
}

export interface FakeOrder {
  id: number;
  number: number;
  name: string;
  customerId: number | null;
  createdAt: Date;
  updatedAt: Date;
  processedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  test: boolean;
  /** Shop currency (all *Cents fields are in it). */
  currency: string;
  presentmentCurrency: string;
  /** Presentment units per shop unit. */
  fxRate: number;
  lineItems: FakeLineItem[];
  refunds: FakeRefund[];
  discountCodes: string[];
  totalDiscountCents: number;
  totalTaxCents: number;
  totalShippingCents: number;
  sourceName: string;
  countryCode: string | null;
  tags: string[];
  /** REST-style financial status: paid, pending, refunded, partially_refunded, voided. */
  financialStatus: string;
}

export interface FakeSegment {
  id: number;
  name: string;
  query: string;
  createdAt: Date;
  updatedAt?: Date;
}

/** Shop-level facts served by `shop { … }`. */
export interface FakeShopInfo {
  domain: string;
  name: string;
  id: number;
  currencyCode: string;
  ianaTimezone: string;
  /** Primary locale served by `shopLocales` (default "en"). */
  primaryLocale?: string;
}

/** Shopify-style timestamp: ISO 8601 in UTC with second precision ("2026-01-01T00:00:00Z"). */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Truncates a time (ms) to whole seconds, as Shopify stores timestamps. */
export function toSecond(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

/** Derived order amounts in shop-currency cents. */
export function orderAmounts(o: FakeOrder) {
  const lines = o.lineItems.reduce((s, li) => s + li.unitPriceCents * li.quantity, 0);
  const subtotal = Math.max(0, lines - o.totalDiscountCents);
  const total = subtotal + o.totalTaxCents + o.totalShippingCents;
  const refunded = o.refunds.reduce((s, r) => s + r.amountCents, 0);
  return {
    lineItemsTotal: lines,
    subtotal,
    total,
    refunded,
    currentSubtotal: Math.max(0, subtotal - refunded),
    currentTotal: Math.max(0, total - refunded),
  };
}

/** Presentment-currency cents for a shop-currency amount of an order. */
export function presentmentCents(o: FakeOrder, cents: number): number {
  return Math.round(cents * o.fxRate);
}
