/** Dashboard: what the app is, the base's total and predicted value, tiers, distribution, concentration, job progress. */
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
import { getDashboard } from "~/pages/dashboard.server";
import { parseValueView } from "~/presentation/value-view";
import { ClvHistogramChart } from "~/components/charts/ClvHistogramChart";
import { LorenzChart } from "~/components/charts/LorenzChart";
import { SyncProgress, TrainingProgress, useLiveStatus } from "~/components/JobProgress";
import { RouteError } from "~/components/RouteError";
import { SectionCard } from "~/components/SectionCard";
import { Kpi } from "~/components/Kpi";
import { ValueViewToggle } from "~/components/ValueViewToggle";
import { tierLabel } from "~/i18n/format";
import { EMPTY_IMAGE } from "~/components/empty-image";
import { useI18n } from "~/i18n/context";
import { unmetRequirements } from "~/presentation/data-requirements";
import { pageMeta } from "~/i18n/meta";
import { modelName } from "~/i18n/model-names";
import { intervalExplanation, intervalLabel } from "~/presentation/interval-level";

export const meta = pageMeta("dashboard.title");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const view = parseValueView(new URL(request.url).searchParams.get("view"));
  return { dashboard: await getDashboard(prisma, shop, view) };
};

export default function Dashboard() {
  const { dashboard: d } = useLoaderData<typeof loader>();
  const { t, fmt } = useI18n();
  const status = useLiveStatus(d.status);
  const statusCard = (
    <SectionCard title={t("dashboard.status")}>
      <SyncProgress sync={status.sync} />
      <TrainingProgress training={status.training} queued={status.trainingQueued} />
    </SectionCard>
  );
  const about = (
    <SectionCard title={t("dashboard.aboutTitle")} gap="200">
      <div data-testid="about">
        <Text as="p">{t("dashboard.about", { months: d.horizonMonths })}</Text>
      </div>
    </SectionCard>
  );

  if (d.predictions === 0) {
    const busy = Boolean(status.sync?.running || status.training?.running || status.trainingQueued);
    return (
      <Page title={t("dashboard.title")}>
        <Layout>
          <Layout.Section>{about}</Layout.Section>
          <Layout.Section>
            <Card>
              {busy ? (
                <EmptyState heading={t("dashboard.preparing")} image={EMPTY_IMAGE}>
                  <p>{t("dashboard.preparingBody")}</p>
                </EmptyState>
              ) : !d.data.enough ? (
                <div data-testid="not-enough-data">
                  <EmptyState heading={t("dashboard.notEnough")} image={EMPTY_IMAGE}>
                    <p>{t("dashboard.notEnoughBody")}</p>
                    <List type="bullet">
                      {unmetRequirements(d.data).map((m) => (
                        <List.Item key={m.what}>
                          {t(`data.missing.${m.what}`, { have: fmt.int(m.have), need: fmt.int(m.need) })}
                        </List.Item>
                      ))}
                    </List>
                  </EmptyState>
                </div>
              ) : (
                <EmptyState
                  heading={t("dashboard.noPredictions")}
                  action={{ content: t("dashboard.train"), url: "/app/model" }}
                  image={EMPTY_IMAGE}
                >
                  <p>
                    {t("dashboard.noPredictionsBody", {
                      customers: fmt.int(d.data.customers),
                      days: fmt.int(d.data.historyDays),
                    })}
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
    ? t("dashboard.modelRun", { id: String(d.lastModel.id), name: modelName(t, d.lastModel.champion) })
    : t("dashboard.currentModel");
  const viewWord = t(d.view === "profit" ? "view.profitWord" : "view.revenueWord");
  const months = d.horizonMonths;
  const rangeText = (r: { low: number; high: number } | null) => (r ? fmt.range(r.low, r.high) : "—");
  return (
    <Page title={t("dashboard.title")} subtitle={t("dashboard.subtitle", { view: viewWord, months })}>
      <BlockStack gap="400">
        {about}
        {!d.data.enough ? (
          <Banner tone="warning" title={t("dashboard.limited")}>
            <List type="bullet">
              {d.data.missing.map((m) => (
                <List.Item key={m}>{m}</List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        <ValueViewToggle view={d.view} grossMargin={d.grossMargin} annualDiscountRate={d.annualDiscountRate} />
        <InlineGrid columns={{ xs: 1, md: 2, lg: 4 }} gap="400">
          <Kpi
            testId="kpi-customer-value"
            label={t("kpi.customerValue", { view: viewWord })}
            help={t("help.customerValue")}
            value={fmt.money(d.historicValue + d.totalValue)}
            detail={t("kpi.customerValueDetail", {
              historic: fmt.money(d.historicValue),
              predicted: fmt.money(d.totalValue),
              months,
            })}
          />
          <Kpi
            testId="kpi-total"
            label={t("kpi.predicted", { view: viewWord, months })}
            help={t("help.predicted", { months })}
            value={fmt.money(d.totalValue)}
            detail={
              d.totalRange ? (
                <span data-testid="kpi-total-range">
                  {t("kpi.predictedRange", {
                    range: rangeText(d.totalRange),
                    level: intervalLabel(d.interval, t),
                    model,
                  })}
                </span>
              ) : (
                t("kpi.predictedNoRange", { model })
              )
            }
          />
          <Kpi
            label={t("kpi.customers")}
            help={t("help.customers")}
            value={fmt.int(d.predictions)}
            detail={t("kpi.customersDetail")}
          />
          <Kpi
            label={t("kpi.top20")}
            help={t("help.top20")}
            value={d.top20Share === null ? "—" : fmt.pct(d.top20Share)}
            detail={t("kpi.top20Detail", { gini: fmt.num(d.gini, 2) })}
          />
        </InlineGrid>
        <Layout>
          <Layout.Section>
            <SectionCard title={t("dashboard.distribution", { view: viewWord })}>
              <ClvHistogramChart bins={d.histogram.bins} overflow={d.histogram.overflow} />
              <Text as="p" variant="bodySm" tone="subdued">
                {t("dashboard.distributionNote", { model, level: intervalLabel(d.interval, t) })}
              </Text>
            </SectionCard>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <SectionCard title={t("dashboard.concentration")}>
              <LorenzChart curve={d.lorenz} top20Share={d.top20Share} />
            </SectionCard>
          </Layout.Section>
          <Layout.Section>
            <SectionCard title={t("dashboard.tiers")}>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "text", "numeric"]}
                headings={[
                  t("col.tier"),
                  t("col.customers"),
                  t("col.predicted", { view: viewWord }),
                  t("col.tierRange"),
                  t("col.share"),
                ]}
                rows={d.tiers.map((r) => [
                  tierLabel(r.tier),
                  fmt.int(r.customers),
                  fmt.money(r.value),
                  rangeText(r.range),
                  fmt.pct(r.valueShare, 1),
                ])}
              />
              <Text as="p" variant="bodySm" tone="subdued">
                {d.totalRange
                  ? t("dashboard.rangeRule", { level: intervalLabel(d.interval, t) })
                  : t("dashboard.noRange")}{" "}
                {t("dashboard.tiersRule")}
              </Text>
            </SectionCard>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              {statusCard}
              <SectionCard title={t("dashboard.model")} gap="200">
                {d.lastModel ? (
                  <>
                    <Text as="p">{t("dashboard.champion", { name: modelName(t, d.lastModel.champion) })}</Text>
                    <Text as="p" variant="bodySm">
                      {t("dashboard.modelQuality", {
                        gini: fmt.num(champ?.gini, 2),
                        baseGini: fmt.num(base?.gini, 2),
                        error: champ?.decileMape != null ? fmt.pct(champ.decileMape, 1) : "—",
                        baseError: base?.decileMape != null ? fmt.pct(base.decileMape, 1) : "—",
                      })}
                    </Text>
                    <div data-testid="interval-level">
                      <Text as="p" variant="bodySm">
                        {intervalExplanation(d.interval, t)}
                      </Text>
                    </div>
                    {d.lastModel.reason ? (
                      <Text as="p" variant="bodySm" tone="subdued">
                        {t("dashboard.why", { reason: d.lastModel.reason })}
                      </Text>
                    ) : null}
                    {d.newerRun ? (
                      <Text as="p" variant="bodySm" tone="subdued">
                        {t("dashboard.newerRun", {
                          id: String(d.newerRun.id),
                          name: modelName(t, d.newerRun.champion),
                          reason: d.newerRun.reason ?? "",
                        })}
                      </Text>
                    ) : null}
                    {d.aggregatesAt ? (
                      <Text as="p" variant="bodySm" tone="subdued">
                        {t("dashboard.computedAt", {
                          id: String(d.lastModel.id),
                          at: d.aggregatesAt.slice(0, 16).replace("T", " "),
                        })}
                      </Text>
                    ) : null}
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    {t("dashboard.noRun")}
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
