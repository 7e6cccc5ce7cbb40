import { useSearchParams } from "@remix-run/react";
import { Text, BlockStack } from "@shopify/polaris";
import { useI18n } from "~/i18n/context";
import type { ValueView } from "~/presentation/value-view";
import { SegmentedLinks } from "./SegmentedLinks";
import { searchLink } from "./search-link";

/**
 * Revenue / profit switch (the `view` URL parameter, so a link keeps it) with the rule that
 * connects them: margin and discounting stated in the shop's numbers.
 */
export function ValueViewToggle({
  view,
  grossMargin,
  annualDiscountRate,
}: {
  view: ValueView;
  grossMargin: number;
  annualDiscountRate: number;
}) {
  const { t, fmt } = useI18n();
  const [params] = useSearchParams();
  const href = (v: ValueView) => searchLink(params, "view", v === "profit" ? "profit" : null, ["page"]);
  return (
    <BlockStack gap="100">
      <SegmentedLinks
        label={t("view.label")}
        value={view}
        testId="value-view"
        options={[
          { value: "revenue", label: t("view.revenue"), href: href("revenue") },
          { value: "profit", label: t("view.profit"), href: href("profit") },
        ]}
      />
      <Text as="p" variant="bodySm" tone="subdued">
        {view === "revenue"
          ? t("view.revenueNote")
          : t("view.profitNote", { margin: fmt.pct(grossMargin), discount: fmt.pct(annualDiscountRate) })}
      </Text>
    </BlockStack>
  );
}
