/**
 * Registers the sync job handlers with the durable job queue. Import this module once in the worker
 * process (and in tests that run the worker):
 *
 * - `sync.backfill.step` `{ runId }`: advances the backfill state machine (one job per run at a time).
 * - `sync.backfill.continue` `{ bulkOperationId }`: enqueued by the bulk_operations/finish webhook;
 *   finds the run owning the operation and enqueues its step.
 * - `sync.backfill.poll` `{ runId }`: polling fallback when the finish webhook never arrives.
 * - `sync.reconcile` `{}`: reconciliation + deletion sweep; first scheduled when a backfill completes, then
 *   reschedules itself every `RECONCILE_INTERVAL_MS`.
 */
import { registerJobHandler, type JobContext } from "~/jobs/registry.server";
import { noteOrdersChanged } from "./chain.server";
import { onBackfillCompleted } from "./lifecycle-job-handlers.server";
import type { JobQueue } from "~/jobs/types";
import { advanceBackfill, BACKFILL_JOBS, runForBulkOperation, type BackfillDeps } from "~/sync/backfill.server";
import { sweepDeletions, type SweepResult } from "~/sync/deletions.server";
import { RECONCILE_JOB, reconcileShop, scheduleReconcile, type ReconcileOptions } from "~/sync/reconcile.server";

export { RECONCILE_INTERVAL_MS, scheduleReconcile } from "~/sync/reconcile.server";

/** Tunables for the handlers (tests shorten the poll interval, crash at checkpoints, …). */
export interface SyncJobOptions {
  backfill?: Omit<BackfillDeps, "db" | "admin" | "queue" | "heartbeat">;
  reconcile?: ReconcileOptions;
  /** Don't reschedule reconciliation after a run (tests). */
  noReschedule?: boolean;
}

let options: SyncJobOptions = {};

/** Replaces the handler options (tests). */
export function configureSyncJobs(next: SyncJobOptions): void {
  options = next;
}

function runIdOf(ctx: JobContext<{ runId?: unknown }>): number {
  const id = Number(ctx.payload?.runId);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new Error(`job ${ctx.job.type} #${ctx.job.id}: payload.runId must be a positive integer`);
  return id;
}

/** Enqueues the single step job of a run (a queued/running one is reused). */
export function enqueueBackfillStep(queue: JobQueue, shop: string, runId: number) {
  return queue.enqueue(
    shop,
    BACKFILL_JOBS.step,
    { runId },
    { dedupeKey: `${BACKFILL_JOBS.step}:${runId}`, replaceFinished: true },
  );
}

registerJobHandler<{ runId: number }>(BACKFILL_JOBS.step, async (ctx) => {
  const admin = await ctx.admin();
  const deps = { ...options.backfill, db: ctx.db, admin, queue: ctx.queue, heartbeat: (p: unknown) => ctx.progress(p) };
  const r = await advanceBackfill(deps, ctx.shop, runIdOf(ctx));
  // The lifecycle continues (first training, or scoring on a re-install) once the import is complete.
  if (r.state === "completed") await onBackfillCompleted(ctx, runIdOf(ctx), "rowsDone" in r ? r.rowsDone : undefined);
  return r;
});

registerJobHandler<{ runId: number }>(BACKFILL_JOBS.poll, async (ctx) => {
  return enqueueBackfillStep(ctx.queue, ctx.shop, runIdOf(ctx));
});

registerJobHandler<{ bulkOperationId?: string }>(BACKFILL_JOBS.continue, async (ctx) => {
  const opId = ctx.payload?.bulkOperationId;
  if (typeof opId !== "string" || !opId.startsWith("gid://shopify/BulkOperation/")) {
    throw new Error(
      `job ${BACKFILL_JOBS.continue} #${ctx.job.id}: payload.bulkOperationId must be a BulkOperation GID`,
    );
  }
  const runId = await runForBulkOperation(ctx.db, ctx.shop, opId);
  if (runId === null) return { ignored: `no unfinished backfill owns ${opId}` };
  return enqueueBackfillStep(ctx.queue, ctx.shop, runId);
});

registerJobHandler(RECONCILE_JOB, async (ctx) => {
  const admin = await ctx.admin();
  const result = await reconcileShop(
    { db: ctx.db, admin, heartbeat: (p) => ctx.progress(p) },
    ctx.shop,
    options.reconcile,
  );
  // Deletes never appear in updated_at queries: sweep for missed orders/delete and customers/delete.
  let sweep: SweepResult | { error: string };
  try {
    sweep = await sweepDeletions({ db: ctx.db, admin }, ctx.shop);
  } catch (e) {
    sweep = { error: (e as Error).message };
    console.error(`sync.reconcile ${ctx.shop}: ${sweep.error}`);
  }
  if (!options.noReschedule) await scheduleReconcile(ctx.queue, ctx.shop);
  // Repaired orders change customers' predictions: the lifecycle rescores them (debounced).
  if (result.orders.applied > 0 || result.refunds.applied > 0)
    await noteOrdersChanged(ctx.queue, ctx.shop, ctx.tuning.rescoreDebounceMs);
  return { ...result, sweep };
});
