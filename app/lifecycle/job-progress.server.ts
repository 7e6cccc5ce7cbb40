/**
 * Sync and training status for progress bars (dashboard, model page, the polling endpoint).
 * Reads the latest SyncRun and ModelRun of the shop.
 */
import type { Db } from "~/db.server";
import { latestPendingJob } from "~/models/lifecycle.server";
import {
  FINAL_MODEL_RUN_STATUSES,
  FINAL_SYNC_RUN_STATUSES,
  latestModelRunProgress,
  latestSyncRun,
} from "~/models/runs.server";
import { TRAINING_JOB } from "~/training/job-types";

/** Progress of the latest backfill/reconciliation. */
export interface SyncStatus {
  id: number;
  kind: string;
  status: string;
  phase: string | null;
  rowsDone: number;
  rowsTotalEstimate: number | null;
  /** 0–1, null when the total is unknown. */
  fraction: number | null;
  running: boolean;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** Progress of the latest training run. */
export interface TrainingStatus {
  id: number;
  status: string;
  stage: string | null;
  epoch: number;
  totalEpochs: number;
  /** 0–1, null when the number of epochs is unknown. */
  fraction: number | null;
  loss: number | null;
  etaMs: number | null;
  running: boolean;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** Both statuses; null when there has never been a run of that kind. */
export interface ShopStatus {
  sync: SyncStatus | null;
  training: TrainingStatus | null;
  /** A training job is queued or running but has not reported progress in a ModelRun yet. */
  trainingQueued: boolean;
}

const SYNC_DONE = new Set(FINAL_SYNC_RUN_STATUSES);
const TRAIN_DONE = new Set(FINAL_MODEL_RUN_STATUSES);

/** Whether a SyncRun status is terminal. */
export function syncFinished(status: string): boolean {
  return SYNC_DONE.has(status);
}

/** Whether a ModelRun status is terminal. */
export function trainingFinished(status: string): boolean {
  return TRAIN_DONE.has(status);
}

/** Latest sync and training status of the shop. */
export async function getShopStatus(db: Db, shop: string): Promise<ShopStatus> {
  const [sync, run, job] = await Promise.all([
    latestSyncRun(db, shop),
    latestModelRunProgress(db, shop),
    latestPendingJob(db, shop, TRAINING_JOB),
  ]);
  // Queued only while no run of that job has started: the run row is created just before its job
  // (requestRetrain), so comparing creation times would say "queued" for the whole run.
  const trainingQueued = Boolean(job && (!run || run.status === "queued" || trainingFinished(run.status)));
  return {
    trainingQueued,
    sync: sync && {
      id: sync.id,
      kind: sync.kind,
      status: sync.status,
      phase: sync.phase,
      rowsDone: sync.rowsDone,
      rowsTotalEstimate: sync.rowsTotalEstimate,
      fraction:
        syncFinished(sync.status) && sync.status !== "failed"
          ? 1
          : sync.rowsTotalEstimate
            ? Math.min(1, sync.rowsDone / sync.rowsTotalEstimate)
            : null,
      running: !syncFinished(sync.status),
      error: sync.error,
      startedAt: sync.startedAt.toISOString(),
      finishedAt: sync.finishedAt?.toISOString() ?? null,
    },
    training: run && {
      id: run.id,
      status: run.status,
      stage: run.progressStage,
      epoch: run.progressEpoch,
      totalEpochs: run.progressTotal,
      fraction: trainingFinished(run.status)
        ? 1
        : run.progressTotal > 0
          ? Math.min(1, run.progressEpoch / run.progressTotal)
          : null,
      loss: run.progressLoss,
      etaMs: run.progressEtaMs,
      running: !trainingFinished(run.status),
      error: run.error,
      createdAt: run.createdAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
    },
  };
}
