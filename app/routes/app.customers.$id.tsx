/** One customer: prediction with interval, P(alive) over time, drivers, orders, tier history. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineGrid, Layout, List, Page, Text } from "@shopify/polaris";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { getCustomerDetail } from "~/services/customer.server";
import { getShopCurrency } from "~/services/shop.server";
import { PAliveChart } from "~/components/charts/PAliveChart";
import { RouteError } from "~/components/RouteError";
import { SectionCard } from "~/components/SectionCard";
import { day, int, money, pct } from "~/components/format";
import { tierTone } from "~/components/tier-tone";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const id = params.id ?? "";
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(id))
    throw new Response(`"${id.slice(0, 64)}" is not a valid customer id.`, { status: 400 });
  const [detail, currency] = await Promise.all([getCustomerDetail(prisma, shop, id), getShopCurrency(prisma, shop)]);
  if (!detail) throw new Response(`No customer ${id} in this store.`, { status: 404 });
  return { detail, currency };
};

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <BlockStack gap="050">
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="span" variant="headingLg">
        {value}
      </Text>
      {detail ? (
        <Text as="span" variant="bodySm" tone="subdued">
          {detail}
        </Text>
      ) : null}
    </BlockStack>
  );
}

export default function CustomerPage() {
  const { detail: c, currency } = useLoaderData<typeof loader>();
  const p = c.prediction;
  const months = p?.horizonDays ? Math.round(p.horizonDays / 30.4375) : null;
  return (
    <Page
      title={`Customer ${c.customerId}`}
      backAction={{ content: "Customers", url: "/app/customers" }}
      titleMetadata={p ? <Badge tone={tierTone(p.tier)}>{p.tier}</Badge> : undefined}
      secondaryActions={[{ content: "Open in Shopify", url: c.shopifyUrl, external: true }]}
    >
      <Layout>
        <Layout.Section>
          <Card>
            {p ? (
              <div data-testid="customer-prediction">
                <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
                  <Stat
                    label={`Predicted value${months ? ` (next ${months} months)` : ""}`}
                    value={money(p.clv, currency)}
                    detail={`Likely range ${money(p.clvLow, currency)} – ${money(p.clvHigh, currency)} (${p.intervalLabel})`}
                  />
                  <Stat
                    label="P(alive)"
                    value={pct(p.pAlive)}
                    detail="chance the customer will still buy (model point estimate, no interval)"
                  />
                  <Stat
                    label="Expected orders"
                    value={p.expectedOrders.toFixed(2)}
                    detail={`${months ? `in the next ${months} months` : "over the horizon"} (model point estimate, no interval)`}
                  />
                  <Stat
                    label="Historic spend"
                    value={money(p.historicSpend, currency)}
                    detail={`${int(p.orderCount)} orders (recorded, exact)`}
                  />
                </InlineGrid>
                <Text as="p" variant="bodySm">
                  <span data-testid="interval-level">{p.intervalExplanation}</span> The reasons for this customer&apos;s
                  prediction are under &quot;Why this prediction&quot;.
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  Model run #{p.modelRunId}
                  {p.champion ? ` (${p.champion})` : ""}, computed {day(p.computedAt)}.
                  {c.customer?.predictedSpendTier
                    ? ` Shopify's own predicted spend tier: ${c.customer.predictedSpendTier}.`
                    : ""}
                  {p.modelReason ? ` Why this model: ${p.modelReason}` : ""}
                </Text>
              </div>
            ) : (
              <Text as="p" tone="subdued">
                No prediction for this customer yet (new customer, or not included in the last training run).
              </Text>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="P(alive) over time">
            <PAliveChart points={c.pAliveHistory} unavailable={c.pAliveUnavailable} />
          </SectionCard>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <SectionCard title="Why this prediction" gap="200">
              {c.drivers.length ? (
                <List type="bullet">
                  {c.drivers.map((d) => (
                    <List.Item key={d.phrase}>
                      {d.phrase}{" "}
                      <Text as="span" tone={d.weight >= 0 ? "success" : "critical"}>
                        {d.weight >= 0 ? "▲" : "▼"}
                      </Text>
                    </List.Item>
                  ))}
                </List>
              ) : (
                <Text as="p" tone="subdued">
                  The model recorded no drivers for this customer.
                </Text>
              )}
            </SectionCard>
            <SectionCard title="Tier history" gap="200">
              {c.tierHistory.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "numeric"]}
                  headings={["Date", "Tier", "CLV then (point prediction)"]}
                  rows={c.tierHistory.map((t) => [day(t.changedAt), t.tier, money(t.clv, currency)])}
                />
              ) : (
                <Text as="p" tone="subdued">
                  No tier changes recorded.
                </Text>
              )}
            </SectionCard>
            <SectionCard title="Profile" gap="100">
              <Text as="p" variant="bodySm">
                Names and contact details are not stored by Horizon CLV; open the customer in Shopify to see them.
              </Text>
              {c.customer ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  Customer since {day(c.customer.shopifyCreatedAt)}
                  {c.customer.countryCode ? ` · ${c.customer.countryCode}` : ""}
                  {c.customer.tags.length ? ` · tags: ${c.customer.tags.join(", ")}` : ""}
                  {c.customer.deleted ? " · deleted in Shopify" : ""}
                </Text>
              ) : null}
            </SectionCard>
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title="Orders" gap="200">
            {c.orders.length ? (
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric"]}
                headings={["Order", "Date", "Status", "Items", "Revenue (net)", "Total", "Refunded"]}
                rows={c.orders.map((o) => [
                  o.name ?? o.id,
                  day(o.processedAt),
                  o.status,
                  int(o.lineItemCount),
                  money(o.revenue, o.currencyCode),
                  money(o.total, o.currencyCode),
                  o.refunded ? money(o.refunded, o.currencyCode) : "—",
                ])}
                footerContent={
                  c.ordersTruncated ? `Showing the latest ${c.orders.length} orders.` : `${c.orders.length} orders`
                }
              />
            ) : (
              <Text as="p" tone="subdued">
                No orders.
              </Text>
            )}
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Customer" />;
}

// Re-auth headers of a thrown auth response must reach the browser on single-fetch data requests.
export { headers } from "~/shopify/embedded-headers";
