/**
 * Billing in the background: a shop over its plan's customer limit without a subscription keeps its
 * sync (data stays fresh for when it upgrades) but its paid work — training, scoring, write-back,
 * actions — pauses; the lifecycle records the pause on the Status page with the plan to upgrade to.
 * The demo store is exempt. Same entitlement (and subscription cache) as the pages' gate.
 */
import type { Db } from "~/db/connect.server";
import type { PaidWorkGate } from "~/jobs/types";
import { shopEntitlement } from "./gate.server";

export interface PaidWorkGateOptions {
  db: Db;
  /** A shop that is never paused (the demo store), or null. */
  exemptShop?: string | null;
  /** How long a shop's subscriptions are reused, in ms (default 60 s). */
  cacheMs?: number;
}

/** The gate a job process is started with (`startJobProcess({ paidWork })`). */
export function paidWorkGate(opts: PaidWorkGateOptions): PaidWorkGate {
  return async (shop, admin) => {
    if (shop === opts.exemptShop) return null;
    const e = await shopEntitlement({ db: opts.db, adminFor: () => admin(), cacheMs: opts.cacheMs }, shop);
    if (e.allowed) return null;
    const limit = e.plan.maxCustomers?.toLocaleString("en-US") ?? "unlimited";
    return {
      status: "paused",
      reason: `billing: ${e.customers.toLocaleString("en-US")} customers exceed the ${e.plan.name} plan (${limit}); subscribe to ${e.upgradeTo.name} on the Billing page to resume`,
      plan: e.plan.name,
      customers: e.customers,
      upgradeTo: e.upgradeTo.name,
    };
  };
}
