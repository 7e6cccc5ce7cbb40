/** One customer: total value (historic + predicted), churn risk, chance still active, drivers, paginated orders, tier history. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteLoaderData, useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  Pagination,
  Text,
} from "@shopify/polaris";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { getCustomerDetail } from "~/pages/customer-detail.server";
import { getSettings } from "~/settings/shop-settings.server";
import { churnRisk } from "~/presentation/churn-risk";
import { parseValueView, viewFactors } from "~/presentation/value-view";
import { PAliveChart } from "~/components/charts/PAliveChart";
import { RouteError } from "~/components/RouteError";
import { SectionCard } from "~/components/SectionCard";
import { Kpi } from "~/components/Kpi";
import { OpenInShopify } from "~/components/OpenInShopify";
import { ExportCsvButton } from "~/components/ExportCsvButton";
import { RetentionOfferCard } from "~/components/RetentionOfferCard";
import { SegmentCard } from "~/components/SegmentCard";
import { actOnCustomers, audienceSegments } from "~/pages/customer-actions.server";
import { pageAdmin } from "~/pages/shared/page-admin.server";
import { ChurnBadge, TierBadge } from "~/components/badges";
import { rangePhrase } from "~/components/PredictionRange";
import { ValueViewToggle } from "~/components/ValueViewToggle";
import { day, tierLabel } from "~/i18n/format";
import { useI18n } from "~/i18n/context";
import { searchLink } from "~/components/search-link";
import { pageMeta } from "~/i18n/meta";
import { intervalExplanation } from "~/presentation/interval-level";
import { modelName } from "~/i18n/model-names";
import type { loader as appLoader } from "./app";

export const meta = pageMeta<{ detail?: { customerId: string } }>("customer.title", (d) => ({
  id: d?.detail?.customerId ?? "",
}));

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const id = params.id ?? "";
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(id))
    throw new Response(`"${id.slice(0, 64)}" is not a valid customer id.`, { status: 400 });
  const search = new URL(request.url).searchParams;
  const ordersPage = Number(search.get("orders") ?? "1");
  const [detail, settings, segments] = await Promise.all([
    getCustomerDetail(prisma, shop, id, new Date(), Number.isFinite(ordersPage) ? ordersPage : 1),
    getSettings(prisma, shop),
    audienceSegments(prisma, shop),
  ]);
  if (!detail) throw new Response(`No customer ${id} in this store.`, { status: 404 });
  const valueSettings = {
    horizonMonths: settings.horizonMonths,
    grossMargin: settings.grossMargin,
    annualDiscountRate: settings.annualDiscountRate,
  };
  const tier = detail.prediction?.tier;
  const tierSegment = (tier && segments[`tier:${tier}`]) || null;
  return { detail, valueSettings, view: parseValueView(search.get("view")), tierSegment };
};

/** A retention offer for this customer, or the segment of their tier (app/pages/customer-actions.server.ts). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return actOnCustomers(prisma, shop, await request.formData(), () => pageAdmin(shop));
};

export default function CustomerPage() {
  const { detail: c, valueSettings, view, tierSegment } = useLoaderData<typeof loader>();
  const layout = useRouteLoaderData<typeof appLoader>("routes/app");
  const { t, fmt } = useI18n();
  const [params] = useSearchParams();
  const p = c.prediction;
  const months = p?.horizonDays ? Math.round(p.horizonDays / 30.4375) : valueSettings.horizonMonths;
  const f = viewFactors(view, valueSettings);
  const viewWord = t(view === "profit" ? "view.profitWord" : "view.revenueWord");
  const risk = p ? churnRisk({ ...p, horizonDays: p.horizonDays ?? Math.round(months * 30.4375) }) : null;
  const counts = c.orderCounts;
  const ordersHref = (page: number) => searchLink(params, "orders", page > 1 ? String(page) : null);
  return (
    <Page
      title={t("customer.title", { id: c.customerId })}
      backAction={{ content: t("customers.title"), url: "/app/customers" }}
      titleMetadata={
        p ? (
          <InlineStack gap="200">
            <TierBadge tier={p.tier} />
            {risk ? <ChurnBadge risk={risk} /> : null}
          </InlineStack>
        ) : undefined
      }
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <Text as="h2" variant="headingMd">
                  {t("customer.summary")}
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  {p ? (
                    <ExportCsvButton
                      href={`/app/customers/export?id=${encodeURIComponent(c.customerId)}`}
                      filename={`horizon-clv-customer-${c.customerId}.csv`}
                      accessibilityLabel={t("customer.exportAria")}
                    />
                  ) : null}
                  <OpenInShopify customerId={c.customerId} adminUrl={c.shopifyUrl} embedded={!(layout?.demo ?? true)} />
                </InlineStack>
              </InlineStack>
              {p && risk ? (
                <div data-testid="customer-prediction">
                  <BlockStack gap="400">
                    <ValueViewToggle
                      view={view}
                      grossMargin={valueSettings.grossMargin}
                      annualDiscountRate={valueSettings.annualDiscountRate}
                    />
                    <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
                      <Kpi
                        bare
                        testId="customer-total-value"
                        label={t("kpi.customerValue", { view: viewWord })}
                        help={t("help.customerValue")}
                        value={fmt.money(p.historicSpend * f.historic + p.clv * f.predicted)}
                        detail={t("kpi.customerValueDetail", {
                          historic: fmt.money(p.historicSpend * f.historic),
                          predicted: fmt.money(p.clv * f.predicted),
                          months,
                        })}
                      />
                      <Kpi
                        bare
                        label={t("kpi.predicted", { view: viewWord, months })}
                        help={t("help.predicted", { months })}
                        value={fmt.money(p.clv * f.predicted)}
                        detail={
                          rangePhrase(t, fmt, p.clvLow * f.predicted, p.clv * f.predicted, p.clvHigh * f.predicted) ??
                          t("customer.noInterval")
                        }
                      />
                      <Kpi
                        bare
                        testId="customer-churn"
                        label={t("metric.churnRisk")}
                        help={t("help.churnRisk")}
                        value={<ChurnBadge risk={risk} />}
                        detail={t(risk.source === "model" ? "churn.fromModel" : "churn.derived")}
                      />
                      <Kpi
                        bare
                        label={t("metric.pAlive")}
                        help={t("help.pAlive")}
                        value={fmt.pct(p.pAlive)}
                        detail={t("customer.pAliveDetail")}
                      />
                      <Kpi
                        bare
                        label={t("metric.expectedOrders")}
                        help={t("help.expectedOrders", { months })}
                        value={fmt.num(p.expectedOrders, 1)}
                        detail={
                          p.nextOrderAt
                            ? t("customer.nextOrder", { date: fmt.date(p.nextOrderAt) })
                            : t("customer.nextOrderNone", { months })
                        }
                      />
                      <Kpi
                        bare
                        label={t("metric.historic")}
                        help={t("help.historic")}
                        value={fmt.moneyExact(p.historicSpend * f.historic)}
                        detail={t("customer.lastOrder", { date: fmt.date(p.lastOrderAt) })}
                      />
                    </InlineGrid>
                    <div data-testid="order-counts">
                      <Text as="p" variant="bodySm">
                        {t(counts.recorded === counts.valid ? "customer.countsAll" : "customer.counts", {
                          recorded: t("count.orders", { count: counts.recorded }),
                          valid: fmt.int(counts.valid),
                          other: fmt.int(counts.recorded - counts.valid),
                          days: t("count.purchaseDays", { count: counts.purchaseDays }),
                        })}
                      </Text>
                    </div>
                    <Text as="p" variant="bodySm">
                      <span data-testid="interval-level">{intervalExplanation(p.interval, t)}</span>
                    </Text>
                    <Text as="p" variant="bodySm" tone="subdued">
                      {t("customer.modelLine", {
                        id: String(p.modelRunId),
                        name: modelName(t, p.champion),
                        date: fmt.date(p.computedAt),
                      })}
                      {c.customer?.predictedSpendTier
                        ? ` ${t("customer.shopifyTier", { tier: tierLabel(c.customer.predictedSpendTier.toLowerCase()) })}`
                        : ""}
                      {p.modelReason ? ` ${t("dashboard.why", { reason: p.modelReason })}` : ""}
                    </Text>
                  </BlockStack>
                </div>
              ) : (
                <Text as="p" tone="subdued">
                  {t("customer.noPrediction")}
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title={t("customer.pAliveOverTime")}>
            <PAliveChart points={c.pAliveHistory} unavailable={c.pAliveUnavailable} />
          </SectionCard>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <SectionCard title={t("customer.why")} gap="200">
              {c.drivers.length ? (
                <List type="bullet">
                  {c.drivers.map((d) => (
                    <List.Item key={d.phrase}>
                      {d.phrase}{" "}
                      <Text as="span" tone={d.weight >= 0 ? "success" : "critical"}>
                        <span aria-label={t(d.weight >= 0 ? "customer.raises" : "customer.lowers")} role="img">
                          {d.weight >= 0 ? "▲" : "▼"}
                        </span>
                      </Text>
                    </List.Item>
                  ))}
                </List>
              ) : (
                <Text as="p" tone="subdued">
                  {t("customer.noDrivers")}
                </Text>
              )}
            </SectionCard>
            <SectionCard title={t("customer.tierHistory")} gap="200">
              {c.tierHistory.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "numeric"]}
                  headings={[t("col.date"), t("col.tier"), t("customer.clvThen")]}
                  rows={c.tierHistory.map((x) => [day(x.changedAt), tierLabel(x.tier), fmt.money(x.clv)])}
                />
              ) : (
                <Text as="p" tone="subdued">
                  {t("customer.noTierChanges")}
                </Text>
              )}
            </SectionCard>
            <SectionCard title={t("customer.profile")} gap="100">
              <Text as="p" variant="bodySm">
                {t("customer.privacy")}
              </Text>
              {c.customer ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  {t("customer.since", { date: fmt.date(c.customer.shopifyCreatedAt) })}
                  {c.customer.countryCode ? ` · ${c.customer.countryCode}` : ""}
                  {c.customer.tags.length ? ` · ${t("customer.tags", { tags: c.customer.tags.join(", ") })}` : ""}
                  {c.customer.deleted ? ` · ${t("customer.deleted")}` : ""}
                </Text>
              ) : null}
            </SectionCard>
          </BlockStack>
          {p ? (
            <RetentionOfferCard
              title={t("act.titleCustomer")}
              target={{
                audience: "customer",
                customerId: c.customerId,
                label: t("customer.title", { id: c.customerId }),
              }}
            />
          ) : null}
          {p?.tier ? (
            <SegmentCard
              target={{
                audience: "tier",
                tier: p.tier,
                label: t("segment.customerTier", { tier: tierLabel(p.tier) }),
              }}
              existing={tierSegment}
              embedded={!(layout?.demo ?? true)}
            />
          ) : null}
        </Layout.Section>
        <Layout.Section>
          <SectionCard title={t("customer.orders")} gap="200">
            {c.orders.length ? (
              <div data-testid="orders-table">
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric"]}
                  headings={[
                    t("col.order"),
                    t("col.date"),
                    t("col.status"),
                    t("col.items"),
                    t("col.revenueNet"),
                    t("col.total"),
                    t("col.refunded"),
                  ]}
                  rows={c.orders.map((o) => [
                    o.name ?? o.id,
                    day(o.processedAt),
                    t(`status.${o.status}` as never) === `status.${o.status}`
                      ? o.status
                      : t(`status.${o.status}` as never),
                    fmt.int(o.lineItemCount),
                    fmt.moneyExact(o.revenue),
                    fmt.moneyExact(o.total),
                    o.refunded ? fmt.moneyExact(o.refunded) : "—",
                  ])}
                  footerContent={t("customer.ordersFooter", {
                    from: fmt.int((c.ordersPage.page - 1) * c.ordersPage.pageSize + 1),
                    to: fmt.int((c.ordersPage.page - 1) * c.ordersPage.pageSize + c.orders.length),
                    count: counts.recorded,
                  })}
                />
                {c.ordersPage.pageCount > 1 ? (
                  <InlineStack align="center">
                    <Pagination
                      hasPrevious={c.ordersPage.page > 1}
                      previousURL={ordersHref(c.ordersPage.page - 1)}
                      hasNext={c.ordersPage.page < c.ordersPage.pageCount}
                      nextURL={ordersHref(c.ordersPage.page + 1)}
                      label={t("pagination", {
                        page: fmt.int(c.ordersPage.page),
                        pages: fmt.int(c.ordersPage.pageCount),
                      })}
                    />
                  </InlineStack>
                ) : null}
              </div>
            ) : (
              <Text as="p" tone="subdued">
                {t("customer.noOrders")}
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
