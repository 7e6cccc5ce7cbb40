/**
 * The billing gate wired to the app: the shared database and the shop's offline Admin session (in the
 * demo that session talks to the local Admin API). Used by the app layout's loader and the billing page.
 */
import prisma from "~/db.server";
import { unauthenticated } from "~/shopify.server";
import { shopifyAdminFactory } from "~/shopify/admin-for-shop.server";
import type { BillingGateDeps } from "./gate.server";

let deps: BillingGateDeps | undefined;

export function appBillingDeps(): BillingGateDeps {
  deps ??= { db: prisma, adminFor: shopifyAdminFactory(unauthenticated) };
  return deps;
}
