/** Small shop facts the pages need (currency), scoped by shop. */
import type { Db } from "~/db.server";

/** The shop's currency code (ISO 4217), "USD" until the shop record has one. */
export async function getShopCurrency(db: Db, shop: string): Promise<string> {
  const row = await db.shop.findUnique({ where: { shop }, select: { currencyCode: true } });
  return row?.currencyCode || "USD";
}
