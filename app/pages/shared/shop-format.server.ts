/** Small shop facts the pages need (currency, locale), scoped by shop; the reads live in app/models. */
import type { Db } from "~/db.server";
import { getShopFormat } from "~/models/shops.server";

export { getShopFormat };

/** The shop's currency code (ISO 4217), "USD" until the shop record has one. */
export async function getShopCurrency(db: Db, shop: string): Promise<string> {
  return (await getShopFormat(db, shop)).currencyCode || "USD";
}
