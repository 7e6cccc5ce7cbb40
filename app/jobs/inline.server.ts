/**
 * The in-process worker (HORIZON_WORKER=inline, the default for the demo and SQLite): started on
 * first use in the web process, one per process.
 */
import { DbJobQueue } from "./db-queue.server";
import { startWorker, type Worker } from "./worker.server";
import { startScheduler } from "./schedule.server";

let started: Promise<Worker> | undefined;

/** Starts the in-process worker once (no-op when HORIZON_WORKER=external). */
export function ensureInlineWorker(): Promise<Worker> | undefined {
  if (process.env.HORIZON_WORKER === "external") return undefined;
  started ??= (async () => {
    const [{ default: db, dbHandle }] = await Promise.all([import("~/db.server"), import("./handlers.server")]); // the latter registers every job handler
    const queue = new DbJobQueue(db, dbHandle.provider);
    // Daily maintenance (retention); per-day dedupe keys make concurrent schedulers harmless.
    if (process.env.HORIZON_SCHEDULER !== "off") startScheduler(queue);
    return startWorker({
      db,
      queue,
      pollMs: Number(process.env.WORKER_POLL_MS ?? 100),
      staleMs: Number(process.env.WORKER_STALE_MS ?? 60_000),
      recoverEveryMs: Number(process.env.WORKER_RECOVER_MS ?? 10_000),
      concurrency: Number(process.env.WORKER_CONCURRENCY ?? (dbHandle.provider === "postgresql" ? 2 : 1)),
      claimBatch: Number(process.env.WORKER_CLAIM_BATCH ?? 16),
    });
  })();
  return started;
}

/** Called after a webhook was accepted: makes sure someone will process it. */
export function wakeInlineWorker(): void {
  void ensureInlineWorker();
}
