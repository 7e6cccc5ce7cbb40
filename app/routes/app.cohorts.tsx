/** Cohorts: realised revenue per customer and retention by month of first order (chart + table). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { BlockStack, Card, DataTable, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { getCohorts } from "~/pages/cohorts.server";
import { CohortChart } from "~/components/charts/CohortChart";
import { RouteError } from "~/components/RouteError";
import { SectionCard } from "~/components/SectionCard";
import { SegmentedLinks } from "~/components/SegmentedLinks";
import { EMPTY_IMAGE } from "~/components/empty-image";
import { useI18n } from "~/i18n/context";
import { searchLink } from "~/components/search-link";
import { pageMeta } from "~/i18n/meta";

export const meta = pageMeta("cohorts.title");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const show = new URL(request.url).searchParams.get("show") === "retention" ? "retention" : "revenue";
  const { cohorts, orders } = await getCohorts(prisma, shop);
  return { cohorts, orders, show } as const;
};

/** Months shown as table columns. */
const TABLE_MONTHS = [1, 2, 3, 6, 12, 18, 24];

export default function Cohorts() {
  const { cohorts, orders, show } = useLoaderData<typeof loader>();
  const { t, fmt } = useI18n();
  const [params] = useSearchParams();
  if (orders === 0) {
    return (
      <Page title={t("cohorts.title")}>
        <Card>
          <EmptyState heading={t("cohorts.empty")} image={EMPTY_IMAGE}>
            <p>{t("cohorts.emptyBody")}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const series = (c: (typeof cohorts)[number]) => (show === "revenue" ? c.cumulative : c.retention);
  const cols = TABLE_MONTHS.filter((m) => cohorts.some((c) => series(c).length >= m));
  const href = (v: "revenue" | "retention") => searchLink(params, "show", v === "retention" ? "retention" : null);
  return (
    <Page title={t("cohorts.title")} subtitle={t("cohorts.subtitle")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="200">
            <SegmentedLinks
              label={t("cohorts.showLabel")}
              value={show}
              testId="cohort-view"
              options={[
                { value: "revenue", label: t("cohorts.revenue"), href: href("revenue") },
                { value: "retention", label: t("cohorts.retention"), href: href("retention") },
              ]}
            />
            <Text as="p" variant="bodySm" tone="subdued">
              {t(show === "revenue" ? "cohorts.revenueNote" : "cohorts.retentionNote")}
            </Text>
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title={t(show === "revenue" ? "cohorts.revenueTitle" : "cohorts.retentionTitle")}>
            <CohortChart cohorts={cohorts} show={show} />
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <SectionCard title={t("cohorts.tableTitle")}>
            <div data-testid="cohort-table">
              <DataTable
                columnContentTypes={["text", "numeric", ...cols.map(() => "numeric" as const)]}
                headings={[
                  t("cohorts.colMonth"),
                  t("col.customers"),
                  ...cols.map((m) => t("cohorts.afterMonths", { count: m })),
                ]}
                rows={[...cohorts]
                  .reverse()
                  .map((c) => [
                    c.month,
                    fmt.int(c.customers),
                    ...cols.map((m) =>
                      series(c).length >= m
                        ? show === "revenue"
                          ? fmt.moneyExact(series(c)[m - 1])
                          : fmt.pct(series(c)[m - 1], 1)
                        : "—",
                    ),
                  ])}
              />
            </div>
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Cohorts" />;
}

// Re-auth headers of a thrown auth response must reach the browser on single-fetch data requests.
export { headers } from "~/shopify/embedded-headers";
