import { InlineStack, Text, Tooltip } from "@shopify/polaris";

/**
 * A metric's label with its plain-language explanation: shown in a tooltip on hover or focus of
 * the "?" button, and read by screen readers as the button's name.
 */
export function MetricLabel({
  label,
  help,
  as = "span",
  variant = "bodySm",
}: {
  label: string;
  help: string;
  as?: "span" | "h3";
  variant?: "bodySm" | "headingSm";
}) {
  return (
    <InlineStack gap="100" blockAlign="center" wrap={false}>
      <Text as={as} variant={variant} tone="subdued">
        {label}
      </Text>
      <Tooltip content={help} preferredPosition="above">
        <button type="button" aria-label={`${label}: ${help}`} style={HELP_STYLE} data-testid="metric-help">
          ?
        </button>
      </Tooltip>
    </InlineStack>
  );
}

const HELP_STYLE = {
  border: "1px solid #8a8a8a",
  borderRadius: "50%",
  width: 16,
  height: 16,
  lineHeight: "14px",
  fontSize: 11,
  padding: 0,
  background: "transparent",
  color: "#4a4a4a",
  cursor: "help",
} as const;
