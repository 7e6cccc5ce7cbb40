/**
 * "Create segment" where the merchant looks (issue 11): the Shopify customer segment of the tier or
 * the at-risk list being viewed, posted to the page's own action (app/pages/customer-actions.server.ts
 * → app/actions/segments.server.ts). When the segment is already in Shopify (kept by the Segments
 * automation, or created earlier) the card links to it instead; a filter no segment query can express
 * (a search, an id, a tier and at-risk together) says why nothing is offered.
 */
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/context";

/** The audience a segment can express; null when the current view is not one. */
export type SegmentTarget = { audience: "tier"; tier: string; label: string } | { audience: "at-risk"; label: string };

/** A segment in Shopify (app/pages/customer-actions.server.ts `SegmentLink`). */
export interface SegmentLinkView {
  id: string;
  name: string;
  adminUrl: string;
}

type Result = { ok: true; message: string; segment?: SegmentLinkView } | { ok: false; errors: Record<string, string> };

export function SegmentCard({
  target,
  existing,
  embedded,
}: {
  target: SegmentTarget | null;
  existing: SegmentLinkView | null;
  embedded: boolean;
}) {
  const { t } = useI18n();
  const fetcher = useFetcher<Result>();
  const result = fetcher.data;
  const segment = (result?.ok ? result.segment : undefined) ?? existing;
  // Embedded, App Bridge's admin protocol navigates the admin itself (not the app's iframe).
  const url = segment && (embedded ? `shopify://admin/customers/segments/${segment.id}` : segment.adminUrl);
  return (
    <Card>
      <div data-testid="segment-card">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("segment.title")}
          </Text>
          {!target ? (
            <Text as="p" tone="subdued">
              {t("segment.notExpressible")}
            </Text>
          ) : (
            <BlockStack gap="200">
              <Text as="p">{target.label}</Text>
              <Text as="p" tone="subdued" variant="bodySm">
                {t("segment.help")}
              </Text>
              <InlineStack gap="300" blockAlign="center">
                {segment && url ? (
                  <span data-testid="segment-link">
                    <Button url={url} target="_top">
                      {t("segment.open", { name: segment.name })}
                    </Button>
                  </span>
                ) : (
                  <fetcher.Form method="post">
                    <input type="hidden" name="intent" value="segment" />
                    <input type="hidden" name="audience" value={target.audience} />
                    {target.audience === "tier" ? <input type="hidden" name="tier" value={target.tier} /> : null}
                    <Button submit loading={fetcher.state !== "idle"}>
                      {t("segment.create")}
                    </Button>
                  </fetcher.Form>
                )}
              </InlineStack>
            </BlockStack>
          )}
          {result?.ok ? (
            <div data-testid="segment-result">
              <Banner tone="success">{result.message}</Banner>
            </div>
          ) : null}
          {result && !result.ok ? (
            <div data-testid="segment-error">
              <Banner tone="critical">{Object.values(result.errors).join(" ")}</Banner>
            </div>
          ) : null}
        </BlockStack>
      </div>
    </Card>
  );
}
