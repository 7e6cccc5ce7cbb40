/**
 * The job worker loop: claims runnable jobs of the registered types, runs their handlers, records
 * completion or failure (retry with backoff; `PermanentJobError` fails at once), and periodically
 * requeues jobs whose worker died (stale locks). Runs in-process (demo, SQLite, tests) or as its own
 * process (app/job-runtime/standalone-worker-main.ts).
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Db } from "~/db/connect.server";
import { getJobHandler, registeredJobTypes } from "./registry.server";
import {
  PermanentJobError,
  type AdminFactory,
  type JobQueue,
  type JobRecord,
  type JobTuning,
  type PaidWorkGate,
} from "./types";

/** Worker configuration. */
export interface WorkerOptions {
  db: Db;
  queue: JobQueue;
  /** Unique id of this worker (default host:pid:random). */
  workerId?: string;
  /** Jobs run concurrently by this worker (default 1; SQLite has one writer anyway). */
  concurrency?: number;
  /** Sleep when the queue is empty, ms (default 200). */
  pollMs?: number;
  /** A running job whose lock is older than this is considered lost, ms (default 60 s). */
  staleMs?: number;
  /** How often to look for stale locks, ms (default 10 s). */
  recoverEveryMs?: number;
  /**
   * Jobs claimed per query when the queue supports `claimBatch` (default 16; 1 = one at a time).
   * A claimed job waiting in the batch has its lock refreshed before it runs once half of `staleMs`
   * has passed, and is released back to the queue when the worker stops.
   */
  claimBatch?: number;
  /** Restrict to these types (default: every registered type at each poll). */
  types?: string[];
  /** Logger for job outcomes (default console). */
  log?: Pick<Console, "info" | "warn" | "error">;
  /** Admin GraphQL port factory handed to handlers (`ctx.admin()`); without it Shopify jobs fail. */
  adminFor?: AdminFactory;
  /** Tunables handed to handlers (`ctx.tuning`). */
  tuning?: JobTuning;
  /** Billing gate of paid background work (`ctx.paidWorkPause()`); without it nothing is paused. */
  paidWork?: PaidWorkGate;
}

/** Options of `Worker.stop`. */
export interface StopOptions {
  /**
   * Longest wait for running jobs, ms (default: no bound). Jobs still running then are released
   * back to the queue (their attempt undone) so the next worker runs them again.
   */
  timeoutMs?: number;
}

/** A running worker. */
export interface Worker {
  workerId: string;
  /** Stops claiming, waits for running jobs to finish (up to `timeoutMs`, then releases them). */
  stop(opts?: StopOptions): Promise<{ released: number }>;
  /** Ends the idle sleep of every lane now (work was just enqueued). */
  poke(): void;
  /** Resolves when the queue has no runnable job of the worker's types and nothing is running. */
  idle(): Promise<void>;
  /** Counts of outcomes since start. */
  stats: { completed: number; retried: number; failed: number; released: number };
}

/** Runs one claimed job to its outcome. */
export async function runJob(opts: {
  db: Db;
  queue: JobQueue;
  workerId: string;
  job: JobRecord;
  signal: AbortSignal;
  log: WorkerOptions["log"];
  adminFor?: AdminFactory;
  tuning?: JobTuning;
  paidWork?: PaidWorkGate;
}) {
  const { db, queue, workerId, job, signal, adminFor, paidWork } = opts;
  const log = opts.log ?? console;
  const handler = getJobHandler(job.type);
  if (!handler) {
    await queue.fail(job, workerId, new Error(`no handler registered for job type "${job.type}"`), { permanent: true });
    return "failed" as const;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(job.payload);
  } catch {
    await queue.fail(job, workerId, new Error(`job ${job.id}: payload is not valid JSON`), { permanent: true });
    return "failed" as const;
  }
  try {
    const admin = () =>
      adminFor
        ? adminFor(job.shop)
        : Promise.reject(new Error(`job ${job.type}: this worker was started without an Admin client factory`));
    const result = await handler({
      job,
      payload,
      shop: job.shop,
      db,
      queue,
      signal,
      progress: (value) => queue.heartbeat(job, workerId, value),
      admin,
      tuning: opts.tuning ?? {},
      paidWorkPause: () => (paidWork ? paidWork(job.shop, admin) : Promise.resolve(null)),
    });
    await queue.complete(job, workerId, result);
    return "completed" as const;
  } catch (e) {
    // Stopped mid-job (shutdown): the job goes back to the queue untouched and runs again after restart.
    if (signal.aborted && !(e instanceof PermanentJobError) && (await queue.release?.(job, workerId))) {
      log.info(`job ${job.id} (${job.type}, ${job.shop}) released: the worker is stopping`);
      return "released" as const;
    }
    const permanent = e instanceof PermanentJobError;
    const outcome = await queue.fail(job, workerId, e, { permanent });
    const msg = `job ${job.id} (${job.type}, ${job.shop}) attempt ${job.attempts}/${job.maxAttempts} ${outcome}: ${(e as Error)?.message ?? e}`;
    if (outcome === "failed") log.error(msg);
    else log.warn(msg);
    return outcome === "retry" ? ("retried" as const) : ("failed" as const);
  }
}

/** Starts a worker loop. */
export function startWorker(opts: WorkerOptions): Worker {
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const pollMs = opts.pollMs ?? 200;
  const staleMs = opts.staleMs ?? 60_000;
  const recoverEveryMs = opts.recoverEveryMs ?? 10_000;
  const batchSize = Math.max(1, opts.claimBatch ?? 16);
  const log = opts.log ?? console;
  const ac = new AbortController();
  const stats = { completed: 0, retried: 0, failed: 0, released: 0 };
  let lastRecover = 0;
  let running = 0;
  const active = new Set<JobRecord>();
  const idleWaiters: Array<() => void> = [];
  const sleepers = new Set<() => void>();

  const sleep = (ms: number) =>
    new Promise<void>((res) => {
      if (ac.signal.aborted) return res();
      const wake = () => {
        clearTimeout(t);
        ac.signal.removeEventListener("abort", wake);
        sleepers.delete(wake);
        res();
      };
      const t = setTimeout(wake, ms);
      sleepers.add(wake);
      ac.signal.addEventListener("abort", wake, { once: true });
    });

  /** Claimed jobs of one lane not started yet, with the time of their claim. */
  async function next(buffer: JobRecord[], claimed: { at: number }): Promise<JobRecord | null> {
    const q = opts.queue;
    while (buffer.length) {
      const job = buffer.shift()!;
      // A job that waited long in the batch refreshes its lock first (and is skipped if it lost it).
      if (Date.now() - claimed.at < staleMs / 2 || (await q.heartbeat(job, workerId))) return job;
    }
    const types = opts.types ?? registeredJobTypes();
    if (batchSize > 1 && q.claimBatch) {
      const jobs = await q.claimBatch(workerId, types, batchSize);
      claimed.at = Date.now();
      buffer.push(...jobs.slice(1));
      return jobs[0] ?? null;
    }
    return q.claim(workerId, types);
  }

  async function lane(): Promise<void> {
    const buffer: JobRecord[] = [];
    const claimed = { at: 0 };
    while (!ac.signal.aborted) {
      try {
        if (Date.now() - lastRecover >= recoverEveryMs) {
          lastRecover = Date.now();
          const n = await opts.queue.recoverStale(staleMs);
          if (n) log.warn(`worker ${workerId}: requeued ${n} job(s) with stale locks`);
        }
        const job = await next(buffer, claimed);
        if (!job) {
          if (running === 0) idleWaiters.splice(0).forEach((f) => f());
          await sleep(pollMs);
          continue;
        }
        running++;
        active.add(job);
        try {
          const outcome = await runJob({
            db: opts.db,
            queue: opts.queue,
            workerId,
            job,
            signal: ac.signal,
            log,
            adminFor: opts.adminFor,
            tuning: opts.tuning,
            paidWork: opts.paidWork,
          });
          stats[outcome]++;
        } finally {
          active.delete(job);
          running--;
        }
        // SQLite calls settle synchronously, so a lane would otherwise run job after job in one
        // chain of microtasks and starve the HTTP requests of an in-process worker: yield to I/O.
        await new Promise<void>((r) => setImmediate(r));
      } catch (e) {
        // DB unavailable or similar: log and back off, never crash the loop.
        log.error(`worker ${workerId}: ${(e as Error).message}`);
        await sleep(Math.min(5000, pollMs * 5));
      }
    }
    // Stopping: claimed jobs that never started go back to the queue.
    for (const job of buffer.splice(0)) await opts.queue.release?.(job, workerId).catch(() => false);
  }

  const lanes = Array.from({ length: concurrency }, () => lane());
  return {
    workerId,
    stats,
    async stop(stopOpts: StopOptions = {}) {
      ac.abort();
      const all = Promise.all(lanes).then(() => "done" as const);
      if (stopOpts.timeoutMs === undefined) {
        await all;
        return { released: 0 };
      }
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), stopOpts.timeoutMs)));
      const how = await Promise.race([all, bound]);
      clearTimeout(timer);
      if (how === "done") return { released: 0 };
      // Past the bound: hand the running jobs back; their handlers' late results are ignored (lock lost).
      let released = 0;
      for (const job of [...active])
        if (await opts.queue.release?.(job, workerId).catch(() => false)) {
          released++;
          log.warn(`worker ${workerId}: job ${job.id} (${job.type}) released at shutdown; it runs again on restart`);
        }
      stats.released += released;
      return { released };
    },
    poke() {
      for (const wake of [...sleepers]) wake();
    },
    idle() {
      return new Promise<void>((res) => {
        idleWaiters.push(res);
      });
    },
  };
}
