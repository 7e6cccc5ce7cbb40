/** Model: backtest of every candidate vs the baseline, decile chart, champion and why, Retrain. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { getModelPage, requestRetrain } from "~/services/model.server";
import { getShopCurrency } from "~/services/shop.server";
import type { CandidateScore } from "~/services/model-metrics";
import { DecileChart } from "~/components/charts/DecileChart";
import { TrainingProgress, useLiveStatus } from "~/components/JobProgress";
import { RouteError } from "~/components/RouteError";
import { SectionCard } from "~/components/SectionCard";
import { EMPTY_IMAGE } from "~/components/empty-image";
import { day, num, pct, money } from "~/components/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const [data, currency] = await Promise.all([getModelPage(prisma, shop), getShopCurrency(prisma, shop)]);
  return { data, currency };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  if (form.get("intent") !== "retrain")
    return { ok: false as const, message: `Unknown action "${String(form.get("intent"))}".` };
  const r = await requestRetrain(prisma, shop);
  return {
    ok: true as const,
    message: r.created ? "Retraining started." : "A retraining is already queued or running.",
  };
};

function scoreRow(c: CandidateScore, currency: string): string[] {
  const name = `${c.name}${c.isChampion ? " ★ champion" : ""}${c.isBaseline ? " (baseline)" : ""}`;
  return [
    name,
    num(c.gini, 3),
    c.decileMape === null ? "—" : pct(c.decileMape, 1),
    num(c.spearman, 3),
    c.mae === null ? "—" : money(c.mae, currency),
    c.topDecileCapture === null ? "—" : pct(c.topDecileCapture, 1),
  ];
}

export default function Model() {
  const { data, currency } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const status = useLiveStatus(data.status);
  const busy = Boolean(status.training?.running || status.trainingQueued);
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "retrain";
  const latest = data.latest;
  return (
    <Page title="Model" subtitle="Backtest of every candidate model against the past-spend baseline">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Training
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="retrain" />
                  <Button submit variant="primary" loading={submitting} disabled={busy}>
                    Retrain
                  </Button>
                </Form>
              </InlineStack>
              {result ? <Banner tone={result.ok ? "info" : "critical"}>{result.message}</Banner> : null}
              <TrainingProgress training={status.training} queued={status.trainingQueued} />
            </BlockStack>
          </Card>
        </Layout.Section>
        {!latest ? (
          <Layout.Section>
            <Card>
              <EmptyState heading="No finished training run yet" image={EMPTY_IMAGE}>
                <p>Press Retrain to backtest every model on your history and pick a champion.</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Champion: {latest.champion ?? "—"}
                    </Text>
                    {latest.promoted ? <Badge tone="success">in use</Badge> : <Badge>not promoted</Badge>}
                  </InlineStack>
                  <Text as="p">{latest.reason ?? "The run did not record why this model won."}</Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    Run #{latest.id}, finished {day(latest.finishedAt)}
                    {latest.calibrationEnd ? ` · trained on history up to ${day(latest.calibrationEnd)}` : ""}
                    {latest.horizonDays ? ` · scored on the following ${latest.horizonDays} days` : ""}
                  </Text>
                  {latest.metrics.problem ? <Banner tone="warning">{latest.metrics.problem}</Banner> : null}
                  {latest.metrics.candidates.length ? (
                    <DataTable
                      columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
                      headings={["Model", "Gini ↑", "Decile error ↓", "Spearman ↑", "MAE ↓", "Top-decile capture ↑"]}
                      rows={latest.metrics.candidates.map((c) => scoreRow(c, currency))}
                    />
                  ) : null}
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <SectionCard
                title={
                  <>
                    Predicted vs actual by decile
                    {latest.metrics.decilesModel ? ` (${latest.metrics.decilesModel})` : ""}
                  </>
                }
              >
                <DecileChart deciles={latest.metrics.deciles} model={latest.metrics.decilesModel} currency={currency} />
              </SectionCard>
            </Layout.Section>
          </>
        )}
        <Layout.Section>
          <SectionCard title="Recent runs">
            {data.runs.length ? (
              <DataTable
                columnContentTypes={["numeric", "text", "text", "text", "text"]}
                headings={["Run", "Status", "Champion", "Started", "Note"]}
                rows={data.runs.map((r) => [
                  String(r.id),
                  r.status,
                  r.champion ?? "—",
                  day(r.createdAt),
                  r.error ?? r.reason ?? "",
                ])}
              />
            ) : (
              <Text as="p" tone="subdued">
                No runs yet.
              </Text>
            )}
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Model" />;
}

// Re-auth headers of a thrown auth response must reach the browser on single-fetch data requests.
export { headers } from "~/shopify/embedded-headers";
