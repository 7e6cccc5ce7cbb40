/**
 * How lifecycle steps enqueue one another (durable jobs with dedupe keys, so a step that crashes
 * and reruns never enqueues its successor twice). Every function here only enqueues; the handlers
 * (lifecycle-job-handlers.server.ts) do the work.
 */
import type { Db } from "~/db/connect.server";
import type { JobQueue } from "~/jobs/types";
import { activeModelRun, markStepQueued } from "~/models/lifecycle.server";
import { upsertShopInstalled } from "~/models/shops.server";
import { enqueueTraining, type TrainingJobPayload } from "~/training/training-job.server";
import { POST_SCORING_STEPS } from "./post-scoring.server";
import { LIFECYCLE_JOBS, nextNightlySlot, type RunPayload } from "./steps";

/** Default debounce of the incremental rescoring after order changes. */
export const RESCORE_DEBOUNCE_MS = 3 * 60_000;

/**
 * The install entry (Shopify's afterAuth hook calls this): records the install and starts the
 * lifecycle with the shop-facts step. Idempotent: a repeated install (re-auth) reuses a queued step.
 */
export async function installShop(db: Db, queue: JobQueue, shop: string, info: { scopes?: string | null } = {}) {
  await upsertShopInstalled(db, shop, info);
  await enqueueFacts(db, queue, shop, { continueLifecycle: true });
}

/** Payload of the facts step. */
export interface FactsPayload {
  /** After reading the facts, continue with backfill/training as needed (install); else only refresh. */
  continueLifecycle?: boolean;
}

/** Queues the shop-facts step (install, `shop/update`). */
export async function enqueueFacts(db: Db, queue: JobQueue, shop: string, payload: FactsPayload) {
  await markStepQueued(db, shop, "facts");
  return queue.enqueue(shop, LIFECYCLE_JOBS.facts, payload, {
    dedupeKey: `${LIFECYCLE_JOBS.facts}:${shop}:${payload.continueLifecycle ? "install" : "refresh"}`,
    replaceFinished: true,
  });
}

/** Starts a training run unless one is queued or running (returns the active run then). */
export async function startTraining(
  db: Db,
  queue: JobQueue,
  shop: string,
  trigger: NonNullable<TrainingJobPayload["trigger"]>,
): Promise<{ runId: number; jobId: number | null; created: boolean }> {
  const active = await activeModelRun(db, shop);
  if (active) return { runId: active.id, jobId: null, created: false };
  await markStepQueued(db, shop, "training");
  const r = await enqueueTraining(db, queue, shop, { trigger });
  return { runId: r.runId, jobId: r.jobId, created: true };
}

/** Queues a scoring of every customer; `after` (the job that asks) makes the enqueue idempotent. */
export async function enqueueScoring(db: Db, queue: JobQueue, shop: string, payload: RunPayload, after: string) {
  await markStepQueued(db, shop, "scoring");
  return queue.enqueue(shop, LIFECYCLE_JOBS.score, payload, {
    dedupeKey: `${LIFECYCLE_JOBS.score}:${shop}:after:${after}`,
  });
}

/** Queues post-scoring step `index` (write-back, then what follows it) for a scoring run. */
export async function enqueuePostScoring(
  db: Db,
  queue: JobQueue,
  shop: string,
  index: number,
  payload: RunPayload,
  after: string,
) {
  const step = POST_SCORING_STEPS[index];
  if (!step) return null;
  await markStepQueued(db, shop, step.name);
  return queue.enqueue(shop, step.job, payload, { dedupeKey: `${step.job}:${shop}:after:${after}`, maxAttempts: 5 });
}

/**
 * Notes that a shop's orders changed (webhook, reconciliation): queues the incremental rescoring
 * `debounceMs` from now unless one is already waiting — changes arriving meanwhile join that run.
 */
export async function noteOrdersChanged(queue: JobQueue, shop: string, debounceMs = RESCORE_DEBOUNCE_MS) {
  return queue.enqueue(
    shop,
    LIFECYCLE_JOBS.rescore,
    {},
    {
      dedupeKey: `${LIFECYCLE_JOBS.rescore}:${shop}`,
      replaceFinished: true,
      runAt: new Date(Date.now() + debounceMs),
    },
  );
}

/** Makes sure the shop's next nightly run is queued (one per shop and night). */
export async function ensureNightly(queue: JobQueue, shop: string, now = new Date()) {
  const at = nextNightlySlot(shop, now);
  return queue.enqueue(
    shop,
    LIFECYCLE_JOBS.nightly,
    {},
    { dedupeKey: `${LIFECYCLE_JOBS.nightly}:${shop}:${at.toISOString().slice(0, 10)}`, runAt: at },
  );
}

/** Settings that change predictions or the write-back were saved: rescore everyone, no retrain. */
export async function onSettingsChanged(db: Db, queue: JobQueue, shop: string, at = new Date()) {
  return enqueueScoring(db, queue, shop, { trigger: "settings" }, `settings:${at.toISOString()}`);
}
