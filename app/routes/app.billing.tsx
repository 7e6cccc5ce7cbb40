/**
 * Billing: the plans (free tier by customer count, paid plans with a trial), the shop's usage and
 * plan, and an upgrade button that creates the subscription through Shopify's Billing API and opens
 * Shopify's confirmation page. The app layout sends shops over their limit here.
 */
import { useEffect } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineGrid, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "~/auth.server";
import { appBillingDeps } from "~/billing/app-billing.server";
import { forgetSubscriptions, shopEntitlement } from "~/billing/gate.server";
import { PLANS, planNamed } from "~/billing/plans";
import { requestSubscription } from "~/billing/shopify-billing.server";
import { env } from "~/env.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  forgetSubscriptions(shop); // coming back from Shopify's confirmation page: ask again
  const e = await shopEntitlement(appBillingDeps(), shop);
  return {
    plans: PLANS,
    current: e.plan.name,
    customers: e.customers,
    upgradeTo: e.allowed ? null : e.upgradeTo.name,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const plan = planNamed(String(form.get("plan") ?? ""));
  if (!plan || plan.price <= 0)
    return {
      error: `plan: choose one of ${PLANS.slice(1)
        .map((p) => p.name)
        .join(", ")}`,
    };
  const deps = appBillingDeps();
  const appUrl = env().SHOPIFY_APP_URL || new URL(request.url).origin;
  const { confirmationUrl } = await requestSubscription(await deps.adminFor(shop), plan, {
    returnUrl: `${appUrl}/app/billing?shop=${shop}`,
    // Shopify never bills test charges; development stores accept only those.
    test: env().NODE_ENV !== "production",
  });
  forgetSubscriptions(shop);
  return { confirmationUrl };
};

const money = (n: number) => (n === 0 ? "Free" : `$${n} / 30 days`);

export default function Billing() {
  const { plans, current, customers, upgradeTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const confirmationUrl = result && "confirmationUrl" in result ? result.confirmationUrl : null;
  useEffect(() => {
    // Shopify's approval page lives in the admin, outside the app's iframe.
    if (confirmationUrl) window.open(confirmationUrl, "_top");
  }, [confirmationUrl]);
  return (
    <Page title="Plan and billing">
      <BlockStack gap="400">
        {upgradeTo ? (
          <Banner tone="warning" title={`Upgrade to ${upgradeTo} to keep using Horizon CLV`}>
            <Text as="p">
              Your store has {customers.toLocaleString("en")} customers, more than the {current} plan covers.
            </Text>
          </Banner>
        ) : (
          <Text as="p">
            {customers.toLocaleString("en")} customers on the {current} plan.
          </Text>
        )}
        {result && "error" in result ? <Banner tone="critical" title={result.error} /> : null}
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          {plans.map((p) => (
            <Card key={p.name}>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {p.name} {p.name === current ? <Badge tone="success">Current</Badge> : null}
                </Text>
                <Text as="p">{money(p.price)}</Text>
                <Text as="p">
                  {p.maxCustomers === null
                    ? "Any number of customers"
                    : `Up to ${p.maxCustomers.toLocaleString("en")} customers`}
                </Text>
                {p.trialDays > 0 ? <Text as="p">{p.trialDays}-day free trial</Text> : null}
                {p.price > 0 && p.name !== current ? (
                  <Form method="post">
                    <input type="hidden" name="plan" value={p.name} />
                    <Button submit variant={p.name === upgradeTo ? "primary" : "secondary"} loading={busy}>
                      {`Choose ${p.name}`}
                    </Button>
                  </Form>
                ) : null}
              </BlockStack>
            </Card>
          ))}
        </InlineGrid>
      </BlockStack>
    </Page>
  );
}

// Re-auth headers of a thrown auth response must reach the browser on single-fetch data requests.
export { headers } from "~/shopify/embedded-headers";
