/** The shop facts the lifecycle reads from Admin GraphQL (currency, time zone, primary locale). */

/** Admin GraphQL document (validated against the vendored 2026-07 schema in documents.test.ts). */
export const SHOP_FACTS_QUERY = `#graphql
query HorizonShopFacts {
  shop { currencyCode ianaTimezone }
  shopLocales { locale primary }
}`;

/** Response shape of SHOP_FACTS_QUERY. */
export interface ShopFactsResponse {
  shop: { currencyCode: string; ianaTimezone: string | null };
  shopLocales: Array<{ locale: string; primary: boolean }> | null;
}

/** The facts stored on the Shop row; a response without a currency is an error naming the field. */
export function parseShopFacts(data: ShopFactsResponse): {
  currencyCode: string;
  ianaTimezone: string | null;
  primaryLocale: string | null;
} {
  const currencyCode = data?.shop?.currencyCode;
  if (typeof currencyCode !== "string" || !/^[A-Z]{3}$/.test(currencyCode))
    throw new Error(`shop facts: shop.currencyCode must be an ISO 4217 code; got ${JSON.stringify(currencyCode)}`);
  return {
    currencyCode,
    ianaTimezone: data.shop.ianaTimezone || null,
    primaryLocale: data.shopLocales?.find((l) => l.primary)?.locale ?? null,
  };
}
