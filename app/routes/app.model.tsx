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
import { getShopCurrency } from "~/models/shop-format.server";
import { servedCoverageSentence, servingScaleSentence, type CandidateScore } from "~/presentation/model-metrics";
import { modelLabel } from "~/clv/model-labels";
import { DecileChart } from "~/components/charts/DecileChart";
import { TrainingProgress, useLiveStatus } from "~/components/JobProgress";
import { RouteError } from "~/components/RouteError";
import { SectionCard } from "~/components/SectionCard";
import { EMPTY_IMAGE } from "~/components/empty-image";
import type { Formatter } from "~/i18n/format";
import { useI18n } from "~/i18n/context";
import type { Translate } from "~/i18n/i18n";
import { pageMeta } from "~/i18n/meta";

export const meta = pageMeta("modelPage.title");

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
  return { ok: true as const, started: r.created };
};

const ratioOf = (fmt: Formatter) => (v: number | null) => (v === null ? "—" : `${fmt.num(v, 2)}×`);

function scoreRow(c: CandidateScore, t: Translate, fmt: Formatter): string[] {
  const ratio = ratioOf(fmt);
  const name = `${c.label}${c.isChampion ? ` ★ ${t("modelPage.inUseMark")}` : ""}${c.isBaseline ? ` (${t("modelPage.reference")})` : ""}`;
  return [
    name,
    fmt.num(c.gini, 3),
    ratio(c.totalRatio),
    c.decileMape === null ? "—" : fmt.pct(c.decileMape, 1),
    c.servedInterval === null
      ? "—"
      : t("modelPage.coverageAim", {
          coverage: fmt.pct(c.servedInterval.coverage, 0),
          aim: fmt.pct(c.servedInterval.nominal, 0),
        }),
    ratio(c.servingScale),
    ratio(c.scale),
    c.mae === null ? "—" : fmt.money(c.mae),
  ];
}

function foldRows(cands: CandidateScore[], t: Translate, fmt: Formatter): string[][] {
  return cands.flatMap((c) =>
    c.folds.map((f) => [
      c.label,
      t(f.role === "validation" ? "modelPage.foldCalibration" : "modelPage.foldComparison"),
      f.cutoff,
      f.days === null ? "—" : t("modelPage.days", { count: f.days }),
      fmt.num(f.gini, 3),
      ratioOf(fmt)(f.rawTotalRatio),
      // the fold's own calibration factor: actual ÷ predicted total
      f.rawTotalRatio ? ratioOf(fmt)(1 / f.rawTotalRatio) : "—",
    ]),
  );
}

export default function Model() {
  const { data, currency } = useLoaderData<typeof loader>();
  const { t, fmt } = useI18n();
  const ratio = ratioOf(fmt);
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const status = useLiveStatus(data.status);
  const busy = Boolean(status.training?.running || status.trainingQueued);
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "retrain";
  const latest = data.latest;
  return (
    <Page title={t("modelPage.title")} subtitle={t("modelPage.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {t("job.training")}
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="retrain" />
                  <Button submit variant="primary" loading={submitting} disabled={busy}>
                    {t("modelPage.retrain")}
                  </Button>
                </Form>
              </InlineStack>
              {result ? (
                <Banner tone={result.ok ? "info" : "critical"}>
                  {result.ok
                    ? t(result.started ? "modelPage.retrainStarted" : "modelPage.retrainAlready")
                    : result.message}
                </Banner>
              ) : null}
              <TrainingProgress training={status.training} queued={status.trainingQueued} />
            </BlockStack>
          </Card>
        </Layout.Section>
        {!latest ? (
          <Layout.Section>
            <Card>
              <EmptyState heading={t("modelPage.noRun")} image={EMPTY_IMAGE}>
                <p>{t("modelPage.noRunBody")}</p>
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
                      {t("modelPage.inUse", { model: modelLabel(latest.champion) })}
                    </Text>
                    {latest.promoted ? (
                      <Badge tone="success">{t("modelPage.inUseMark")}</Badge>
                    ) : (
                      <Badge>{t("modelPage.notPromoted")}</Badge>
                    )}
                  </InlineStack>
                  <Text as="p">{latest.reason ?? t("modelPage.noReason")}</Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {t("modelPage.runFinished", { id: String(latest.id), date: fmt.date(latest.finishedAt) })}
                    {latest.calibrationEnd
                      ? ` · ${t("modelPage.trainedUpTo", { date: fmt.date(latest.calibrationEnd) })}`
                      : ""}
                    {latest.horizonDays ? ` · ${t("modelPage.scoredOn", { count: latest.horizonDays })}` : ""}
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
                        t("modelPage.colModel"),
                        t("modelPage.colGini"),
                        t("modelPage.colTotal"),
                        t("modelPage.colDecile"),
                        t("modelPage.colCoverage"),
                        t("modelPage.colFactor"),
                        t("modelPage.colFactorComparison"),
                        t("modelPage.colMae"),
                      ]}
                      rows={latest.metrics.candidates.map((c) => scoreRow(c, t, fmt))}
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
                      {t("modelPage.howChosen")}
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
                <SectionCard title={t("modelPage.calibrationTitle")}>
                  <BlockStack gap="300">
                    {latest.metrics.calibration.length ? (
                      <DataTable
                        columnContentTypes={["text", ...latest.metrics.calibration.map(() => "numeric" as const)]}
                        headings={[
                          t("modelPage.predictedDecile"),
                          ...latest.metrics.calibration.map((d) => String(d.decile)),
                        ]}
                        rows={[
                          [
                            t("modelPage.predictedOverActual"),
                            ...latest.metrics.calibration.map((d) => ratio(d.ratio)),
                          ],
                        ]}
                      />
                    ) : null}
                    {latest.metrics.churn ? (
                      <Text as="p">
                        {t("modelPage.churnCheck", {
                          days: latest.metrics.churn.windowDays ?? 90,
                          auc: fmt.num(latest.metrics.churn.auc, 2),
                          forecast:
                            latest.metrics.churn.meanForecast === null
                              ? "—"
                              : fmt.pct(latest.metrics.churn.meanForecast, 0),
                          observed:
                            latest.metrics.churn.observedRate === null
                              ? "—"
                              : fmt.pct(latest.metrics.churn.observedRate, 0),
                        })}
                      </Text>
                    ) : null}
                  </BlockStack>
                </SectionCard>
              </Layout.Section>
            ) : null}
            {latest.metrics.candidates.some((c) => c.folds.length) ? (
              <Layout.Section>
                <SectionCard title={t("modelPage.periods")}>
                  <DataTable
                    columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric"]}
                    headings={[
                      t("modelPage.colModel"),
                      t("modelPage.colUsedFor"),
                      t("modelPage.colFrom"),
                      t("modelPage.colLength"),
                      "Gini",
                      t("modelPage.colRawRatio"),
                      t("modelPage.colPeriodFactor"),
                    ]}
                    rows={foldRows(latest.metrics.candidates, t, fmt)}
                  />
                </SectionCard>
              </Layout.Section>
            ) : null}
            <Layout.Section>
              <SectionCard
                title={
                  <>
                    {t("modelPage.decileTitle")}
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
          <SectionCard title={t("modelPage.recentRuns")}>
            {data.runs.length ? (
              <DataTable
                columnContentTypes={["numeric", "text", "text", "text", "text"]}
                headings={[
                  t("modelPage.colRun"),
                  t("modelPage.colStatus"),
                  t("modelPage.colChampion"),
                  t("modelPage.colStarted"),
                  t("modelPage.colNote"),
                ]}
                rows={data.runs.map((r) => [
                  String(r.id),
                  r.status,
                  modelLabel(r.champion),
                  fmt.date(r.createdAt),
                  r.error ?? r.reason ?? "",
                ])}
              />
            ) : (
              <Text as="p" tone="subdued">
                {t("modelPage.noRuns")}
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
