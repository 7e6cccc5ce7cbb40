/**
 * The billing gate wired to the app: the shared database and the shop's offline Admin session (in the
 * demo that session talks to the local Admin API). Used by the app layout's loader, the billing page
 * and the job processes (paid background work).
 */
import prisma from "~/db.server";
import { unauthenticated } from "~/shopify.server";
import { shopifyAdminFactory } from "~/shopify/admin-for-shop.server";
import { demoShopFromEnv } from "~/auth.server";
import type { PaidWorkGate } from "~/jobs/types";
import type { BillingGateDeps } from "./gate.server";
import { paidWorkGate } from "./paid-work.server";

let deps: BillingGateDeps | undefined;

export function appBillingDeps(): BillingGateDeps {
  deps ??= { db: prisma, adminFor: shopifyAdminFactory(unauthenticated) };
  return deps;
}

/** The background gate of the web process's worker and `npm run worker` (the demo store is exempt). */
export function appPaidWorkGate(): PaidWorkGate {
  return paidWorkGate({ db: prisma, exemptShop: demoShopFromEnv() });
}
