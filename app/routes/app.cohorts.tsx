/** Cohorts: realised lifetime value by month of first order (curves + table). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, DataTable, EmptyState, Layout, Page } from "@shopify/polaris";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { getCohorts } from "~/services/cohorts.server";
import { getShopCurrency } from "~/services/shop.server";
import { CohortChart } from "~/components/charts/CohortChart";
import { RouteError } from "~/components/RouteError";
import { SectionCard } from "~/components/SectionCard";
import { EMPTY_IMAGE } from "~/components/empty-image";
import { int, money } from "~/components/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const [{ cohorts, orders }, currency] = await Promise.all([getCohorts(prisma, shop), getShopCurrency(prisma, shop)]);
  return { cohorts, orders, currency };
};

/** Months shown as table columns. */
const TABLE_MONTHS = [1, 3, 6, 12, 18, 24];

export default function Cohorts() {
  const { cohorts, orders, currency } = useLoaderData<typeof loader>();
  if (orders === 0) {
    return (
      <Page title="Cohorts">
        <Card>
          <EmptyState heading="No orders yet" image={EMPTY_IMAGE}>
            <p>Cohorts appear once your order history has been imported.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const cols = TABLE_MONTHS.filter((m) => cohorts.some((c) => c.cumulative.length >= m));
  return (
    <Page
      title="Cohorts"
      subtitle="Realised revenue per customer, by month of first order (net of returns; no predictions)"
    >
      <Layout>
        <Layout.Section>
          <SectionCard title="Cumulative revenue per customer">
            <CohortChart cohorts={cohorts} currency={currency} />
          </SectionCard>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <DataTable
              columnContentTypes={["text", "numeric", ...cols.map(() => "numeric" as const)]}
              headings={["First order month", "Customers", ...cols.map((m) => `After ${m} mo`)]}
              rows={[...cohorts]
                .reverse()
                .map((c) => [
                  c.month,
                  int(c.customers),
                  ...cols.map((m) => (c.cumulative.length >= m ? money(c.cumulative[m - 1], currency) : "—")),
                ])}
            />
          </Card>
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
