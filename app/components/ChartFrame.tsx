import type { ReactNode } from "react";
import { BlockStack, DataTable, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/context";
import { ClientOnly } from "./ClientOnly";

/** The numbers behind a chart, as a table (for screen readers and anyone who prefers numbers). */
export interface ChartData {
  headings: string[];
  rows: string[][];
  /** Columns after the first are numeric (right-aligned). */
}

/**
 * Accessible wrapper for a chart: a figure named by its text summary (also shown as a caption),
 * a client-only chart body that is hidden from assistive technology and never takes keyboard
 * focus, the chart's data as a table behind a "Show data table" disclosure, and an empty state when
 * there is nothing to draw.
 */
export function ChartFrame(props: {
  /** One-sentence summary of what the chart shows (the accessible name). */
  summary: string;
  /** Message when there is no data. */
  emptyMessage?: string;
  empty?: boolean;
  height?: number;
  data?: ChartData;
  children: () => ReactNode;
}) {
  const { t } = useI18n();
  const height = props.height ?? 260;
  if (props.empty) {
    return (
      <div style={{ minHeight: 80, display: "flex", alignItems: "center" }}>
        <Text as="p" tone="subdued">
          {props.emptyMessage ?? t("chart.empty")}
        </Text>
      </div>
    );
  }
  return (
    <figure role="group" aria-label={props.summary} style={{ margin: 0 }}>
      <BlockStack gap="200">
        {/* The drawing repeats the table below: hidden from screen readers, never focusable. */}
        <div style={{ width: "100%", height }} aria-hidden="true" data-chart="">
          <ClientOnly height={height}>{props.children}</ClientOnly>
        </div>
        <figcaption>
          <Text as="span" variant="bodySm" tone="subdued">
            {props.summary}
          </Text>
        </figcaption>
        {props.data ? (
          <details data-testid="chart-data">
            <summary>
              <Text as="span" variant="bodySm">
                {t("chart.showTable")}
              </Text>
            </summary>
            <DataTable
              columnContentTypes={props.data.headings.map((_, i) => (i === 0 ? "text" : "numeric"))}
              headings={props.data.headings}
              rows={props.data.rows}
              truncate
            />
          </details>
        ) : null}
      </BlockStack>
    </figure>
  );
}
