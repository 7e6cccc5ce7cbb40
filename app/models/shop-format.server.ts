/** Small shop facts the pages and the actions need (currency, locale), scoped by shop. */
import type { Db } from "~/db.server";
import { getShopFormat } from "./shops.server";

export { getShopFormat };

/** The shop's currency code (ISO 4217), "USD" until the shop record has one. */
export async function getShopCurrency(db: Db, shop: string): Promise<string> {
  return (await getShopFormat(db, shop)).currencyCode || "USD";
}
