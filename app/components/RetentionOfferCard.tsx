/**
 * "Act where they look" (issue 11): a retention offer for the customers the merchant is looking at
 * — one tier, the at-risk list, or one customer — posted to the page's own action, which hands it
 * to the actions machinery (app/actions/retention.server.ts: a campaign whose unique codes a job
 * creates through the Shopify port). A filter the machinery cannot target (a search, a tier and
 * at-risk together) shows why nothing is offered instead of a button that would do something else.
 */
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useI18n } from "~/i18n/context";

/** Who the offer goes to; null when the current view is not one audience. */
export type OfferAudience =
  | { audience: "tier"; tier: string; label: string }
  | { audience: "at-risk"; label: string }
  | { audience: "customer"; customerId: string; label: string };

/** The route action's answer (app/actions/offers-page.server.ts `OffersActionResult`). */
type Result = { ok: true; message: string } | { ok: false; errors: Record<string, string> };

export function RetentionOfferCard({ target, title }: { target: OfferAudience | null; title: string }) {
  const { t } = useI18n();
  const fetcher = useFetcher<Result>();
  const [percentage, setPercentage] = useState("10");
  const [validDays, setValidDays] = useState("30");
  const result = fetcher.data;
  const errors = result && !result.ok ? result.errors : {};
  return (
    <Card>
      <div data-testid="act-card">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {!target ? (
            <Text as="p" tone="subdued">
              {t("act.notExpressible")}
            </Text>
          ) : (
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="campaign" />
              <input type="hidden" name="audience" value={target.audience} />
              {target.audience === "tier" ? <input type="hidden" name="tier" value={target.tier} /> : null}
              {target.audience === "customer" ? (
                <input type="hidden" name="customerId" value={target.customerId} />
              ) : null}
              <FormLayout>
                <Text as="p">{target.label}</Text>
                <Text as="p" tone="subdued" variant="bodySm">
                  {t("act.offerHelp")}
                </Text>
                <InlineStack gap="300" blockAlign="end">
                  <TextField
                    label={t("act.percentage")}
                    name="percentage"
                    type="number"
                    value={percentage}
                    onChange={setPercentage}
                    error={errors.percentage}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("act.validDays")}
                    name="validDays"
                    type="number"
                    value={validDays}
                    onChange={setValidDays}
                    error={errors.validDays}
                    autoComplete="off"
                  />
                  <Button submit loading={fetcher.state !== "idle"}>
                    {t("act.sendOffer")}
                  </Button>
                </InlineStack>
              </FormLayout>
            </fetcher.Form>
          )}
          {result?.ok ? (
            <div data-testid="act-result">
              <Banner tone="success">{result.message}</Banner>
            </div>
          ) : null}
          {result && !result.ok ? (
            <div data-testid="act-error">
              <Banner tone="critical">
                {Object.entries(result.errors)
                  .filter(([k]) => !["percentage", "validDays"].includes(k))
                  .map(([, v]) => v)
                  .join(" ")}
              </Banner>
            </div>
          ) : null}
        </BlockStack>
      </div>
    </Card>
  );
}
