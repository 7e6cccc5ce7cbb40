import { useEffect, useRef } from "react";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { ShopStatus, SyncStatus, TrainingStatus } from "~/pages/shared/job-progress.server";
import { duration, int, pct } from "./format";

/** Poll interval of the status endpoint while something runs. */
const POLL_MS = 1500;

/**
 * Live status of a shop's jobs: polls /app/status while a sync or training run is in progress and
 * revalidates the page when one finishes, so numbers refresh without a reload.
 */
export function useLiveStatus(initial: ShopStatus): ShopStatus {
  const fetcher = useFetcher<ShopStatus>();
  const revalidator = useRevalidator();
  const status = fetcher.data ?? initial;
  const running = Boolean(status.sync?.running || status.training?.running || status.trainingQueued);
  const wasRunning = useRef(running);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => {
      if (fetcher.state === "idle") fetcher.load("/app/status");
    }, POLL_MS);
    return () => clearInterval(t);
  }, [running, fetcher]);
  useEffect(() => {
    if (wasRunning.current && !running && revalidator.state === "idle") revalidator.revalidate();
    wasRunning.current = running;
  }, [running, revalidator]);
  return status;
}

function tone(status: string): "success" | "critical" | "attention" | "info" {
  if (status === "failed") return "critical";
  if (status === "completed") return "success";
  if (status === "cancelled") return "attention";
  return "info";
}

/** Progress bar and text for the latest backfill/reconciliation. */
export function SyncProgress({ sync }: { sync: SyncStatus | null }) {
  if (!sync)
    return (
      <Text as="p" tone="subdued">
        No data sync has run yet.
      </Text>
    );
  const label = sync.running
    ? `${sync.phase ?? sync.status}: ${int(sync.rowsDone)}${sync.rowsTotalEstimate ? ` of ~${int(sync.rowsTotalEstimate)}` : ""} rows`
    : `${int(sync.rowsDone)} rows`;
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="span" variant="bodyMd">
          Data sync ({sync.kind})
        </Text>
        <Badge tone={tone(sync.status)}>{sync.status}</Badge>
      </InlineStack>
      <div data-testid="sync-progress" data-status={sync.status}>
        <ProgressBar
          progress={Math.round((sync.fraction ?? 0) * 100)}
          size="small"
          tone={sync.status === "failed" ? "critical" : "primary"}
          animated={sync.running}
        />
      </div>
      <Text as="p" variant="bodySm" tone="subdued">
        {label}
        {sync.error ? ` — ${sync.error}` : ""}
      </Text>
    </BlockStack>
  );
}

/** Progress bar and text for the latest training run. */
export function TrainingProgress({ training, queued = false }: { training: TrainingStatus | null; queued?: boolean }) {
  if (queued) {
    return (
      <BlockStack gap="100">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="span" variant="bodyMd">
            Training
          </Text>
          <Badge tone="info">queued</Badge>
        </InlineStack>
        <div data-testid="training-progress" data-status="queued" data-running="1">
          <ProgressBar progress={0} size="small" animated />
        </div>
        <Text as="p" variant="bodySm" tone="subdued">
          Waiting for the job worker to start training…
        </Text>
      </BlockStack>
    );
  }
  if (!training)
    return (
      <Text as="p" tone="subdued">
        No model has been trained yet.
      </Text>
    );
  const parts = [training.stage ?? training.status];
  if (training.totalEpochs > 0) parts.push(`epoch ${training.epoch} of ${training.totalEpochs}`);
  if (training.running && training.loss !== null) parts.push(`loss ${training.loss.toFixed(4)}`);
  if (training.running && training.etaMs !== null) parts.push(`about ${duration(training.etaMs)} left`);
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="span" variant="bodyMd">
          Training run #{training.id}
        </Text>
        <Badge tone={tone(training.status)}>{training.status}</Badge>
      </InlineStack>
      <div
        data-testid="training-progress"
        data-status={training.status}
        data-running={training.running ? "1" : "0"}
        data-run={training.id}
      >
        <ProgressBar
          progress={Math.round((training.fraction ?? 0) * 100)}
          size="small"
          tone={training.status === "failed" ? "critical" : "primary"}
          animated={training.running}
        />
      </div>
      <Text as="p" variant="bodySm" tone="subdued">
        {parts.join(" · ")}
        {training.fraction !== null && training.running ? ` (${pct(training.fraction)})` : ""}
        {training.error ? ` — ${training.error}` : ""}
      </Text>
    </BlockStack>
  );
}
