/** Small shop facts the pages need (currency, locale), scoped by shop. */
import type { Db } from "~/db.server";

/** The shop's currency code (ISO 4217), "USD" until the shop record has one. */
export async function getShopCurrency(db: Db, shop: string): Promise<string> {
  const row = await db.shop.findUnique({ where: { shop }, select: { currencyCode: true } });
  return row?.currencyCode || "USD";
}

/** The shop's currency and primary locale as stored (null until synced from Shopify: pages fall back to USD / en). */
export async function getShopFormat(
  db: Db,
  shop: string,
): Promise<{ currencyCode: string | null; primaryLocale: string | null }> {
  const row = await db.shop.findUnique({ where: { shop }, select: { currencyCode: true, primaryLocale: true } });
  return { currencyCode: row?.currencyCode ?? null, primaryLocale: row?.primaryLocale ?? null };
}
