/** Customers: server-side sorted, filtered, searchable, paginated table + CSV export of the filter. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useLocation, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
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
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { listCustomers } from "~/services/customers.server";
import {
  AT_RISK_P_ALIVE,
  CUSTOMER_SORT_KEYS,
  customerQueryToParams,
  parseCustomerListQuery,
  type CustomerSortKey,
} from "~/services/customers-query";
import { getShopCurrency } from "~/services/shop.server";
import { currentIntervalLevel } from "~/services/aggregates.server";
import { intervalExplanation, intervalLabel } from "~/services/interval-level";
import { ExportCsvButton } from "~/components/ExportCsvButton";
import { RouteError } from "~/components/RouteError";
import { EMPTY_IMAGE } from "~/components/empty-image";
import { day, int, money, pct } from "~/components/format";
import { tierTone } from "~/components/tier-tone";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { query, errors } = parseCustomerListQuery(new URL(request.url).searchParams);
  const [page, currency, current] = await Promise.all([
    listCustomers(prisma, shop, query),
    getShopCurrency(prisma, shop),
    currentIntervalLevel(prisma, shop),
  ]);
  const level = current?.level ?? null;
  const interval = {
    label: intervalLabel(level),
    explanation: intervalExplanation(level),
    runId: current?.runId ?? null,
  };
  return { page, query, errors, currency, interval };
};

/** Table columns; `sort` names the server-side sort key (absent = not sortable). */
const COLUMNS: Array<{ title: string; sort?: CustomerSortKey; numeric?: boolean }> = [
  { title: "Customer", sort: "customerId" },
  { title: "Tier" },
  { title: "Predicted CLV (likely range)", sort: "clv", numeric: true }, // shown with the run's interval level
  { title: "P(alive)", sort: "pAlive", numeric: true },
  { title: "Expected orders", sort: "expectedOrders", numeric: true },
  { title: "Historic spend", sort: "historicSpend", numeric: true },
  { title: "Orders", sort: "orderCount", numeric: true },
  { title: "Last order", sort: "lastOrderAt" },
];

export default function Customers() {
  const { page, query, errors, currency, interval } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const navigation = useNavigation();
  const location = useLocation();
  const [search, setSearch] = useState(query.q ?? "");
  const loading = navigation.state === "loading" && navigation.location.pathname === location.pathname;
  const filtered = Boolean(query.tier || query.atRisk || query.q);

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

  const exportParams = customerQueryToParams({ ...query, page: 1 });
  exportParams.delete("page");
  const sortIndex = COLUMNS.findIndex((c) => c.sort === query.sort);

  if (page.total === 0 && !filtered) {
    return (
      <Page title="Customers">
        <Card>
          <EmptyState
            heading="No predictions yet"
            action={{ content: "Go to the model page", url: "/app/model" }}
            image={EMPTY_IMAGE}
          >
            <p>Customers appear here with their predicted value once the first model has been trained.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  return (
    <Page title="Customers" subtitle={`${int(page.total)} customers${filtered ? " match the filter" : ""}`} fullWidth>
      <BlockStack gap="400">
        {errors.length ? (
          <Banner tone="warning" title="Some filters were ignored">
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
                onSubmit={(e) => {
                  e.preventDefault();
                  go({ q: search.trim() || null });
                }}
              >
                <InlineStack gap="200" blockAlign="end">
                  <div style={{ minWidth: 260 }}>
                    <TextField
                      label="Search"
                      name="q"
                      value={search}
                      onChange={setSearch}
                      placeholder="Customer id or order name (#1001)"
                      autoComplete="off"
                      clearButton
                      onClearButtonClick={() => {
                        setSearch("");
                        go({ q: null });
                      }}
                    />
                  </div>
                  <Button submit>Search</Button>
                </InlineStack>
              </Form>
              <div style={{ minWidth: 160 }}>
                <Select
                  label="Tier"
                  options={[{ label: "All tiers", value: "" }, ...page.tiers.map((t) => ({ label: t, value: t }))]}
                  value={query.tier ?? ""}
                  onChange={(v) => go({ tier: v || null })}
                />
              </div>
              <Checkbox
                label={`At risk only (P(alive) < ${pct(AT_RISK_P_ALIVE)})`}
                checked={query.atRisk}
                onChange={(v) => go({ atRisk: v ? "1" : null })}
              />
              <ExportCsvButton
                href={`/app/customers/export?${exportParams.toString()}`}
                filename="horizon-clv-customers.csv"
              />
            </InlineStack>
          </BlockStack>
        </Card>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "customer", plural: "customers" }}
            itemCount={page.rows.length}
            selectable={false}
            loading={loading}
            headings={
              COLUMNS.map((c) => ({
                title: c.sort === "clv" ? `Predicted CLV (${interval.label})` : c.title,
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
                  No customers match
                </Text>
                <Text as="p" tone="subdued">
                  Try another search, tier or turn off &quot;at risk only&quot;.
                </Text>
              </BlockStack>
            }
            pagination={{
              hasPrevious: page.page > 1,
              hasNext: page.page < page.pageCount,
              onPrevious: () => go({ page: String(page.page - 1) }),
              onNext: () => go({ page: String(page.page + 1) }),
              label: `Page ${page.page} of ${int(page.pageCount)}`,
            }}
          >
            {page.rows.map((r, i) => (
              <IndexTable.Row id={r.customerId} key={r.customerId} position={i}>
                <IndexTable.Cell>
                  <Link url={`/app/customers/${encodeURIComponent(r.customerId)}`} dataPrimaryLink removeUnderline>
                    <span data-testid="customer-link">{r.customerId}</span>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div data-testid="tier-cell" data-value={r.tier}>
                    <Badge tone={tierTone(r.tier)}>{r.tier}</Badge>
                  </div>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ textAlign: "right" }} data-testid="clv-cell" data-value={r.clv}>
                    <Text as="span" fontWeight="semibold">
                      {money(r.clv, currency)}
                    </Text>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {" "}
                      ({money(r.clvLow, currency)}–{money(r.clvHigh, currency)})
                    </Text>
                  </div>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ textAlign: "right" }} data-testid="palive-cell" data-value={r.pAlive}>
                    <Text as="span" tone={r.pAlive < AT_RISK_P_ALIVE ? "critical" : undefined}>
                      {pct(r.pAlive)}
                    </Text>
                  </div>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ textAlign: "right" }}>{r.expectedOrders.toFixed(2)}</div>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ textAlign: "right" }}>{money(r.historicSpend, currency)}</div>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ textAlign: "right" }}>{int(r.orderCount)}</div>
                </IndexTable.Cell>
                <IndexTable.Cell>{day(r.lastOrderAt)}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
        <Text as="p" variant="bodySm" tone="subdued">
          <span data-testid="interval-note">
            Predicted CLV{interval.runId !== null ? ` by model run #${interval.runId}` : ""}. {interval.explanation}{" "}
            P(alive) and expected orders are the model&apos;s point estimates (no interval); historic spend and orders
            are recorded facts. Open a customer for the reasons behind their prediction.
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
