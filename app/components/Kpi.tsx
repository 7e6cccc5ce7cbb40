import type { ReactNode } from "react";
import { BlockStack, Card, Text } from "@shopify/polaris";
import { MetricLabel } from "./MetricLabel";

/**
 * A key figure: label with its plain-language help, the value, and a line of detail. In a card
 * of its own (dashboard) or bare inside a grid (customer page, `bare`).
 */
export function Kpi({
  label,
  help,
  value,
  detail,
  testId,
  bare = false,
}: {
  label: string;
  help: string;
  value: ReactNode;
  detail?: ReactNode;
  testId?: string;
  bare?: boolean;
}) {
  const body = (
    <BlockStack gap="100">
      <MetricLabel label={label} help={help} />
      <div data-testid={testId}>
        <Text as="p" variant={bare ? "headingLg" : "heading2xl"}>
          {value}
        </Text>
      </div>
      {detail ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {detail}
        </Text>
      ) : null}
    </BlockStack>
  );
  return bare ? body : <Card>{body}</Card>;
}
