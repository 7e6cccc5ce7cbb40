import { useEffect, useRef } from "react";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { ShopStatus, SyncStatus, TrainingStatus } from "~/lifecycle/job-progress.server";
import { useI18n } from "~/i18n/context";
import type { MessageKey, Translate } from "~/i18n/i18n";
import { duration } from "~/i18n/format";

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

const STATUS_KEYS: Record<string, MessageKey> = {
  queued: "job.status.queued",
  running: "job.status.running",
  completed: "job.status.completed",
  succeeded: "job.status.completed",
  failed: "job.status.failed",
  cancelled: "job.status.cancelled",
  canceled: "job.status.cancelled",
  insufficient_data: "job.status.insufficientData",
};

/** A job status in the shop's language (an unknown one as it is). */
function statusWord(t: Translate, status: string): string {
  const key = STATUS_KEYS[status];
  return key ? t(key) : status;
}

/** Progress bar and text for the latest backfill/reconciliation. */
export function SyncProgress({ sync }: { sync: SyncStatus | null }) {
  const { t, fmt } = useI18n();
  if (!sync)
    return (
      <Text as="p" tone="subdued">
        {t("job.noSync")}
      </Text>
    );
  const rows = sync.rowsTotalEstimate
    ? t("job.rowsOf", { done: fmt.int(sync.rowsDone), total: fmt.int(sync.rowsTotalEstimate) })
    : t("job.rows", { done: fmt.int(sync.rowsDone) });
  const label = sync.running
    ? `${sync.phase ?? statusWord(t, sync.status)}: ${rows}`
    : t("job.rows", { done: fmt.int(sync.rowsDone) });
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="span" variant="bodyMd">
          {t("job.sync", { kind: sync.kind })}
        </Text>
        <Badge tone={tone(sync.status)}>{statusWord(t, sync.status)}</Badge>
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
  const { t, fmt } = useI18n();
  if (queued) {
    return (
      <BlockStack gap="100">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="span" variant="bodyMd">
            {t("job.training")}
          </Text>
          <Badge tone="info">{t("job.status.queued")}</Badge>
        </InlineStack>
        <div data-testid="training-progress" data-status="queued" data-running="1">
          <ProgressBar progress={0} size="small" animated />
        </div>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("job.waiting")}
        </Text>
      </BlockStack>
    );
  }
  if (!training)
    return (
      <Text as="p" tone="subdued">
        {t("job.noTraining")}
      </Text>
    );
  const parts = [training.stage ?? statusWord(t, training.status)];
  if (training.totalEpochs > 0)
    parts.push(t("job.epoch", { epoch: fmt.int(training.epoch), total: fmt.int(training.totalEpochs) }));
  if (training.running && training.loss !== null) parts.push(t("job.loss", { loss: fmt.num(training.loss, 4) }));
  if (training.running && training.etaMs !== null) parts.push(t("job.eta", { eta: duration(training.etaMs) }));
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center">
        <Text as="span" variant="bodyMd">
          {t("job.trainingRun", { id: training.id })}
        </Text>
        <Badge tone={tone(training.status)}>{statusWord(t, training.status)}</Badge>
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
        {training.fraction !== null && training.running ? ` (${fmt.pct(training.fraction)})` : ""}
        {training.error ? ` — ${training.error}` : ""}
      </Text>
    </BlockStack>
  );
}
