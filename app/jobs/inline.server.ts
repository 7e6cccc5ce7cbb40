/**
 * The in-process worker (HORIZON_WORKER=inline, the default for the demo and SQLite): started on
 * first use in the web process, one per process.
 */
import { env, workerSettings } from "~/env.server";
import { DbJobQueue } from "./db-queue.server";
import { startWorker, type Worker } from "./worker.server";
import { startScheduler } from "./schedule.server";

let started: Promise<Worker> | undefined;

/** Starts the in-process worker once (no-op when HORIZON_WORKER=external). */
export function ensureInlineWorker(): Promise<Worker> | undefined {
  const e = env();
  if (e.HORIZON_WORKER === "external") return undefined;
  started ??= (async () => {
    const [{ default: db, dbHandle }] = await Promise.all([import("~/db.server"), import("./handlers.server")]); // the latter registers every job handler
    const queue = new DbJobQueue(db, dbHandle.provider);
    // Daily maintenance (retention); per-day dedupe keys make concurrent schedulers harmless.
    if (e.HORIZON_SCHEDULER !== "off") startScheduler(queue);
    return startWorker({
      db,
      queue,
      ...workerSettings(e, dbHandle.provider),
    });
  })();
  return started;
}

/** Called after a webhook was accepted: makes sure someone will process it. */
export function wakeInlineWorker(): void {
  void ensureInlineWorker();
}
