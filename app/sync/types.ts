/**
 * The app's own model of Shopify data, shared by the backfill (GraphQL, camelCase, GIDs) and the
 * webhooks (REST payloads, snake_case, numeric ids). One normaliser per source maps into these.
 * Privacy: only what the models need — no names, emails, phones or addresses.
 */

export interface NormalizedCustomer {
  /** Numeric Shopify id as a string (GID suffix), e.g. "7408938090753". */
  id: string;
  shopifyCreatedAt: Date | null;
  /** Used for "apply only if newer". */
  shopifyUpdatedAt: Date | null;
  state: string | null;
  /** ISO country code of the default address (country only, never the address). */
  countryCode: string | null;
  tags: string[];
  predictedSpendTier: string | null;
}

export interface NormalizedOrder {
  id: string;
  customerId: string | null;
  /** Order name like "#1001" (not PII). */
  name: string | null;
  processedAt: Date;
  shopifyCreatedAt: Date | null;
  shopifyUpdatedAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  financialStatus: string | null;
  /** Shop currency. */
  currencyCode: string;
  presentmentCurrencyCode: string | null;
  subtotal: number;
  /** Subtotal after returns/edits (revenue definition for CLV). */
  currentSubtotal: number;
  total: number;
  totalDiscounts: number;
  totalRefunded: number;
  presentmentTotal: number | null;
  sourceName: string | null;
  countryCode: string | null;
  discountCodes: string[];
  productIds: string[];
  lineItemCount: number;
}

export interface NormalizedRefund {
  id: string;
  orderId: string;
  processedAt: Date;
  /** Refunded amount in shop currency. */
  amount: number;
  currencyCode: string | null;
}

/** "gid://shopify/Order/123" → "123"; numeric ids pass through as strings. */
export function shopifyIdOf(gidOrId: string | number): string {
  const s = String(gidOrId);
  const slash = s.lastIndexOf("/");
  const tail = slash >= 0 ? s.slice(slash + 1) : s;
  const q = tail.indexOf("?");
  return q >= 0 ? tail.slice(0, q) : tail;
}
