import { Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/context";

/**
 * A customer's interval said usefully: "up to $150" when the lower end is 0 (most customers: a
 * one-time buyer may never return, so nothing is the honest floor), "$40 – $150" otherwise, and
 * nothing when the model gives no interval (low = point = high).
 */
export function rangePhrase(
  t: ReturnType<typeof useI18n>["t"],
  fmt: ReturnType<typeof useI18n>["fmt"],
  low: number,
  point: number,
  high: number,
): string | null {
  if (Math.abs(high - low) < 1e-9 && Math.abs(point - low) < 1e-9) return null;
  if (fmt.money(low) === fmt.money(0)) return t("range.upTo", { high: fmt.money(high) });
  return fmt.range(low, high);
}

export function PredictionRange({ low, point, high }: { low: number; point: number; high: number }) {
  const { t, fmt } = useI18n();
  const phrase = rangePhrase(t, fmt, low, point, high);
  return phrase ? (
    <Text as="span" variant="bodySm" tone="subdued">
      {" "}
      ({phrase})
    </Text>
  ) : null;
}
