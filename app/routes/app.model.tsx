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
import { getModelPage, requestRetrain } from "~/pages/model-card.server";
import { getShopCurrency } from "~/pages/shared/shop-format.server";
import { servedCoverageSentence, servingScaleSentence, type CandidateScore } from "~/presentation/model-metrics";
import { modelLabel } from "~/training/model-labels";
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

const ratio = (v: number | null) => (v === null ? "—" : `${v.toFixed(2)}×`);

function scoreRow(c: CandidateScore, currency: string): string[] {
  const name = `${c.label}${c.isChampion ? " ★ in use" : ""}${c.isBaseline ? " (reference)" : ""}`;
  return [
    name,
    num(c.gini, 3),
    ratio(c.totalRatio),
    c.decileMape === null ? "—" : pct(c.decileMape, 1),
    c.servedInterval === null ? "—" : `${pct(c.servedInterval.coverage, 0)} (aim ${pct(c.servedInterval.nominal, 0)})`,
    c.servingScale === null ? "—" : `${c.servingScale.toFixed(2)}×`,
    c.scale === null ? "—" : `${c.scale.toFixed(2)}×`,
    c.mae === null ? "—" : money(c.mae, currency),
  ];
}

function foldRows(cands: CandidateScore[]): string[][] {
  return cands.flatMap((c) =>
    c.folds.map((f) => [
      c.label,
      f.role === "validation" ? "calibration" : "comparison",
      f.cutoff,
      f.days === null ? "—" : `${f.days} days`,
      num(f.gini, 3),
      ratio(f.rawTotalRatio),
      // the fold's own calibration factor: actual ÷ predicted total
      f.rawTotalRatio ? ratio(1 / f.rawTotalRatio) : "—",
    ]),
  );
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
                      In use: {modelLabel(latest.champion)}
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
                      columnContentTypes={[
                        "text",
                        "numeric",
                        "numeric",
                        "numeric",
                        "numeric",
                        "numeric",
                        "numeric",
                        "numeric",
                      ]}
                      headings={[
                        "Model",
                        "Ranking (Gini) ↑",
                        "Predicted ÷ actual total",
                        "Decile error ↓",
                        "80 % range held the actual spend of",
                        "Factor in use",
                        "Factor in the comparison",
                        "Average error ↓",
                      ]}
                      rows={latest.metrics.candidates.map((c) => scoreRow(c, currency))}
                    />
                  ) : null}
                  <BlockStack gap="100">
                    {latest.metrics.candidates
                      .filter((c) => c.explanation)
                      .map((c) => (
                        <Text as="p" variant="bodySm" tone="subdued" key={c.name}>
                          <b>{c.label}</b>: {c.explanation}
                        </Text>
                      ))}
                    <Text as="p" variant="bodySm" tone="subdued">
                      Every model predicts what each customer spent in a past period it did not see; the one that ranks
                      customers best is used, and past spend is used unless a model beats it. Each model&apos;s totals
                      are corrected by a calibration factor learned on an earlier period; &quot;predicted ÷ actual
                      total&quot; shows how close the corrected total came (1.00× is exact). The factor in use is the
                      one applied to your customers&apos; predictions today; each period&apos;s own factor is listed
                      under &quot;Backtest periods&quot;. The range column is the share of customers whose actual spend
                      fell inside the range built the way the one shown on customer pages is.
                    </Text>
                    {latest.metrics.candidates
                      .filter((c) => c.isChampion)
                      .flatMap((c) => [servedCoverageSentence(c), servingScaleSentence(c)])
                      .filter((t): t is string => t !== null)
                      .map((t) => (
                        <Text as="p" variant="bodySm" key={t}>
                          {t}
                        </Text>
                      ))}
                  </BlockStack>
                </BlockStack>
              </Card>
            </Layout.Section>
            {latest.metrics.calibration.length || latest.metrics.churn ? (
              <Layout.Section>
                <SectionCard title="Calibration and churn risk">
                  <BlockStack gap="300">
                    {latest.metrics.calibration.length ? (
                      <DataTable
                        columnContentTypes={["text", ...latest.metrics.calibration.map(() => "numeric" as const)]}
                        headings={["Predicted decile", ...latest.metrics.calibration.map((d) => String(d.decile))]}
                        rows={[["Predicted ÷ actual", ...latest.metrics.calibration.map((d) => ratio(d.ratio))]]}
                      />
                    ) : null}
                    {latest.metrics.churn ? (
                      <Text as="p">
                        Churn risk (chance of no order in the next {latest.metrics.churn.windowDays ?? 90} days) was
                        checked on a past period: it told apart customers who came back from those who did not with an
                        AUC of {num(latest.metrics.churn.auc, 2)} (0.5 = guessing, 1 = perfect); it forecast{" "}
                        {latest.metrics.churn.meanForecast === null ? "—" : pct(latest.metrics.churn.meanForecast, 0)}{" "}
                        of customers not ordering, and{" "}
                        {latest.metrics.churn.observedRate === null ? "—" : pct(latest.metrics.churn.observedRate, 0)}{" "}
                        did not.
                      </Text>
                    ) : null}
                  </BlockStack>
                </SectionCard>
              </Layout.Section>
            ) : null}
            {latest.metrics.candidates.some((c) => c.folds.length) ? (
              <Layout.Section>
                <SectionCard title="Backtest periods">
                  <DataTable
                    columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric"]}
                    headings={[
                      "Model",
                      "Used for",
                      "From",
                      "Length",
                      "Gini",
                      "Predicted ÷ actual (before calibration)",
                      "Period's calibration factor",
                    ]}
                    rows={foldRows(latest.metrics.candidates)}
                  />
                </SectionCard>
              </Layout.Section>
            ) : null}
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
                  modelLabel(r.champion),
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
