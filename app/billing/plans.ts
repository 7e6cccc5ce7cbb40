/**
 * Horizon CLV's plans, charged through Shopify's Billing API (app subscriptions): a free tier by the
 * number of customers the app models, and paid plans with a trial. Pure: no I/O.
 */

/** The billing page (never gated itself; linked from the embedded app's navigation). */
export const BILLING_PATH = "/app/billing";
/** The status page (never gated either: it shows what billing paused). */
export const STATUS_PATH = "/app/status";

/** One plan. `maxCustomers` null = unlimited; `price` 0 = free (no subscription needed). */
export interface Plan {
  /** Subscription name in Shopify (what `currentAppInstallation.activeSubscriptions[].name` returns). */
  name: string;
  /** Customers (not deleted) the plan covers. */
  maxCustomers: number | null;
  /** Price per 30 days, in `currency`. */
  price: number;
  currency: "USD";
  trialDays: number;
}

/** The plans, cheapest first. */
export const PLANS: readonly Plan[] = [
  { name: "Free", maxCustomers: 1_000, price: 0, currency: "USD", trialDays: 0 },
  { name: "Growth", maxCustomers: 25_000, price: 29, currency: "USD", trialDays: 14 },
  { name: "Scale", maxCustomers: null, price: 99, currency: "USD", trialDays: 14 },
];

/** The free plan (no subscription). */
export const FREE_PLAN = PLANS[0]!;

/** Whether `plan` covers `customers` customers. */
export function covers(plan: Plan, customers: number): boolean {
  return plan.maxCustomers === null || customers <= plan.maxCustomers;
}

/** The plan called `name` (a paid plan's subscription name), or undefined. */
export function planNamed(name: string): Plan | undefined {
  return PLANS.find((p) => p.name === name);
}

/** The cheapest plan that covers `customers`. */
export function cheapestPlanFor(customers: number): Plan {
  return PLANS.find((p) => covers(p, customers)) ?? PLANS[PLANS.length - 1]!;
}

/** What the app lets a shop do, from its customer count and its active paid subscriptions. */
export type Entitlement =
  { allowed: true; plan: Plan; customers: number } | { allowed: false; plan: Plan; customers: number; upgradeTo: Plan };

/**
 * The best plan among the free plan and the shop's active subscriptions decides: within its limit
 * the app works; over it the merchant is asked to upgrade to the cheapest plan that covers the shop.
 */
export function entitlement(customers: number, activePlanNames: readonly string[]): Entitlement {
  const owned = [FREE_PLAN, ...activePlanNames.map(planNamed).filter((p): p is Plan => !!p)];
  const best = owned.reduce((a, b) => (PLANS.indexOf(b) > PLANS.indexOf(a) ? b : a));
  if (covers(best, customers)) return { allowed: true, plan: best, customers };
  return { allowed: false, plan: best, customers, upgradeTo: cheapestPlanFor(customers) };
}
