/**
 * One process's background work: the job worker (started at once, so a backlog left by a previous
 * process drains with no new traffic), the maintenance scheduler, and a bounded shutdown on
 * SIGTERM/SIGINT — stop claiming, let running jobs finish for up to `shutdownMs`, release the rest
 * back to the queue (they run again after the restart), close the database, exit.
 * Used by the web process (app/jobs/boot.server.ts, inline worker) and `npm run worker`.
 */
import type { Db } from "~/db/connect.server";
import { DbJobQueue } from "./db-queue.server";
import { startScheduler } from "./schedule.server";
import type { AdminFactory, JobTuning } from "./types";
import { startWorker, type Worker, type WorkerOptions } from "./worker.server";

/** Default bound on the shutdown wait for running jobs, ms. */
export const DEFAULT_SHUTDOWN_MS = 10_000;

/** What a process needs to run jobs. */
export interface JobProcessOptions {
  db: Db;
  provider: "sqlite" | "postgresql";
  /** Closes the database (called once at shutdown). */
  closeDb(): Promise<void>;
  adminFor: AdminFactory;
  tuning?: JobTuning;
  /** Worker settings (concurrency, polling, claim batch …); see WorkerOptions. */
  worker?: Omit<WorkerOptions, "db" | "queue" | "adminFor" | "tuning">;
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

/** Reads a positive integer from the environment (a clear error names the variable). */
export function envInt(name: string, fallback: number, source: Record<string, string | undefined> = process.env) {
  const raw = source[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer; got "${raw}"`);
  return n;
}

/** Worker settings from WORKER_* variables (one parser for the web process and `npm run worker`). */
export function workerSettingsFromEnv(
  provider: "sqlite" | "postgresql",
  source: Record<string, string | undefined> = process.env,
): Required<Pick<WorkerOptions, "concurrency" | "pollMs" | "staleMs" | "recoverEveryMs" | "claimBatch">> {
  return {
    concurrency: Math.max(1, envInt("WORKER_CONCURRENCY", provider === "postgresql" ? 2 : 1, source)),
    pollMs: envInt("WORKER_POLL_MS", 200, source),
    staleMs: envInt("WORKER_STALE_MS", 60_000, source),
    recoverEveryMs: envInt("WORKER_RECOVER_MS", 10_000, source),
    claimBatch: Math.max(1, envInt("WORKER_CLAIM_BATCH", 16, source)),
  };
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
    tuning: o.tuning,
    log,
  });
  const scheduler = o.scheduler === false ? null : startScheduler(queue);
  const shutdownMs = o.shutdownMs ?? envInt("WORKER_SHUTDOWN_MS", DEFAULT_SHUTDOWN_MS);
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
