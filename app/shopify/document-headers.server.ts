/**
 * Headers every HTML document carries. Shopify's `addDocumentResponseHeaders` sets the embedded
 * app's CSP `frame-ancestors` only when the request names a valid `?shop=`; documents without it
 * (client-side navigations, the landing page, demo pages) get a policy that still allows only the
 * Shopify admin (and the shop, when known) to frame the app.
 */

import { normalizeShopDomain } from "~/shopify/shop-domain";

const ADMIN_ORIGINS = "https://admin.shopify.com https://*.spin.dev https://admin.myshopify.io https://admin.shop.dev";

/** The `frame-ancestors` policy for a shop (or for any Shopify admin when the shop is unknown). */
export function frameAncestorsPolicy(shop: string | null | undefined): string {
  const valid = normalizeShopDomain(shop);
  return `frame-ancestors ${valid ? `https://${valid} ` : ""}${ADMIN_ORIGINS};`;
}

/**
 * Completes `headers` for an HTML document: keeps a CSP already set by Shopify's helper,
 * otherwise sets `frame-ancestors` for `fallbackShop`; adds nosniff and a referrer policy.
 */
export function completeDocumentHeaders(headers: Headers, fallbackShop: string | null): void {
  if (!headers.has("Content-Security-Policy"))
    headers.set("Content-Security-Policy", frameAncestorsPolicy(fallbackShop));
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
}
