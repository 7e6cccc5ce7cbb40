/**
 * A shop's permanent domain, "<name>.myshopify.com": the key every query is scoped by. Shopify
 * issues these in lower case; `isShopDomain` accepts exactly that form, `normalizeShopDomain`
 * also accepts any case (headers, query strings typed by people) and returns the lower-case form.
 */
const SHOP_DOMAIN_RE = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** True for a lower-case "<name>.myshopify.com" domain. */
export function isShopDomain(value: unknown): value is string {
  return typeof value === "string" && SHOP_DOMAIN_RE.test(value);
}

/** The lower-case domain when `value` is a shop domain in any case, else null. */
export function normalizeShopDomain(value: string | null | undefined): string | null {
  const lower = value?.toLowerCase();
  return isShopDomain(lower) ? lower : null;
}
