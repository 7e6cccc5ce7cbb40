/** Customers: server-side sorted, filtered, prefix-searchable, paginated table + CSV export of the filter. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  useLoaderData,
  useLocation,
  useNavigation,
  useRouteLoaderData,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  EmptyState,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Select,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { listCustomers } from "~/pages/customer-list.server";
import {
  CUSTOMER_SORT_KEYS,
  customerQueryToParams,
  parseCustomerListQuery,
  type CustomerSortKey,
} from "~/pages/customer-list-query";
import { currentIntervalLevel } from "~/aggregates/dashboard-aggregates.server";
import { intervalExplanation, intervalLabel } from "~/presentation/interval-level";
import { churnRisk } from "~/presentation/churn-risk";
import { parseValueView, viewFactors } from "~/presentation/value-view";
import { ExportCsvButton } from "~/components/ExportCsvButton";
import { RetentionOfferCard } from "~/components/RetentionOfferCard";
import { SegmentCard, type SegmentTarget } from "~/components/SegmentCard";
import { actOnCustomers, audienceSegments } from "~/pages/customer-actions.server";
import { pageAdmin } from "~/pages/shared/page-admin.server";
import { RouteError } from "~/components/RouteError";
import { EMPTY_IMAGE } from "~/components/empty-image";
import { day, tierLabel } from "~/i18n/format";
import { ChurnBadge, TierBadge } from "~/components/badges";
import { PredictionRange } from "~/components/PredictionRange";
import { ValueViewToggle } from "~/components/ValueViewToggle";
import { useI18n } from "~/i18n/context";
import { pageMeta } from "~/i18n/meta";
import type { MessageKey } from "~/i18n/i18n";
import type { loader as appLoader } from "./app";

export const meta = pageMeta("customers.title");

/** A retention offer or a segment for the current filter (app/pages/customer-actions.server.ts). */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return actOnCustomers(prisma, shop, await request.formData(), () => pageAdmin(shop));
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const params = new URL(request.url).searchParams;
  const { query, errors } = parseCustomerListQuery(params);
  const view = parseValueView(params.get("view"));
  const [page, current, segments] = await Promise.all([
    listCustomers(prisma, shop, query),
    currentIntervalLevel(prisma, shop),
    audienceSegments(prisma, shop),
  ]);
  const level = current?.level ?? null;
  const interval = { level, runId: current?.runId ?? null };
  return { page, query: page.unknownTier ? { ...query, tier: undefined } : query, errors, interval, view, segments };
};

/** Table columns; `sort` names the server-side sort key (absent = not sortable). */
const COLUMNS: Array<{ title: MessageKey; sort?: CustomerSortKey; numeric?: boolean }> = [
  { title: "col.customer", sort: "customerId" },
  { title: "col.tier" },
  { title: "col.predicted", sort: "clv", numeric: true },
  { title: "col.churnRisk" },
  { title: "col.pAlive", sort: "pAlive", numeric: true },
  { title: "col.expectedOrders", sort: "expectedOrders", numeric: true },
  { title: "col.historic", sort: "historicSpend", numeric: true },
  { title: "col.orders", sort: "orderCount", numeric: true },
  { title: "col.lastOrder", sort: "lastOrderAt" },
];

export default function Customers() {
  const { page, query, errors, interval, view, segments } = useLoaderData<typeof loader>();
  const layout = useRouteLoaderData<typeof appLoader>("routes/app");
  const { t, fmt } = useI18n();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const navigation = useNavigation();
  const location = useLocation();
  const [search, setSearch] = useState(query.q ?? "");
  const loading = navigation.state === "loading" && navigation.location.pathname === location.pathname;
  const filtered = Boolean(query.tier || query.atRisk || query.q || query.id);
  const f = viewFactors(view, page.valueSettings);
  const viewWord = t(view === "profit" ? "view.profitWord" : "view.revenueWord");
  const levelLabel = intervalLabel(interval.level, t);

  const go = (changes: Record<string, string | null>) => {
    // Start from the address bar, not the render-time params: a quick second change (before the
    // previous navigation re-rendered) must keep the first one.
    const next = new URLSearchParams(typeof window === "undefined" ? params : window.location.search);
    next.delete("index");
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    if (!("page" in changes)) next.delete("page");
    submit(next, { method: "get", replace: false });
  };
  const clearFilters = () => {
    setSearch("");
    go({ q: null, tier: null, atRisk: null, id: null });
  };

  const exportParams = customerQueryToParams({ ...query, page: 1 });
  exportParams.delete("page");
  const sortIndex = COLUMNS.findIndex((c) => c.sort === query.sort);

  if (page.total === 0 && !filtered && !page.unknownTier) {
    return (
      <Page title={t("customers.title")}>
        <Card>
          <EmptyState
            heading={t("dashboard.noPredictions")}
            action={{ content: t("customers.toModel"), url: "/app/model" }}
            image={EMPTY_IMAGE}
          >
            <p>{t("customers.emptyBody")}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  // The one audience the actions machinery can target from this filter (none for a search or a mix).
  const offerTarget: SegmentTarget | null =
    query.q || query.id || (query.tier && query.atRisk)
      ? null
      : query.tier
        ? { audience: "tier", tier: query.tier, label: t("act.audienceTier", { tier: tierLabel(query.tier) }) }
        : query.atRisk
          ? { audience: "at-risk", label: t("act.audienceAtRisk") }
          : null;
  // A segment expresses the same audiences (its query filters on the tier / at-risk tag).
  const segmentKey = offerTarget && (offerTarget.audience === "tier" ? `tier:${offerTarget.tier}` : "at-risk");
  const active: Array<{ key: string; label: string; remove: () => void }> = [];
  if (query.q)
    active.push({
      key: "q",
      label: t("filter.search", { q: query.q }),
      remove: () => {
        setSearch("");
        go({ q: null });
      },
    });
  if (query.tier)
    active.push({
      key: "tier",
      label: t("filter.tier", { tier: tierLabel(query.tier) }),
      remove: () => go({ tier: null }),
    });
  if (query.id) active.push({ key: "id", label: t("filter.id", { id: query.id }), remove: () => go({ id: null }) });
  if (query.atRisk) active.push({ key: "atRisk", label: t("filter.atRisk"), remove: () => go({ atRisk: null }) });

  return (
    <Page
      title={t("customers.title")}
      subtitle={t(filtered ? "customers.subtitleFiltered" : "customers.subtitle", { count: page.total })}
      fullWidth
    >
      <BlockStack gap="400">
        {page.unknownTier ? (
          <div data-testid="unknown-tier">
            <Banner tone="warning" title={t("customers.unknownTier", { tier: page.unknownTier })}>
              <p>{t("customers.unknownTierBody", { tiers: page.tiers.map(tierLabel).join(", ") })}</p>
            </Banner>
          </div>
        ) : null}
        {errors.length ? (
          <Banner tone="warning" title={t("customers.ignored")}>
            <ul>
              {errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </Banner>
        ) : null}
        <Card>
          <BlockStack gap="300">
            <InlineStack gap="400" blockAlign="end" wrap>
              <Form
                method="get"
                role="search"
                onSubmit={(e) => {
                  e.preventDefault();
                  go({ q: search.trim() || null });
                }}
              >
                <InlineStack gap="200" blockAlign="end">
                  <div style={{ minWidth: 260 }}>
                    <TextField
                      label={t("customers.search")}
                      name="q"
                      value={search}
                      onChange={setSearch}
                      placeholder={t("customers.searchPlaceholder")}
                      helpText={t("customers.searchHelp")}
                      autoComplete="off"
                    />
                  </div>
                  <Button submit>{t("customers.searchButton")}</Button>
                </InlineStack>
              </Form>
              <div style={{ minWidth: 160 }}>
                <Select
                  label={t("col.tier")}
                  options={[
                    { label: t("customers.allTiers"), value: "" },
                    ...page.tiers.map((x) => ({ label: tierLabel(x), value: x })),
                  ]}
                  value={query.tier ?? ""}
                  onChange={(v) => go({ tier: v || null })}
                />
              </div>
              <Checkbox
                label={t("customers.atRiskOnly")}
                helpText={t("help.atRisk")}
                checked={query.atRisk}
                onChange={(v) => go({ atRisk: v ? "1" : null })}
              />
              <ExportCsvButton
                href={`/app/customers/export?${exportParams.toString()}`}
                filename="horizon-clv-customers.csv"
              />
            </InlineStack>
            <div data-testid="active-filters">
              {active.length ? (
                <InlineStack gap="200" blockAlign="center" wrap>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t("filter.active")}
                  </Text>
                  {active.map((a) => (
                    <Tag key={a.key} onRemove={a.remove}>
                      {a.label}
                    </Tag>
                  ))}
                  <Button variant="plain" onClick={clearFilters}>
                    {t("filter.clear")}
                  </Button>
                </InlineStack>
              ) : (
                <Text as="span" variant="bodySm" tone="subdued">
                  {t("filter.none")}
                </Text>
              )}
            </div>
            <ValueViewToggle
              view={view}
              grossMargin={page.valueSettings.grossMargin}
              annualDiscountRate={page.valueSettings.annualDiscountRate}
            />
          </BlockStack>
        </Card>
        {filtered && page.total > 0 ? <RetentionOfferCard title={t("act.title")} target={offerTarget} /> : null}
        {filtered && page.total > 0 ? (
          <SegmentCard
            target={offerTarget}
            existing={(segmentKey && segments[segmentKey]) || null}
            embedded={!(layout?.demo ?? true)}
          />
        ) : null}
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: t("customers.singular"), plural: t("customers.plural") }}
            itemCount={page.rows.length}
            selectable={false}
            loading={loading}
            headings={
              COLUMNS.map((c) => ({
                title: c.sort === "clv" ? t("col.predictedLevel", { view: viewWord, level: levelLabel }) : t(c.title),
                alignment: c.numeric ? "end" : "start",
              })) as never
            }
            sortable={COLUMNS.map((c) => Boolean(c.sort))}
            sortColumnIndex={sortIndex >= 0 ? sortIndex : undefined}
            sortDirection={query.direction === "asc" ? "ascending" : "descending"}
            defaultSortDirection="descending"
            onSort={(index, direction) => {
              const key = COLUMNS[index]?.sort;
              if (key && (CUSTOMER_SORT_KEYS as readonly string[]).includes(key))
                go({ sort: key, direction: direction === "ascending" ? "asc" : "desc" });
            }}
            emptyState={
              <BlockStack gap="200" inlineAlign="center">
                <Text as="p" variant="headingMd">
                  {t("customers.noMatch")}
                </Text>
                <Button onClick={clearFilters}>{t("filter.clear")}</Button>
              </BlockStack>
            }
            pagination={{
              hasPrevious: page.page > 1,
              hasNext: page.page < page.pageCount,
              onPrevious: () => go({ page: String(page.page - 1) }),
              onNext: () => go({ page: String(page.page + 1) }),
              label: t("pagination", { page: fmt.int(page.page), pages: fmt.int(page.pageCount) }),
            }}
          >
            {page.rows.map((r, i) => {
              const risk = churnRisk({ ...r, horizonDays: page.horizonDays });
              return (
                <IndexTable.Row id={r.customerId} key={r.customerId} position={i}>
                  <IndexTable.Cell>
                    <Link url={`/app/customers/${encodeURIComponent(r.customerId)}`} dataPrimaryLink removeUnderline>
                      <span data-testid="customer-link">{r.customerId}</span>
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div data-testid="tier-cell" data-value={r.tier}>
                      <TierBadge tier={r.tier} />
                    </div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ textAlign: "right" }} data-testid="clv-cell" data-value={r.clv}>
                      <Text as="span" fontWeight="semibold">
                        {fmt.money(r.clv * f.predicted)}
                      </Text>
                      <PredictionRange
                        low={r.clvLow * f.predicted}
                        point={r.clv * f.predicted}
                        high={r.clvHigh * f.predicted}
                      />
                    </div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <ChurnBadge risk={risk} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ textAlign: "right" }} data-testid="palive-cell" data-value={r.pAlive}>
                      {fmt.pct(r.pAlive)}
                    </div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ textAlign: "right" }}>{fmt.num(r.expectedOrders, 1)}</div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ textAlign: "right" }} data-testid="historic-cell">
                      {fmt.moneyExact(r.historicSpend * f.historic)}
                    </div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ textAlign: "right" }}>{fmt.int(r.orderCount)}</div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{day(r.lastOrderAt)}</IndexTable.Cell>
                </IndexTable.Row>
              );
            })}
          </IndexTable>
        </Card>
        <Text as="p" variant="bodySm" tone="subdued">
          <span data-testid="interval-note">
            {t("customers.note", {
              run: interval.runId !== null ? String(interval.runId) : "—",
              explanation: intervalExplanation(interval.level, t),
            })}
          </span>
        </Text>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Customers" />;
}

// Re-auth headers of a thrown auth response must reach the browser on single-fetch data requests.
export { headers } from "~/shopify/embedded-headers";
