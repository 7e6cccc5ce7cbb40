/**
 * Model page service: the shop's model runs, the latest finished run's backtest (every candidate
 * beside the baseline, decile chart, champion and why) and the Retrain action, which enqueues the
 * durable `training.run` job. Scoped by shop.
 */
import type { Db } from "~/db.server";
import { enqueueJob } from "~/jobs/db-queue.server";
import { parseModelMetrics, type ModelMetricsView } from "./model-metrics";
import { getShopStatus, TRAINING_JOB, type ShopStatus } from "./status.server";

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
  latest: (ModelRunSummary & { metrics: ModelMetricsView; calibrationEnd: string | null; horizonDays: number | null }) | null;
  status: ShopStatus;
}

const FINISHED = ["succeeded", "completed"];

/** Loads the model page for a shop. */
export async function getModelPage(db: Db, shop: string): Promise<ModelPageData> {
  const [rows, latest, status] = await Promise.all([
    db.modelRun.findMany({ where: { shop }, orderBy: { id: "desc" }, take: 10 }),
    db.modelRun.findFirst({ where: { shop, status: { in: FINISHED } }, orderBy: { id: "desc" } }),
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
 * Enqueues a retraining of the shop's models. Idempotent while one is queued or running: a second
 * click returns the pending job instead of starting another.
 */
export async function requestRetrain(db: Db, shop: string): Promise<{ jobId: number; created: boolean }> {
  const running = await db.modelRun.findFirst({ where: { shop, status: { in: ["queued", "running"] } }, select: { id: true } });
  const r = await enqueueJob(db, shop, TRAINING_JOB, { shop, trigger: "manual" }, { dedupeKey: `${TRAINING_JOB}:${shop}:manual`, replaceFinished: !running });
  return { jobId: r.id, created: r.created };
}
