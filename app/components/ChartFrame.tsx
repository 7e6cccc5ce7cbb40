import type { ReactNode } from "react";
import { BlockStack, Text } from "@shopify/polaris";
import { ClientOnly } from "./ClientOnly";

/**
 * Accessible wrapper for a chart: a figure with a text summary (read by screen readers and shown
 * as a caption), a client-only chart body, and an empty state when there is nothing to draw.
 */
export function ChartFrame(props: {
  /** One-sentence summary of what the chart shows (the accessible description). */
  summary: string;
  /** Message when there is no data. */
  emptyMessage?: string;
  empty?: boolean;
  height?: number;
  children: () => ReactNode;
}) {
  const height = props.height ?? 260;
  if (props.empty) {
    return (
      <div style={{ minHeight: 80, display: "flex", alignItems: "center" }}>
        <Text as="p" tone="subdued">
          {props.emptyMessage ?? "No data to chart yet."}
        </Text>
      </div>
    );
  }
  return (
    <figure role="group" aria-label={props.summary} style={{ margin: 0 }}>
      <BlockStack gap="200">
        <div style={{ width: "100%", height }}>
          <ClientOnly height={height}>{props.children}</ClientOnly>
        </div>
        <figcaption>
          <Text as="span" variant="bodySm" tone="subdued">
            {props.summary}
          </Text>
        </figcaption>
      </BlockStack>
    </figure>
  );
}
