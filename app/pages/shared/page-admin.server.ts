/**
 * The Admin port of a page action that calls Shopify right away (e.g. "Create segment"): the shop's
 * offline session through shopify-app-remix's `unauthenticated.admin`, behind the cost-aware client
 * the jobs use (app/shopify/admin-for-shop.server.ts). In the demo that session talks to the local
 * Admin API.
 */
import { unauthenticated } from "~/shopify.server";
import { shopifyAdminFactory } from "~/shopify/admin-for-shop.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";

let factory: ((shop: string) => Promise<AdminGraphql>) | undefined;

export function pageAdmin(shop: string): Promise<AdminGraphql> {
  factory ??= shopifyAdminFactory(unauthenticated);
  return factory(shop);
}
