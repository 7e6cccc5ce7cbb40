/**
 * The billing gate of the embedded pages: within the free tier (by live customers) the app works
 * with no Billing API call; over it, the shop's active subscriptions (cached for a minute per shop)
 * decide, and a shop over its plan's limit is sent to /app/billing to upgrade.
 */
import { redirect } from "@remix-run/node";
import type { Db } from "~/db/connect.server";
import type { AdminFactory } from "~/jobs/types";
import { countCustomers } from "~/models/customers.server";
import { activeSubscriptions } from "./shopify-billing.server";
import { BILLING_PATH, STATUS_PATH, covers, entitlement, FREE_PLAN, type Entitlement } from "./plans";

export interface BillingGateDeps {
  db: Db;
  adminFor: AdminFactory;
  /** How long a shop's subscriptions are reused, in ms (default 60 s; 0 = always ask Shopify). */
  cacheMs?: number;
}

const cache = new Map<string, { until: number; names: string[] }>();

/** Forgets a shop's cached subscriptions (after it asked for a new one, or came back from approving). */
export function forgetSubscriptions(shop: string): void {
  cache.delete(shop);
}

async function subscriptionNames(deps: BillingGateDeps, shop: string): Promise<string[]> {
  const hit = cache.get(shop);
  if (hit && hit.until > Date.now()) return hit.names;
  const names = (await activeSubscriptions(await deps.adminFor(shop))).map((s) => s.name);
  const ttl = deps.cacheMs ?? 60_000;
  if (ttl > 0) cache.set(shop, { until: Date.now() + ttl, names });
  return names;
}

/** What the shop may do now. */
export async function shopEntitlement(deps: BillingGateDeps, shop: string): Promise<Entitlement> {
  const customers = await countCustomers(deps.db, shop);
  if (covers(FREE_PLAN, customers)) return { allowed: true, plan: FREE_PLAN, customers };
  return entitlement(customers, await subscriptionNames(deps, shop));
}

/**
 * Throws a redirect to the billing page (keeping the query, so the embedded session carries over)
 * when the shop is over its plan's limit. The billing page is always reachable, and so is the status
 * page (it shows the paid background work paused by billing and the sync that keeps running).
 */
export async function requireEntitlement(deps: BillingGateDeps, shop: string, request: Request): Promise<Entitlement> {
  const url = new URL(request.url);
  const e = await shopEntitlement(deps, shop);
  const open = [BILLING_PATH, STATUS_PATH].some((p) => url.pathname.startsWith(p));
  if (!e.allowed && !open) throw redirect(`${BILLING_PATH}${url.search}`);
  return e;
}
