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
import { day } from "~/i18n/format";
import { useI18n } from "~/i18n/context";
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
  const { t, fmt } = useI18n();
  const errors = result && !result.ok ? result.errors : {};
  const [audience, setAudience] = useState("at-risk");
  const [tier, setTier] = useState(data.tiers[0] ?? "");
  const [customerId, setCustomerId] = useState("");
  const [percentage, setPercentage] = useState("15");
  const [validDays, setValidDays] = useState("30");
  const [limit, setLimit] = useState("");
  const [mode, setMode] = useState<string>(data.tierDiscount.mode);
  const [pcts, setPcts] = useState(() =>
    Object.fromEntries(data.tiers.map((x) => [x, String(data.tierDiscount.percentages[x] ?? 0)])),
  );
  const cmp = data.comparison;

  return (
    <Page title={t("offers.title")} subtitle={t("offers.subtitle")}>
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
          <SectionCard title={t("offers.comparison")}>
            {cmp ? (
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
                headings={[
                  t("offers.since", { date: day(cmp.since) }),
                  t("offers.customers"),
                  t("offers.boughtAgain"),
                  t("offers.revenue"),
                  t("offers.revenuePerCustomer"),
                ]}
                rows={[
                  [
                    t("offers.offeredRow"),
                    fmt.int(cmp.offered.customers),
                    fmt.pct(cmp.offered.customers ? cmp.offered.buyers / cmp.offered.customers : 0),
                    fmt.money(cmp.offered.revenue),
                    fmt.money(cmp.offered.revenuePerCustomer),
                  ],
                  [
                    t("offers.notOfferedRow"),
                    fmt.int(cmp.notOffered.customers),
                    fmt.pct(cmp.notOffered.customers ? cmp.notOffered.buyers / cmp.notOffered.customers : 0),
                    fmt.money(cmp.notOffered.revenue),
                    fmt.money(cmp.notOffered.revenuePerCustomer),
                  ],
                ]}
              />
            ) : (
              <Text as="p" tone="subdued">
                {t("offers.noOffers", { count: data.atRiskCount })}
              </Text>
            )}
            <Text as="p" tone="subdued" variant="bodySm">
              {t("offers.revenueNote")}
            </Text>
          </SectionCard>
        </Layout.Section>

        <Layout.Section variant="oneHalf">
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="campaign" />
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t("offers.newOffer")}
                </Text>
                <Select
                  label={t("offers.who")}
                  name="audience"
                  value={audience}
                  onChange={setAudience}
                  options={[
                    { label: t("offers.audienceAtRisk", { count: data.atRiskCount }), value: "at-risk" },
                    { label: t("offers.audienceTier"), value: "tier" },
                    { label: t("offers.audienceCustomer"), value: "customer" },
                  ]}
                  error={errors.audience}
                />
                {audience === "tier" && (
                  <Select
                    label={t("offers.tier")}
                    name="tier"
                    value={tier}
                    onChange={setTier}
                    options={data.tiers}
                    error={errors.tier}
                  />
                )}
                {audience === "customer" && (
                  <TextField
                    label={t("offers.customerId")}
                    name="customerId"
                    value={customerId}
                    onChange={setCustomerId}
                    autoComplete="off"
                    error={errors.customerId}
                  />
                )}
                {audience !== "customer" && (
                  <TextField
                    label={t("offers.atMost")}
                    suffix={t("offers.customersSuffix")}
                    name="limit"
                    type="number"
                    value={limit}
                    onChange={setLimit}
                    autoComplete="off"
                    helpText={t("offers.atMostHelp")}
                    error={errors.limit}
                  />
                )}
                <FormLayout.Group>
                  <TextField
                    label={t("offers.discount")}
                    suffix="%"
                    name="percentage"
                    type="number"
                    value={percentage}
                    onChange={setPercentage}
                    autoComplete="off"
                    error={errors.percentage}
                  />
                  <TextField
                    label={t("offers.validFor")}
                    suffix={t("offers.daysSuffix")}
                    name="validDays"
                    type="number"
                    value={validDays}
                    onChange={setValidDays}
                    autoComplete="off"
                    error={errors.validDays}
                  />
                </FormLayout.Group>
                <Button submit variant="primary" loading={busy}>
                  {t("offers.createCodes")}
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
                    {t("offers.tierDiscount")}
                  </Text>
                  <Badge tone={data.tierDiscount.active ? "success" : undefined}>
                    {data.tierDiscount.active
                      ? t("offers.active")
                      : data.tierDiscount.exists
                        ? t("offers.deactivated")
                        : t("offers.notCreated")}
                  </Badge>
                </InlineStack>
                <Select
                  label={t("offers.discountType")}
                  name="mode"
                  value={mode}
                  onChange={setMode}
                  options={[
                    { label: t("offers.modeFunction"), value: "function" },
                    { label: t("offers.modeSegments"), value: "segments" },
                  ]}
                  error={errors.mode}
                />
                <Text as="p" tone="subdued">
                  {mode === "function" ? t("offers.modeFunctionHelp") : t("offers.modeSegmentsHelp")}{" "}
                  {data.automations.discounts ? "" : t("offers.switchOnDiscounts")}
                </Text>
                {data.tiers.map((tier) => (
                  <TextField
                    key={tier}
                    label={tier}
                    suffix="%"
                    name={`pct_${tier}`}
                    type="number"
                    value={pcts[tier] ?? "0"}
                    onChange={(v) => setPcts((p) => ({ ...p, [tier]: v }))}
                    autoComplete="off"
                    error={errors[`pct_${tier}`]}
                  />
                ))}
                <Button submit loading={busy}>
                  {t("offers.savePercentages")}
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title={t("offers.campaigns")}>
            <div data-testid="campaigns">
              {data.campaigns.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "text", "numeric", "numeric", "numeric", "text"]}
                  headings={[
                    t("offers.created"),
                    t("offers.who"),
                    t("offers.discount"),
                    t("offers.expires"),
                    t("offers.codes"),
                    t("offers.redeemed"),
                    t("offers.revenue"),
                    t("offers.status"),
                  ]}
                  rows={data.campaigns.map((c) => [
                    <span key="created" data-testid={`campaign-${c.id}`}>
                      {day(c.createdAt)}
                    </span>,
                    c.audience,
                    `${c.percentage} %`,
                    day(c.endsAt),
                    c.planned
                      ? t("offers.codesOf", { created: c.created, total: c.created + c.planned })
                      : fmt.int(c.created),
                    fmt.int(c.redeemed),
                    fmt.money(c.redeemedRevenue),
                    c.error ? `${c.status}: ${c.error}` : c.status,
                  ])}
                />
              ) : (
                <Text as="p" tone="subdued">
                  {t("offers.noCampaigns")}
                </Text>
              )}
            </div>
          </SectionCard>
        </Layout.Section>

        <Layout.Section>
          <SectionCard title="Shopify Flow">
            <InlineStack gap="200">
              {data.flow.triggers.map((x) => (
                <Badge key={x.handle} tone={x.inUse ? "success" : undefined}>
                  {t(x.inUse ? "offers.flowUsed" : "offers.flowUnused", { handle: x.handle })}
                </Badge>
              ))}
            </InlineStack>
            {!data.automations.flow && (
              <Text as="p" tone="subdued">
                {t("offers.flowOff")}
              </Text>
            )}
            {data.flow.events.length > 0 && (
              <div data-testid="flow-events">
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={[t("offers.when"), t("offers.trigger"), t("offers.customer"), t("offers.state")]}
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
