/**
 * Billing API of the fake Admin API: `appSubscriptionCreate` records a PENDING subscription and
 * returns a confirmation URL; `approveSubscription` plays the merchant approving it on Shopify's
 * page (→ ACTIVE; another active one is replaced, as Shopify does); `currentAppInstallation` lists
 * the ACTIVE ones. Validation follows the Admin API: a blank name, an empty or non-recurring line
 * item list, or a non-positive price are user errors. State lives per store.
 */
import { GraphQLError } from "graphql";
import type { FakeStore } from "./store";

export interface FakeSubscription {
  id: string;
  name: string;
  status: "PENDING" | "ACTIVE" | "CANCELLED" | "DECLINED";
  test: boolean;
  trialDays: number;
  returnUrl: string;
  createdAt: Date;
  amount: number;
  currencyCode: string;
  interval: string;
}

const subscriptions = new WeakMap<FakeStore, FakeSubscription[]>();

/** The store's subscriptions (any status), oldest first. */
export function fakeSubscriptions(store: FakeStore): FakeSubscription[] {
  let list = subscriptions.get(store);
  if (!list) subscriptions.set(store, (list = []));
  return list;
}

/** The merchant approves a pending subscription: it becomes ACTIVE and replaces the active one. */
export function approveSubscription(store: FakeStore, id: string): FakeSubscription {
  const sub = fakeSubscriptions(store).find((s) => s.id === id);
  if (!sub || sub.status !== "PENDING") throw new Error(`no pending subscription ${id}`);
  for (const s of fakeSubscriptions(store)) if (s.status === "ACTIVE") s.status = "CANCELLED";
  sub.status = "ACTIVE";
  return sub;
}

const view = (s: FakeSubscription) => ({
  id: s.id,
  name: s.name,
  status: s.status,
  test: s.test,
  trialDays: s.trialDays,
  returnUrl: s.returnUrl,
  createdAt: s.createdAt.toISOString(),
  currentPeriodEnd: s.status === "ACTIVE" ? new Date(s.createdAt.getTime() + 30 * 86_400_000).toISOString() : null,
  lineItems: [
    {
      id: `${s.id.replace("AppSubscription", "AppSubscriptionLineItem")}`,
      plan: {
        pricingDetails: {
          __typename: "AppRecurringPricing",
          interval: s.interval,
          price: { amount: s.amount.toFixed(2), currencyCode: s.currencyCode },
        },
      },
    },
  ],
});

interface LineItemInput {
  plan?: {
    appRecurringPricingDetails?: { price?: { amount?: unknown; currencyCode?: string }; interval?: string };
  };
}

type Args = Record<string, unknown>;
type BillingResolver = (source: never, args: Args, ctx: { store: FakeStore }) => unknown;

export const BILLING_RESOLVERS: Record<string, Record<string, BillingResolver>> = {
  QueryRoot: {
    currentAppInstallation: (_s, _a, ctx) => ({
      id: "gid://shopify/AppInstallation/1",
      activeSubscriptions: fakeSubscriptions(ctx.store)
        .filter((s) => s.status === "ACTIVE")
        .map(view),
    }),
  },
  Mutation: {
    appSubscriptionCreate: (_s, a, ctx) => {
      const fail = (field: string[], message: string) => ({
        appSubscription: null,
        confirmationUrl: null,
        userErrors: [{ field, message }],
      });
      const name = String(a.name ?? "").trim();
      if (!name) return fail(["name"], "Name can't be blank");
      const items = (a.lineItems as LineItemInput[] | undefined) ?? [];
      if (items.length === 0) return fail(["lineItems"], "Line items can't be blank");
      const recurring = items[0]!.plan?.appRecurringPricingDetails;
      if (!recurring) throw new GraphQLError("fake Admin API implements recurring line items only");
      const amount = Number(recurring.price?.amount);
      if (!(amount > 0)) return fail(["lineItems", "0", "plan", "price"], "Price must be greater than 0");
      const id = `gid://shopify/AppSubscription/${ctx.store.nextId()}`;
      const sub: FakeSubscription = {
        id,
        name,
        status: "PENDING",
        test: Boolean(a.test),
        trialDays: Number(a.trialDays ?? 0),
        returnUrl: String(a.returnUrl),
        createdAt: ctx.store.tick(),
        amount,
        currencyCode: String(recurring.price?.currencyCode ?? "USD"),
        interval: String(recurring.interval ?? "EVERY_30_DAYS"),
      };
      fakeSubscriptions(ctx.store).push(sub);
      const numeric = id.slice(id.lastIndexOf("/") + 1);
      return {
        appSubscription: view(sub),
        confirmationUrl: `https://${ctx.store.shop.domain}/admin/charges/${numeric}/confirm_recurring_application_charge`,
        userErrors: [],
      };
    },
  },
};
