/**
 * Deletion sweep: deletes never show up in `updated_at` queries, so a missed orders/delete or
 * customers/delete webhook would leave a row forever. The sweep lists every order and customer id
 * Shopify still has (250 per page, cost 252) and tombstones stored rows that are gone
 * (`markOrderDeleted` / `markCustomerDeleted`, so a late webhook with an older `updated_at` cannot
 * revive them).
 *
 * Safety rules:
 * - only rows created before the sweep started are candidates (a row created meanwhile may be
 *   missing from pages already read);
 * - without the `read_all_orders` scope Shopify only lists the last 60 days of orders, so older
 *   orders are never candidates then;
 * - if more than `maxDeleteShare` of the candidates would be deleted, nothing is deleted and an error
 *   is thrown (an API anomaly must not wipe a shop).
 */
import type { Db } from "~/db.server";
import {
  getShop,
  listLiveCustomerIdsCreatedBefore,
  listLiveOrderIdsCreatedBefore,
  markCustomerDeleted,
  markOrderDeleted,
} from "~/models/index.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { CUSTOMER_IDS_QUERY, ORDER_IDS_QUERY } from "./queries";
import { shopifyIdOf } from "./types";

/** Options of `sweepDeletions`. */
export interface SweepOptions {
  /** Abort when more than this share of stored rows would be deleted. Default 0.2. */
  maxDeleteShare?: number;
  /** Clock (tests). */
  now?: () => Date;
}

/** What the sweep did. */
export interface SweepResult {
  orders: { shopify: number; candidates: number; deleted: number };
  customers: { shopify: number; candidates: number; deleted: number };
}

const SIXTY_DAYS = 60 * 24 * 3600_000;

interface IdPage {
  nodes: Array<{ id: string }>;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** Every id of a paginated connection, `fetchPage(after)` reading one page. */
async function allIds(fetchPage: (after: string | null) => Promise<IdPage>): Promise<Set<string>> {
  const ids = new Set<string>();
  let after: string | null = null;
  do {
    const page: IdPage = await fetchPage(after);
    for (const n of page.nodes) ids.add(shopifyIdOf(n.id));
    after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
  } while (after);
  return ids;
}

/** Runs the sweep for one shop. */
export async function sweepDeletions(
  deps: { db: Db; admin: AdminGraphql },
  shop: string,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const { db, admin } = deps;
  const started = options.now?.() ?? new Date();
  const maxShare = options.maxDeleteShare ?? 0.2;
  const scopes = ((await getShop(db, shop))?.scopes ?? "").split(",").map((s) => s.trim());
  const orderFloor = scopes.includes("read_all_orders") ? undefined : new Date(started.getTime() - SIXTY_DAYS);

  const shopifyOrders = await allIds(async (after) => (await admin.request(ORDER_IDS_QUERY, { after })).data.orders);
  const shopifyCustomers = await allIds(
    async (after) => (await admin.request(CUSTOMER_IDS_QUERY, { after })).data.customers,
  );

  const orderRows = await listLiveOrderIdsCreatedBefore(db, shop, started, orderFloor);
  const customerRows = await listLiveCustomerIdsCreatedBefore(db, shop, started);
  const goneOrders = orderRows.filter((id) => !shopifyOrders.has(id));
  const goneCustomers = customerRows.filter((id) => !shopifyCustomers.has(id));

  const check = (what: string, gone: number, of: number) => {
    if (of > 0 && gone / of > maxShare) {
      throw new Error(
        `deletion sweep for ${shop}: ${gone} of ${of} ${what} are missing from Shopify (> ${Math.round(maxShare * 100)}%); nothing deleted — check scopes/API before retrying`,
      );
    }
  };
  check("orders", goneOrders.length, orderRows.length);
  check("customers", goneCustomers.length, customerRows.length);

  let deletedOrders = 0,
    deletedCustomers = 0;
  for (const id of goneOrders) if ((await markOrderDeleted(db, shop, id, started)) === "applied") deletedOrders++;
  for (const id of goneCustomers)
    if ((await markCustomerDeleted(db, shop, id, started)) === "applied") deletedCustomers++;
  return {
    orders: { shopify: shopifyOrders.size, candidates: orderRows.length, deleted: deletedOrders },
    customers: { shopify: shopifyCustomers.size, candidates: customerRows.length, deleted: deletedCustomers },
  };
}
