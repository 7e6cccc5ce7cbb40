/**
 * Model page service: the shop's model runs, the latest finished run's backtest (every candidate
 * beside the baseline, decile chart, champion and why) and the Retrain action, which enqueues the
 * durable `training.run` job. Scoped by shop.
 */
import type { Db } from "~/db.server";
import { COMPLETED_RUN_STATUS, latestModelRunWithStatus, listModelRuns } from "~/models/runs.server";
import { providerOfClient } from "~/db/connect.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { startTraining } from "~/lifecycle/chain.server";
import { parseModelMetrics, type ModelMetricsView } from "~/presentation/model-metrics";
import { getShopStatus, type ShopStatus } from "~/lifecycle/job-progress.server";

/** One line of the runs history. */
export interface ModelRunSummary {
  id: number;
  status: string;
  champion: string | null;
  promoted: boolean;
  reason: string | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** Everything the model page renders. */
export interface ModelPageData {
  runs: ModelRunSummary[];
  /** Latest finished run with metrics (the one whose backtest is shown). */
  latest:
    (ModelRunSummary & { metrics: ModelMetricsView; calibrationEnd: string | null; horizonDays: number | null }) | null;
  status: ShopStatus;
}

const FINISHED = [COMPLETED_RUN_STATUS];

/** Loads the model page for a shop. */
export async function getModelPage(db: Db, shop: string): Promise<ModelPageData> {
  const [rows, latest, status] = await Promise.all([
    listModelRuns(db, shop, 10),
    latestModelRunWithStatus(db, shop, FINISHED),
    getShopStatus(db, shop),
  ]);
  const summary = (r: (typeof rows)[number]): ModelRunSummary => ({
    id: r.id,
    status: r.status,
    champion: r.champion,
    promoted: r.promoted,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    error: r.error,
  });
  return {
    runs: rows.map(summary),
    latest: latest && {
      ...summary(latest),
      metrics: parseModelMetrics(latest.metrics, latest.champion),
      calibrationEnd: latest.calibrationEnd?.toISOString() ?? null,
      horizonDays: latest.horizonDays,
    },
    status,
  };
}

/**
 * The Retrain button: starts a training run through the lifecycle (a queued ModelRun at once, so the
 * progress bar appears; then scoring and write-back follow it like any retrain). Idempotent while a
 * run is queued or running.
 */
export async function requestRetrain(
  db: Db,
  shop: string,
): Promise<{ runId: number; jobId: number | null; created: boolean }> {
  return startTraining(db, new DbJobQueue(db, providerOfClient(db)), shop, "manual");
}
