/**
 * Shopify Billing API through the app's Admin port: the shop's active subscriptions
 * (`currentAppInstallation`) and a new subscription the merchant approves on Shopify's confirmation
 * page (`appSubscriptionCreate`). Both documents are validated against the Admin schema
 * (app/shopify/documents.test.ts) and implemented by the fake Admin API (test/fake-admin/billing.ts);
 * their result types come from codegen (`npm run graphql-codegen` → app/types/admin.generated.d.ts).
 */
import type { AdminGraphql } from "~/shopify/admin-client.server";
import type { CurrentAppInstallationQuery } from "~/types/admin.generated";
import type { Plan } from "./plans";

export const CURRENT_APP_INSTALLATION = `#graphql
query CurrentAppInstallation {
  currentAppInstallation {
    activeSubscriptions { id name status test trialDays currentPeriodEnd }
  }
}`;

export const APP_SUBSCRIPTION_CREATE = `#graphql
mutation AppSubscriptionCreate($name: String!, $returnUrl: URL!, $trialDays: Int, $test: Boolean, $lineItems: [AppSubscriptionLineItemInput!]!) {
  appSubscriptionCreate(name: $name, returnUrl: $returnUrl, trialDays: $trialDays, test: $test, lineItems: $lineItems) {
    confirmationUrl
    appSubscription { id name status }
    userErrors { field message }
  }
}`;

/** One active subscription as Shopify reports it (type generated from the document by codegen). */
export type ActiveSubscription = CurrentAppInstallationQuery["currentAppInstallation"]["activeSubscriptions"][number];

/** The shop's subscriptions with status ACTIVE (trials included: Shopify reports them ACTIVE). */
export async function activeSubscriptions(admin: AdminGraphql): Promise<ActiveSubscription[]> {
  const { data } = await admin.request(CURRENT_APP_INSTALLATION);
  return data.currentAppInstallation.activeSubscriptions.filter((s) => s.status === "ACTIVE");
}

/**
 * Creates a pending subscription to `plan` (30-day recurring price, the plan's trial) and returns the
 * URL where the merchant approves it; Shopify then sends them to `returnUrl`. `test` charges are
 * never billed (development stores need them).
 */
export async function requestSubscription(
  admin: AdminGraphql,
  plan: Plan,
  opts: { returnUrl: string; test: boolean },
): Promise<{ confirmationUrl: string; subscriptionId: string }> {
  if (plan.price <= 0) throw new Error(`plan "${plan.name}" is free: there is nothing to subscribe to`);
  const r = await admin.mutate(
    APP_SUBSCRIPTION_CREATE,
    {
      name: plan.name,
      returnUrl: opts.returnUrl,
      trialDays: plan.trialDays,
      test: opts.test,
      lineItems: [
        {
          plan: {
            appRecurringPricingDetails: {
              price: { amount: plan.price.toFixed(2), currencyCode: plan.currency }, // Decimal: a string
              interval: "EVERY_30_DAYS",
            },
          },
        },
      ],
    },
    "appSubscriptionCreate",
  );
  if (!r.confirmationUrl || !r.appSubscription)
    throw new Error("appSubscriptionCreate returned no confirmation URL or subscription");
  return { confirmationUrl: r.confirmationUrl, subscriptionId: r.appSubscription.id };
}
