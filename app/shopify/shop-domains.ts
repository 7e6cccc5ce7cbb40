/**
 * Extra shop domains the app accepts besides *.myshopify.com (development stores on split domains),
 * as shopify-api 15's `domainTransformations` (the `customShopDomains` option was removed from
 * shopify-app-remix in 4.2.0 and is silently ignored when passed).
 *
 * SHOP_CUSTOM_DOMAIN is a comma-separated list of entries:
 * - `example.io` — shops `<name>.example.io` are accepted as they are;
 * - `my.shop.dev=api.shop.dev` — shops `<name>.my.shop.dev` are accepted and the app talks to
 *   `<name>.api.shop.dev` (the API domain of a split-domain store).
 */
import type { DomainTransformation } from "@shopify/shopify-api";

const DOMAIN_RE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

function checkDomain(domain: string, entry: string): string {
  if (!DOMAIN_RE.test(domain))
    throw new Error(`SHOP_CUSTOM_DOMAIN: "${entry}" is not a domain or a "<shop domain>=<API domain>" pair`);
  return domain.toLowerCase();
}

/** Parses SHOP_CUSTOM_DOMAIN; throws an error naming the bad entry. Empty/undefined → []. */
export function shopDomainTransformations(value: string | undefined): DomainTransformation[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [from, to, ...rest] = entry.split("=").map((s) => s.trim());
      if (rest.length) throw new Error(`SHOP_CUSTOM_DOMAIN: "${entry}" has more than one "="`);
      const source = checkDomain(from!, entry);
      const target = to === undefined ? source : checkDomain(to, entry);
      return {
        match: new RegExp(`^([a-zA-Z0-9][a-zA-Z0-9-_]*)\\.${source.replace(/\./g, "\\.")}$`),
        transform: `$1.${target}`,
      };
    });
}
