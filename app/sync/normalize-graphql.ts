/**
 * GraphQL (camelCase, GIDs, MoneyBags) → the app's model (`NormalizedCustomer/Order/Refund`).
 * Used by the bulk backfill (JSONL lines) and by reconciliation (paginated pages) alike.
 * Money: shop currency from `…Set.shopMoney`, presentment total from `totalPriceSet.presentmentMoney`.
 * Enum values stay upper-case (GraphQL style; the REST normaliser upper-cases "partially_refunded" to match).
 * Bad input throws a `NormalizeError` naming the object and the field.
 */
import { shopifyIdOf, type NormalizedCustomer, type NormalizedOrder, type NormalizedRefund } from "./types";

/** A GraphQL object that does not have the shape the app needs. */
export class NormalizeError extends Error {
  constructor(
    readonly objectId: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${objectId}: ${field} ${detail}`);
    this.name = "NormalizeError";
  }
}

type Obj = Record<string, unknown>;
interface Money {
  amount?: unknown;
  currencyCode?: unknown;
}
interface MoneyBag {
  shopMoney?: Money | null;
  presentmentMoney?: Money | null;
}

/** A GraphQL line item (bulk child line or connection node). */
export interface GraphqlLineItem {
  id?: string;
  quantity?: number;
  product?: { id?: string } | null;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function requireGid(o: Obj, type: string): string {
  const id = o.id;
  if (typeof id !== "string" || !new RegExp(`^gid://shopify/${type}/\\d+`).test(id)) {
    throw new NormalizeError(`${type} ${JSON.stringify(id ?? null)}`, "id", `must be a gid://shopify/${type}/<number>`);
  }
  return id;
}

function date(who: string, o: Obj, field: string, required: true): Date;
function date(who: string, o: Obj, field: string, required: false): Date | null;
function date(who: string, o: Obj, field: string, required: boolean): Date | null {
  const v = o[field];
  if (v === null || v === undefined) {
    if (required) throw new NormalizeError(who, field, "is missing");
    return null;
  }
  const d = typeof v === "string" ? new Date(v) : null;
  if (!d || Number.isNaN(d.getTime()))
    throw new NormalizeError(who, field, `is not a valid date: ${JSON.stringify(v)}`);
  return d;
}

function amount(
  who: string,
  bag: unknown,
  field: string,
  side: "shopMoney" | "presentmentMoney",
  required: boolean,
): number | null {
  if (bag === null || bag === undefined) {
    if (required) throw new NormalizeError(who, field, "is missing");
    return null;
  }
  const m = isObj(bag) ? (bag as MoneyBag)[side] : undefined;
  const raw = m?.amount;
  const n = typeof raw === "string" || typeof raw === "number" ? Number(raw) : NaN;
  if (!Number.isFinite(n))
    throw new NormalizeError(who, `${field}.${side}.amount`, `is not a decimal: ${JSON.stringify(raw ?? null)}`);
  return n;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const upper = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v.toUpperCase() : null);

/** Normalises a GraphQL `Customer`. */
export function normalizeGraphqlCustomer(node: unknown): NormalizedCustomer {
  if (!isObj(node)) throw new NormalizeError("Customer", "node", "is not an object");
  const gid = requireGid(node, "Customer");
  const tags = node.tags;
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === "string")))
    throw new NormalizeError(gid, "tags", "must be a list of strings");
  const addr = isObj(node.defaultAddress) ? node.defaultAddress : null;
  const stats = isObj(node.statistics) ? node.statistics : null;
  return {
    id: shopifyIdOf(gid),
    shopifyCreatedAt: date(gid, node, "createdAt", false),
    shopifyUpdatedAt: date(gid, node, "updatedAt", true),
    state: upper(node.state),
    countryCode: str(addr?.countryCodeV2),
    tags: (tags as string[] | undefined) ?? [],
    predictedSpendTier: str(stats?.predictedSpendTier),
  };
}

/** Normalises one `Refund` of an order. */
export function normalizeGraphqlRefund(orderId: string, r: unknown): NormalizedRefund {
  if (!isObj(r)) throw new NormalizeError(`Order ${orderId}`, "refunds[]", "is not an object");
  const gid = requireGid(r, "Refund");
  const processedAt = date(gid, r, "processedAt", false) ?? date(gid, r, "createdAt", true);
  const bag = r.totalRefundedSet as MoneyBag | undefined;
  return {
    id: shopifyIdOf(gid),
    orderId,
    processedAt,
    amount: amount(gid, bag, "totalRefundedSet", "shopMoney", true)!,
    currencyCode: str(bag?.shopMoney?.currencyCode),
  };
}

/**
 * Normalises a GraphQL `Order` plus its line items (bulk child lines or connection nodes) into the
 * order and its refunds.
 */
export function normalizeGraphqlOrder(
  node: unknown,
  lineItems: readonly GraphqlLineItem[],
): { order: NormalizedOrder; refunds: NormalizedRefund[] } {
  if (!isObj(node)) throw new NormalizeError("Order", "node", "is not an object");
  const gid = requireGid(node, "Order");
  const id = shopifyIdOf(gid);
  const customer = isObj(node.customer) ? node.customer : null;
  if (customer && typeof customer.id !== "string") throw new NormalizeError(gid, "customer.id", "is missing");
  const address = isObj(node.billingAddress)
    ? node.billingAddress
    : isObj(node.shippingAddress)
      ? node.shippingAddress
      : null;
  const total = node.totalPriceSet as MoneyBag | undefined;
  const currency = str(total?.shopMoney?.currencyCode) ?? str(node.currencyCode);
  if (!currency) throw new NormalizeError(gid, "currencyCode", "is missing");
  const codes = node.discountCodes;
  if (codes !== undefined && !(Array.isArray(codes) && codes.every((c) => typeof c === "string")))
    throw new NormalizeError(gid, "discountCodes", "must be a list of strings");
  const refundsRaw = node.refunds ?? [];
  if (!Array.isArray(refundsRaw)) throw new NormalizeError(gid, "refunds", "must be a list");
  const productIds = new Set<string>();
  for (const li of lineItems) if (li.product?.id) productIds.add(shopifyIdOf(li.product.id));
  if (typeof node.test !== "boolean") throw new NormalizeError(gid, "test", "must be a boolean");
  const order: NormalizedOrder = {
    id,
    customerId: customer ? shopifyIdOf(customer.id as string) : null,
    name: str(node.name),
    processedAt: date(gid, node, "processedAt", true),
    shopifyCreatedAt: date(gid, node, "createdAt", false),
    shopifyUpdatedAt: date(gid, node, "updatedAt", true),
    cancelledAt: date(gid, node, "cancelledAt", false),
    test: node.test,
    financialStatus: upper(node.displayFinancialStatus),
    currencyCode: currency,
    presentmentCurrencyCode: str(total?.presentmentMoney?.currencyCode) ?? str(node.presentmentCurrencyCode),
    subtotal: amount(gid, node.subtotalPriceSet, "subtotalPriceSet", "shopMoney", false) ?? 0,
    currentSubtotal: amount(gid, node.currentSubtotalPriceSet, "currentSubtotalPriceSet", "shopMoney", true)!,
    total: amount(gid, total, "totalPriceSet", "shopMoney", true)!,
    totalDiscounts: amount(gid, node.totalDiscountsSet, "totalDiscountsSet", "shopMoney", false) ?? 0,
    totalRefunded: amount(gid, node.totalRefundedSet, "totalRefundedSet", "shopMoney", false) ?? 0,
    presentmentTotal: total?.presentmentMoney ? amount(gid, total, "totalPriceSet", "presentmentMoney", false) : null,
    sourceName: str(node.sourceName),
    countryCode: str(address?.countryCodeV2),
    discountCodes: (codes as string[] | undefined) ?? [],
    productIds: [...productIds],
    lineItemCount: lineItems.length,
  };
  return { order, refunds: refundsRaw.map((r) => normalizeGraphqlRefund(id, r)) };
}
