/**
 * Model page service: the shop's model runs, the latest finished run's backtest (every candidate
 * beside the baseline, decile chart, champion and why) and the Retrain action, which enqueues the
 * durable `training.run` job. Scoped by shop.
 */
import type { Db } from "~/db.server";
import { enqueueJob } from "~/jobs/db-queue.server";
import { createModelRun, latestModelRunWithStatus, listModelRuns } from "~/models/runs.server";
import { parseModelMetrics, type ModelMetricsView } from "./model-metrics";
import { TRAINING_JOB } from "~/training/job-types";
import { getShopStatus, type ShopStatus } from "./status.server";

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

const FINISHED = ["succeeded", "completed"];

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
 * Enqueues a retraining of the shop's models: a queued ModelRun (so the progress bar appears at
 * once) and the trainer's `training.run` job for it, in the trainer's payload shape
 * (app/training/jobs.server.ts `enqueueTraining`; not imported here to keep the trainer and its
 * worker thread out of the web bundle). Idempotent while a run is queued or running.
 */
export async function requestRetrain(
  db: Db,
  shop: string,
): Promise<{ runId: number; jobId: number | null; created: boolean }> {
  const active = await latestModelRunWithStatus(db, shop, ["queued", "running"]);
  if (active) return { runId: active.id, jobId: null, created: false };
  const run = await createModelRun(db, shop, { status: "queued", progressStage: "queued" });
  const job = await enqueueJob(
    db,
    shop,
    TRAINING_JOB,
    { runId: run.id },
    { dedupeKey: `training:${shop}:${run.id}`, maxAttempts: 2 },
  );
  return { runId: run.id, jobId: job.id, created: true };
}
