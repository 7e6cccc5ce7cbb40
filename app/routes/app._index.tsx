/** Dashboard: predicted value of the base, tiers, distribution, concentration, job progress. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  Layout,
  List,
  Page,
  Text,
} from "@shopify/polaris";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { getDashboard } from "~/services/dashboard.server";
import { getShopCurrency } from "~/services/shop.server";
import { ClvHistogramChart } from "~/components/charts/ClvHistogramChart";
import { LorenzChart } from "~/components/charts/LorenzChart";
import { SyncProgress, TrainingProgress, useLiveStatus } from "~/components/JobProgress";
import { RouteError } from "~/components/RouteError";
import { SectionCard } from "~/components/SectionCard";
import { int, money, num, pct } from "~/components/format";
import { EMPTY_IMAGE } from "~/components/empty-image";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const [dashboard, currency] = await Promise.all([getDashboard(prisma, shop), getShopCurrency(prisma, shop)]);
  return { dashboard, currency };
};

function Kpi({ label, value, detail, testId }: { label: string; value: string; detail: string; testId?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <div data-testid={testId}>
          <Text as="p" variant="heading2xl">
            {value}
          </Text>
        </div>
        <Text as="p" variant="bodySm" tone="subdued">
          {detail}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const { dashboard: d, currency } = useLoaderData<typeof loader>();
  const status = useLiveStatus(d.status);
  const statusCard = (
    <SectionCard title="Sync and training">
      <SyncProgress sync={status.sync} />
      <TrainingProgress training={status.training} queued={status.trainingQueued} />
    </SectionCard>
  );

  if (d.predictions === 0) {
    const busy = Boolean(status.sync?.running || status.training?.running || status.trainingQueued);
    return (
      <Page title="Dashboard">
        <Layout>
          <Layout.Section>
            <Card>
              {busy ? (
                <EmptyState heading="Preparing your predictions" image={EMPTY_IMAGE}>
                  <p>
                    Your order history is being imported and the models trained. This page updates by itself when they
                    are ready.
                  </p>
                </EmptyState>
              ) : !d.data.enough ? (
                <div data-testid="not-enough-data">
                  <EmptyState heading="Not enough data yet" image={EMPTY_IMAGE}>
                    <p>Per-customer predictions need more purchase history before they can be trusted:</p>
                    <List type="bullet">
                      {d.data.missing.map((m) => (
                        <List.Item key={m}>{m}</List.Item>
                      ))}
                    </List>
                  </EmptyState>
                </div>
              ) : (
                <EmptyState
                  heading="No predictions yet"
                  action={{ content: "Train a model", url: "/app/model" }}
                  image={EMPTY_IMAGE}
                >
                  <p>
                    You have {int(d.data.customers)} customers with orders over {int(d.data.historyDays)} days. Train
                    the first model to see their predicted value.
                  </p>
                </EmptyState>
              )}
            </Card>
          </Layout.Section>
          <Layout.Section>{statusCard}</Layout.Section>
        </Layout>
      </Page>
    );
  }

  const champ = d.lastModel?.champ;
  const base = d.lastModel?.baseline;
  const model = d.lastModel
    ? `run #${d.lastModel.id}${d.lastModel.champion ? ` (${d.lastModel.champion})` : ""}`
    : "the current model";
  return (
    <Page title="Dashboard" subtitle={`Predicted value over the next ${d.horizonMonths} months`}>
      <BlockStack gap="400">
        {!d.data.enough ? (
          <Banner tone="warning" title="Limited history: treat predictions with care">
            <List type="bullet">
              {d.data.missing.map((m) => (
                <List.Item key={m}>{m}</List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          <Kpi
            testId="kpi-total"
            label={`Predicted ${d.horizonMonths}-month value`}
            value={money(d.totalValue, currency)}
            detail={`Likely range ${money(d.totalLow, currency)} – ${money(d.totalHigh, currency)}: the sum of the customers' ${d.intervalLabel === "no interval" ? "predictions (this model gives no interval)" : `${d.intervalLabel}s, a conservative range for the total`}. Predicted by ${model}.`}
          />
          <Kpi
            label="Customers with a prediction"
            value={int(d.predictions)}
            detail={`Exact count. Historic spend ${money(d.historicSpend, currency)} (recorded orders, exact).`}
          />
          <Kpi
            label="Top 20% of customers hold"
            value={d.top20Share === null ? "—" : pct(d.top20Share)}
            detail={`of predicted value (Gini ${d.gini.toFixed(2)}), from the point predictions of ${model}: no interval.`}
          />
        </InlineGrid>
        <Layout>
          <Layout.Section>
            <SectionCard title="CLV distribution">
              <ClvHistogramChart bins={d.histogram.bins} overflow={d.histogram.overflow} currency={currency} />
              <Text as="p" variant="bodySm" tone="subdued">
                Point predictions of {model}; each customer&apos;s {d.intervalLabel} is on the Customers page.
              </Text>
            </SectionCard>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <SectionCard title="Revenue concentration">
              <LorenzChart curve={d.lorenz} gini={d.gini} top20Share={d.top20Share} />
            </SectionCard>
          </Layout.Section>
          <Layout.Section>
            <SectionCard title="Tiers">
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "text", "numeric"]}
                headings={["Tier", "Customers", "Predicted value", "Likely range", "Share of value"]}
                rows={d.tiers.map((t) => [
                  t.tier,
                  int(t.customers),
                  money(t.value, currency),
                  `${money(t.low, currency)} – ${money(t.high, currency)}`,
                  pct(t.valueShare, 1),
                ])}
              />
              <Text as="p" variant="bodySm" tone="subdued">
                Ranges are sums of the customers&apos;{" "}
                {d.intervalLabel === "no interval" ? "predictions (no interval)" : `${d.intervalLabel}s (conservative)`}
                . Tiers rank customers by predicted value.
              </Text>
            </SectionCard>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              {statusCard}
              <SectionCard title="Current model" gap="200">
                {d.lastModel ? (
                  <>
                    <Text as="p">
                      Champion: <b>{d.lastModel.champion ?? "—"}</b>
                    </Text>
                    <Text as="p" variant="bodySm">
                      Gini {num(champ?.gini, 3)} vs baseline {num(base?.gini, 3)} · decile error{" "}
                      {champ?.decileMape != null ? pct(champ.decileMape, 1) : "—"} vs{" "}
                      {base?.decileMape != null ? pct(base.decileMape, 1) : "—"}
                    </Text>
                    <Text as="p" variant="bodySm" data-testid="interval-level">
                      {d.intervalExplanation}
                    </Text>
                    {d.lastModel.reason ? (
                      <Text as="p" variant="bodySm" tone="subdued">
                        Why this model: {d.lastModel.reason}
                      </Text>
                    ) : null}
                    {d.newerRun ? (
                      <Text as="p" variant="bodySm" tone="subdued">
                        Run #{d.newerRun.id}
                        {d.newerRun.champion ? ` (${d.newerRun.champion})` : ""} finished later but was not promoted
                        {d.newerRun.reason ? `: ${d.newerRun.reason}` : "."}
                      </Text>
                    ) : null}
                    {d.aggregatesAt ? (
                      <Text as="p" variant="bodySm" tone="subdued">
                        Figures computed from run #{d.lastModel.id}&apos;s predictions at{" "}
                        {d.aggregatesAt.slice(0, 16).replace("T", " ")} UTC.
                      </Text>
                    ) : null}
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    No finished training run.
                  </Text>
                )}
              </SectionCard>
            </BlockStack>
          </Layout.Section>
        </Layout>
        <Box paddingBlockEnd="400" />
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Dashboard" />;
}

// Re-auth headers of a thrown auth response must reach the browser on single-fetch data requests.
export { headers } from "~/shopify/embedded-headers";
