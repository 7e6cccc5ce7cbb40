/**
 * Redemption of retention offers and the offered vs. not-offered comparison for the Offers page.
 * An offer is redeemed by the first order of its customer, at or after the offer, that carries its
 * code (orders webhooks and sync store each order's discount codes). Revenue is the order's current
 * subtotal in shop currency (the app's revenue definition).
 */
import type { Db } from "~/db.server";
import { atRiskCustomerIds } from "~/models/actions.server";
import { parseJson } from "~/models/common.server";
import {
  firstOfferAt,
  markOfferRedeemed,
  offeredCustomerIds,
  openOffersOf,
  ordersOfCustomersSince,
} from "~/models/offers.server";

/** Marks offers redeemed from stored orders; returns how many were newly marked. */
export async function markRedemptions(db: Db, shop: string, customerIds?: readonly string[]): Promise<number> {
  const since = await firstOfferAt(db, shop);
  if (!since) return 0;
  const ids = customerIds ?? [...(await offeredCustomerIds(db, shop, since))];
  const open = await openOffersOf(db, shop, ids);
  if (!open.length) return 0;
  const orders = await ordersOfCustomersSince(
    db,
    shop,
    [...new Set(open.map((o) => o.customerId))],
    new Date(Math.min(...open.map((o) => o.createdAt.getTime())) - 60_000),
  );
  orders.sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime());
  let marked = 0;
  for (const offer of open) {
    const code = offer.code.toLowerCase();
    const order = orders.find(
      (o) =>
        o.customerId === offer.customerId &&
        o.processedAt.getTime() >= offer.createdAt.getTime() - 60_000 &&
        parseJson<string[]>(o.discountCodes, []).some((c) => String(c).toLowerCase() === code),
    );
    if (!order) continue;
    await markOfferRedeemed(db, shop, offer.id, order.id, order.currentSubtotal, order.processedAt);
    marked++;
  }
  return marked;
}

/** One side of the comparison. */
export interface GroupOutcome {
  customers: number;
  buyers: number;
  orders: number;
  revenue: number;
  revenuePerCustomer: number;
}

/**
 * At-risk customers who were offered a code vs. at-risk customers who were not, over the same window
 * (from the first offer until now): how many bought again and their revenue. Null before any offer.
 */
export async function offeredVsNotOffered(
  db: Db,
  shop: string,
): Promise<{ since: Date; offered: GroupOutcome; notOffered: GroupOutcome } | null> {
  const since = await firstOfferAt(db, shop);
  if (!since) return null;
  const offered = await offeredCustomerIds(db, shop, since);
  const atRisk = await atRiskCustomerIds(db, shop);
  const notOffered = atRisk.filter((id) => !offered.has(id));
  const orders = await ordersOfCustomersSince(db, shop, [...offered, ...notOffered], since);
  const outcome = (ids: Iterable<string>): GroupOutcome => {
    const set = new Set(ids);
    const mine = orders.filter((o) => o.customerId !== null && set.has(o.customerId));
    const revenue = mine.reduce((s, o) => s + o.currentSubtotal, 0);
    return {
      customers: set.size,
      buyers: new Set(mine.map((o) => o.customerId)).size,
      orders: mine.length,
      revenue,
      revenuePerCustomer: set.size ? revenue / set.size : 0,
    };
  };
  return { since, offered: outcome(offered), notOffered: outcome(notOffered) };
}
