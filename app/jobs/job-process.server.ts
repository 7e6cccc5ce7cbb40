/**
 * One process's background work: the job worker (started at once, so a backlog left by a previous
 * process drains with no new traffic), the maintenance scheduler, and a bounded shutdown on
 * SIGTERM/SIGINT — stop claiming, let running jobs finish for up to `shutdownMs`, release the rest
 * back to the queue (they run again after the restart), close the database, exit.
 * Used by the web process (app/job-runtime/boot.server.ts, inline worker) and `npm run worker`.
 */
import type { Db } from "~/db/connect.server";
import { env, loadEnv, workerSettings } from "~/env.server";
import { DbJobQueue } from "./db-queue.server";
import { startScheduler } from "./schedule.server";
import type { AdminFactory, JobTuning, PaidWorkGate } from "./types";
import { startWorker, type Worker, type WorkerOptions } from "./job-loop.server";

/** What a process needs to run jobs. */
export interface JobProcessOptions {
  db: Db;
  provider: "sqlite" | "postgresql";
  /** Closes the database (called once at shutdown). */
  closeDb(): Promise<void>;
  adminFor: AdminFactory;
  tuning?: JobTuning;
  /** Billing gate of paid background work (the web process and `npm run worker` pass one; tests may not). */
  paidWork?: PaidWorkGate;
  /** Worker settings (concurrency, polling, claim batch …); see WorkerOptions. */
  worker?: Omit<WorkerOptions, "db" | "queue" | "adminFor" | "tuning" | "paidWork">;
  /** Run the maintenance scheduler (default true). */
  scheduler?: boolean;
  /** Bound on waiting for running jobs at shutdown, ms (default WORKER_SHUTDOWN_MS or 10 s). */
  shutdownMs?: number;
  /** Install SIGTERM/SIGINT handlers that end the process (default true). */
  handleSignals?: boolean;
  /** Ends the process (default process.exit). */
  exit?(code: number): void;
  log?: Pick<Console, "info" | "warn" | "error">;
}

/** A running job process. */
export interface JobProcess {
  worker: Worker;
  queue: DbJobQueue;
  /** Stops the worker within the bound, closes the database; resolves before `exit` is called. */
  shutdown(reason: string): Promise<{ released: number }>;
}

/** Worker settings from the validated environment (one parser for the web process and `npm run worker`). */
export function workerSettingsFromEnv(
  provider: "sqlite" | "postgresql",
  source?: Record<string, string | undefined>,
): ReturnType<typeof workerSettings> {
  return workerSettings(source ? loadEnv(source, () => undefined) : env(), provider);
}

/** Starts the worker (and scheduler) now and wires the bounded shutdown. */
export function startJobProcess(o: JobProcessOptions): JobProcess {
  const log = o.log ?? console;
  const queue = new DbJobQueue(o.db, o.provider);
  const worker = startWorker({
    ...workerSettingsFromEnv(o.provider),
    ...o.worker,
    db: o.db,
    queue,
    adminFor: o.adminFor,
    // RESCORE_DEBOUNCE_MS applies unless the caller tunes the debounce itself (tests).
    tuning: { rescoreDebounceMs: env().RESCORE_DEBOUNCE_MS, ...o.tuning },
    paidWork: o.paidWork,
    log,
  });
  const scheduler = o.scheduler === false ? null : startScheduler(queue);
  const shutdownMs = o.shutdownMs ?? env().WORKER_SHUTDOWN_MS;
  let stopping: Promise<{ released: number }> | null = null;
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      log.info(`worker ${worker.workerId}: ${reason}; no new jobs, waiting up to ${shutdownMs} ms for running ones`);
      scheduler?.stop();
      const r = await worker.stop({ timeoutMs: shutdownMs });
      await o.closeDb().catch((e: Error) => log.error(`closing the database: ${e.message}`));
      return r;
    })());
  if (o.handleSignals !== false) {
    const exit = o.exit ?? ((code: number) => process.exit(code));
    const onSignal = (sig: NodeJS.Signals) => {
      // A second signal, or a shutdown stuck past the bound, ends the process regardless.
      if (stopping) return exit(1);
      setTimeout(() => exit(1), shutdownMs + 5_000).unref();
      void shutdown(sig).then(
        () => exit(0),
        () => exit(1),
      );
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }
  return { worker, queue, shutdown };
}
