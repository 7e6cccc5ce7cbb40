/** Settings: horizon, discount rate, margin, tier rules, tag prefix, automations — validated. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteLoaderData, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { UnsavedChanges } from "~/components/UnsavedChanges";
import type { loader as appLoader } from "./app";
import prisma, { dbHandle } from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { wakeInlineWorker } from "~/jobs/inline.server";
import { onSettingsChanged } from "~/lifecycle/chain.server";
import {
  getSettings,
  previewTierRules,
  saveSettings,
  settingsNeedRescore,
  validateSettingsForm,
  type TierMove,
} from "~/settings/shop-settings.server";
import { AUTOMATIONS, MAX_TIERS, type Automation } from "~/settings/settings-schema";
import { RouteError } from "~/components/RouteError";
import { useI18n } from "~/i18n/context";
import type { MessageKey } from "~/i18n/i18n";
import { pageMeta } from "~/i18n/meta";

export const meta = pageMeta("settings.title");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return { settings: await getSettings(prisma, shop) };
};

type ActionResult =
  | { ok: true; errors: Record<string, string>; rescoring: boolean }
  | { ok: false; errors: Record<string, string>; preview?: TierMove[] };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const r = validateSettingsForm(form);
  if (!r.ok) return { ok: false, errors: r.errors };
  const before = await getSettings(prisma, shop);
  // Changed tier rules: show who moves (a dry run on the current predictions) before saving.
  if (JSON.stringify(before.tierRules) !== JSON.stringify(r.settings.tierRules) && form.get("confirmTiers") !== "1")
    return { ok: false, errors: {}, preview: await previewTierRules(prisma, shop, r.settings.tierRules) };
  await saveSettings(prisma, shop, r.settings);
  // Margin, horizon, discount rate, tiers, tag prefix, switches: rescore and write back, no retrain.
  const rescoring = settingsNeedRescore(before, r.settings);
  if (rescoring) {
    await onSettingsChanged(prisma, new DbJobQueue(prisma, dbHandle.provider), shop);
    wakeInlineWorker();
  }
  return { ok: true, errors: {}, rescoring };
};

/** Each automation's label and help (message keys `settings.auto.<name>` / `settings.auto.<name>Help`). */
const AUTOMATION_LABELS: Record<Automation, { label: MessageKey; help: MessageKey }> = {
  tags: { label: "settings.auto.tags", help: "settings.auto.tagsHelp" },
  metafields: { label: "settings.auto.metafields", help: "settings.auto.metafieldsHelp" },
  segments: { label: "settings.auto.segments", help: "settings.auto.segmentsHelp" },
  flow: { label: "settings.auto.flow", help: "settings.auto.flowHelp" },
  discounts: { label: "settings.auto.discounts", help: "settings.auto.discountsHelp" },
};

type SettingsForForm = Awaited<ReturnType<typeof getSettings>>;

/** The form's values for saved settings (what "unsaved changes" compares against). */
function formValues(settings: SettingsForForm) {
  return {
    horizonMonths: String(settings.horizonMonths),
    annualDiscountRate: String(Math.round(settings.annualDiscountRate * 1000) / 10),
    grossMargin: String(Math.round(settings.grossMargin * 1000) / 10),
    tagPrefix: settings.tagPrefix,
    retrainEveryDays: String(settings.retrainEveryDays),
    tiers: Array.from({ length: MAX_TIERS }, (_, i) => ({
      name: settings.tierRules[i]?.name ?? "",
      pct: settings.tierRules[i] ? String(Math.round(settings.tierRules[i].minPercentile * 1000) / 10) : "",
    })),
    automations: { ...settings.automations },
  };
}

export default function Settings() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = result && !result.ok ? result.errors : {};
  const preview = result && !result.ok ? result.preview : undefined;
  // Keyed by value: a revalidation with the same settings (a refused save) keeps what was typed.
  const savedKey = JSON.stringify(formValues(settings));
  const saved = useMemo(() => JSON.parse(savedKey) as ReturnType<typeof formValues>, [savedKey]);
  const [v, setV] = useState(saved);
  // After a save the loader's settings change: the form shows them (and is clean again).
  useEffect(() => setV(saved), [saved]);
  const dirty = JSON.stringify(v) !== savedKey;
  const formRef = useRef<HTMLFormElement>(null);
  const submit = useSubmit();
  const embedded = !(useRouteLoaderData<typeof appLoader>("routes/app")?.demo ?? true);
  const set =
    (k: "horizonMonths" | "annualDiscountRate" | "grossMargin" | "tagPrefix" | "retrainEveryDays") => (value: string) =>
      setV((s) => ({ ...s, [k]: value }));
  const setTier = (i: number, k: "name" | "pct") => (value: string) =>
    setV((s) => ({ ...s, tiers: s.tiers.map((x, j) => (j === i ? { ...x, [k]: value } : x)) }));
  const { t } = useI18n();
  const prefix = v.tagPrefix || "clv";

  return (
    <Page title={t("settings.title")}>
      <Form method="post" ref={formRef}>
        <UnsavedChanges
          dirty={dirty}
          saving={navigation.state === "submitting"}
          embedded={embedded}
          onSave={() => formRef.current && submit(formRef.current)}
          onDiscard={() => setV(saved)}
        />
        <Layout>
          <Layout.Section>
            {result?.ok ? (
              <div data-testid="settings-saved">
                <Banner tone="success" title={t("settings.saved")}>
                  <p>{result.rescoring ? t("settings.rescoring") : t("settings.noRescore")}</p>
                </Banner>
              </div>
            ) : null}
            {preview ? (
              <div data-testid="tier-preview">
                <Banner tone="warning" title={t("settings.previewTitle")}>
                  {preview.length ? (
                    <ul>
                      {preview.map((m) => (
                        <li key={`${m.from}-${m.to}`}>
                          {t("settings.previewMove", { count: m.count, from: m.from, to: m.to })}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p>{t("settings.previewNone")}</p>
                  )}
                  <input type="hidden" name="confirmTiers" value="1" />
                </Banner>
              </div>
            ) : null}
            {result && !result.ok && !preview ? (
              <div data-testid="settings-errors">
                <Banner tone="critical" title={t("settings.notSaved")}>
                  <ul>
                    {Object.values(errors).map((e) => (
                      <li key={e}>{e}</li>
                    ))}
                  </ul>
                </Banner>
              </div>
            ) : null}
          </Layout.Section>
          <Layout.AnnotatedSection title={t("settings.prediction")} description={t("settings.predictionHelp")}>
            <Card>
              <FormLayout>
                <TextField
                  label={t("settings.horizon")}
                  name="horizonMonths"
                  type="number"
                  value={v.horizonMonths}
                  onChange={set("horizonMonths")}
                  error={errors.horizonMonths}
                  autoComplete="off"
                  helpText={t("settings.horizonHelp")}
                />
                <TextField
                  label={t("settings.discountRate")}
                  name="annualDiscountRate"
                  type="number"
                  value={v.annualDiscountRate}
                  onChange={set("annualDiscountRate")}
                  error={errors.annualDiscountRate}
                  autoComplete="off"
                />
                <TextField
                  label={t("settings.margin")}
                  name="grossMargin"
                  type="number"
                  value={v.grossMargin}
                  onChange={set("grossMargin")}
                  error={errors.grossMargin}
                  autoComplete="off"
                  helpText={t("settings.marginHelp")}
                />
                <TextField
                  label={t("settings.retrainEvery")}
                  name="retrainEveryDays"
                  type="number"
                  value={v.retrainEveryDays}
                  onChange={set("retrainEveryDays")}
                  error={errors.retrainEveryDays}
                  autoComplete="off"
                  helpText={t("settings.retrainEveryHelp")}
                />
              </FormLayout>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.tiers")} description={t("settings.tiersHelp")}>
            <Card>
              <BlockStack gap="300">
                {errors.tiers ? (
                  <Text as="p" tone="critical">
                    {errors.tiers}
                  </Text>
                ) : null}
                {v.tiers.map((row, i) => (
                  <InlineStack key={i} gap="300" wrap={false}>
                    <TextField
                      label={t("settings.tierName", { n: String(i + 1) })}
                      name={`tierName${i}`}
                      value={row.name}
                      onChange={setTier(i, "name")}
                      error={errors[`tierName${i}`]}
                      autoComplete="off"
                    />
                    <TextField
                      label={t("settings.fromPercentile")}
                      name={`tierPercentile${i}`}
                      type="number"
                      value={row.pct}
                      onChange={setTier(i, "pct")}
                      error={errors[`tierPercentile${i}`]}
                      autoComplete="off"
                    />
                  </InlineStack>
                ))}
                <TextField
                  label={t("settings.tagPrefix")}
                  name="tagPrefix"
                  value={v.tagPrefix}
                  onChange={set("tagPrefix")}
                  error={errors.tagPrefix}
                  autoComplete="off"
                  helpText={t("settings.tagPrefixHelp", { example: `${prefix}:${v.tiers[0]?.name || "platinum"}` })}
                />
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title={t("settings.automations")} description={t("settings.automationsHelp")}>
            <Card>
              <BlockStack gap="200">
                {AUTOMATIONS.map((a) => (
                  <div key={a}>
                    <Checkbox
                      label={t(AUTOMATION_LABELS[a].label)}
                      helpText={t(AUTOMATION_LABELS[a].help, {
                        example: `${prefix}:${v.tiers[0]?.name || "platinum"}`,
                        atRisk: `${prefix}-at-risk`,
                      })}
                      checked={v.automations[a]}
                      onChange={(checked) => setV((s) => ({ ...s, automations: { ...s.automations, [a]: checked } }))}
                    />
                    {v.automations[a] ? <input type="hidden" name={`automation_${a}`} value="on" /> : null}
                  </div>
                ))}
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <InlineStack align="end">
              <Button submit variant="primary" loading={navigation.state === "submitting"}>
                {preview ? t("settings.saveTiers") : t("settings.save")}
              </Button>
            </InlineStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Settings" />;
}

// Re-auth headers of a thrown auth response must reach the browser on single-fetch data requests.
export { headers } from "~/shopify/embedded-headers";
