/** Offers: retention campaigns (codes created, redeemed, revenue), offered vs. not offered, tier discount, Flow. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  Button,
  Card,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { handleOffersForm, loadOffersPage } from "~/actions/offers-page.server";
import { requireAdmin } from "~/auth.server";
import { day, int, money, pct } from "~/components/format";
import { RouteError } from "~/components/RouteError";
import { SectionCard } from "~/components/SectionCard";
import prisma from "~/db.server";

// Re-auth headers of a thrown auth response must reach the browser on single-fetch data requests.
export { headers } from "~/shopify/embedded-headers";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return loadOffersPage(prisma, shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return handleOffersForm(prisma, shop, await request.formData());
};

export default function Offers() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors = result && !result.ok ? result.errors : {};
  const [audience, setAudience] = useState("at-risk");
  const [tier, setTier] = useState(data.tiers[0] ?? "");
  const [customerId, setCustomerId] = useState("");
  const [percentage, setPercentage] = useState("15");
  const [validDays, setValidDays] = useState("30");
  const [limit, setLimit] = useState("");
  const [mode, setMode] = useState<string>(data.tierDiscount.mode);
  const [pcts, setPcts] = useState(() =>
    Object.fromEntries(data.tiers.map((t) => [t, String(data.tierDiscount.percentages[t] ?? 0)])),
  );
  const cmp = data.comparison;

  return (
    <Page title="Retention offers" subtitle="Unique single-use discount codes for customers you want to keep">
      <Layout>
        {result?.ok && (
          <Layout.Section>
            <Banner tone="success">{result.message}</Banner>
          </Layout.Section>
        )}
        {errors.form && (
          <Layout.Section>
            <Banner tone="critical">{errors.form}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <SectionCard title="Offered vs. not offered (at-risk customers)">
            {cmp ? (
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
                headings={["Since " + day(cmp.since), "Customers", "Bought again", "Revenue", "Revenue per customer"]}
                rows={[
                  [
                    "Offered a code",
                    int(cmp.offered.customers),
                    pct(cmp.offered.customers ? cmp.offered.buyers / cmp.offered.customers : 0),
                    money(cmp.offered.revenue, data.currency),
                    money(cmp.offered.revenuePerCustomer, data.currency),
                  ],
                  [
                    "At risk, not offered",
                    int(cmp.notOffered.customers),
                    pct(cmp.notOffered.customers ? cmp.notOffered.buyers / cmp.notOffered.customers : 0),
                    money(cmp.notOffered.revenue, data.currency),
                    money(cmp.notOffered.revenuePerCustomer, data.currency),
                  ],
                ]}
              />
            ) : (
              <Text as="p" tone="subdued">
                No offers yet. {int(data.atRiskCount)} customers are at risk now.
              </Text>
            )}
            <Text as="p" tone="subdued" variant="bodySm">
              Revenue is the orders' current subtotal (after returns, before tax and shipping) in the shop currency. The
              groups are not randomised: compare with care.
            </Text>
          </SectionCard>
        </Layout.Section>

        <Layout.Section variant="oneHalf">
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="campaign" />
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  New retention offer
                </Text>
                <Select
                  label="Who"
                  name="audience"
                  value={audience}
                  onChange={setAudience}
                  options={[
                    { label: `Every at-risk customer (${data.atRiskCount})`, value: "at-risk" },
                    { label: "Every customer in a tier", value: "tier" },
                    { label: "One customer", value: "customer" },
                  ]}
                  error={errors.audience}
                />
                {audience === "tier" && (
                  <Select
                    label="Tier"
                    name="tier"
                    value={tier}
                    onChange={setTier}
                    options={data.tiers}
                    error={errors.tier}
                  />
                )}
                {audience === "customer" && (
                  <TextField
                    label="Customer id"
                    name="customerId"
                    value={customerId}
                    onChange={setCustomerId}
                    autoComplete="off"
                    error={errors.customerId}
                  />
                )}
                {audience !== "customer" && (
                  <TextField
                    label="At most"
                    suffix="customers"
                    name="limit"
                    type="number"
                    value={limit}
                    onChange={setLimit}
                    autoComplete="off"
                    helpText="Highest past spend first; empty for all of them. Customers holding an open offer are skipped."
                    error={errors.limit}
                  />
                )}
                <FormLayout.Group>
                  <TextField
                    label="Discount"
                    suffix="%"
                    name="percentage"
                    type="number"
                    value={percentage}
                    onChange={setPercentage}
                    autoComplete="off"
                    error={errors.percentage}
                  />
                  <TextField
                    label="Valid for"
                    suffix="days"
                    name="validDays"
                    type="number"
                    value={validDays}
                    onChange={setValidDays}
                    autoComplete="off"
                    error={errors.validDays}
                  />
                </FormLayout.Group>
                <Button submit variant="primary" loading={busy}>
                  Create codes
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.Section>

        <Layout.Section variant="oneHalf">
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="tier-discount" />
              <FormLayout>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Tier discount
                  </Text>
                  <Badge tone={data.tierDiscount.active ? "success" : undefined}>
                    {data.tierDiscount.active ? "Active" : data.tierDiscount.exists ? "Deactivated" : "Not created"}
                  </Badge>
                </InlineStack>
                <Select
                  label="Discount type"
                  name="mode"
                  value={mode}
                  onChange={setMode}
                  options={[
                    { label: "One automatic discount (the app's discount Function)", value: "function" },
                    { label: "Native discounts, one per tier segment (no Function)", value: "segments" },
                  ]}
                  error={errors.mode}
                />
                <Text as="p" tone="subdued">
                  {mode === "function"
                    ? "An automatic order discount that reads each buyer's tier at checkout."
                    : "One automatic order discount per tier, limited to the tier's customer segment (the segments are kept even with the Segments switch off)."}{" "}
                  {data.automations.discounts ? "" : "Switch on Tier discounts in Settings to create it."}
                </Text>
                {data.tiers.map((t) => (
                  <TextField
                    key={t}
                    label={`${t}`}
                    suffix="%"
                    name={`pct_${t}`}
                    type="number"
                    value={pcts[t] ?? "0"}
                    onChange={(v) => setPcts((p) => ({ ...p, [t]: v }))}
                    autoComplete="off"
                    error={errors[`pct_${t}`]}
                  />
                ))}
                <Button submit loading={busy}>
                  Save percentages
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Campaigns">
            <div data-testid="campaigns">
              {data.campaigns.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text", "numeric", "numeric", "numeric", "text"]}
                  headings={["Created", "Who", "Discount", "Expires", "Codes", "Redeemed", "Revenue", "Status"]}
                  rows={data.campaigns.map((c) => [
                    <span key="created" data-testid={`campaign-${c.id}`}>
                      {day(c.createdAt)}
                    </span>,
                    c.audience,
                    `${c.percentage} %`,
                    day(c.endsAt),
                    c.planned ? `${int(c.created)} of ${int(c.created + c.planned)}` : int(c.created),
                    int(c.redeemed),
                    money(c.redeemedRevenue, data.currency),
                    c.error ? `${c.status}: ${c.error}` : c.status,
                  ])}
                />
              ) : (
                <Text as="p" tone="subdued">
                  No campaigns yet.
                </Text>
              )}
            </div>
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Shopify Flow">
            <InlineStack gap="200">
              {data.flow.triggers.map((t) => (
                <Badge key={t.handle} tone={t.inUse ? "success" : undefined}>
                  {`${t.handle}: ${t.inUse ? "used by a workflow" : "no enabled workflow"}`}
                </Badge>
              ))}
            </InlineStack>
            {!data.automations.flow && (
              <Text as="p" tone="subdued">
                Flow triggers are off (Settings).
              </Text>
            )}
            {data.flow.events.length > 0 && (
              <div data-testid="flow-events">
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={["When", "Trigger", "Customer", "State"]}
                  rows={data.flow.events.map((e) => [day(e.createdAt), e.handle, e.customerId, e.state])}
                />
              </div>
            )}
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Retention offers" />;
}
