/**
 * The durable job queue contract. The DB-backed implementation (db-queue.server.ts) stores jobs in
 * the `Job` table; a pg-boss adapter can implement the same interface later
 * (docs/decisions/0003-durable-jobs.md).
 */

import type { AdminGraphql } from "~/shopify/admin-client.server";

/** Builds the Admin GraphQL port for one shop (injected where a process starts its worker). */
export type AdminFactory = (shop: string) => Promise<AdminGraphql>;

/** Why a shop's paid background work is paused (billing: app/billing/paid-work.server.ts). */
export interface PaidWorkPause {
  status: "paused";
  reason: string;
  [detail: string]: unknown;
}

/** Decides whether a shop's paid background work (training, scoring, write-back, actions) may run; null = yes. */
export type PaidWorkGate = (shop: string, admin: () => Promise<AdminGraphql>) => Promise<PaidWorkPause | null>;

/**
 * Tunables given to a worker at start and handed to every handler: tests and benchmarks shorten
 * training and bulk polling; production passes nothing. Keys are read by the handlers that own them.
 */
export interface JobTuning {
  /** Overrides merged into every training job's payload (epochs, candidates, data thresholds). */
  training?: Record<string, unknown>;
  /** Write-back: per-request/bulk threshold and bulk polling. */
  writeback?: { bulkThreshold?: number; bulk?: { pollMs?: number; maxPollMs?: number } };
  /** Debounce of the incremental rescoring after order changes, ms (default 3 min). */
  rescoreDebounceMs?: number;
}

/** Lifecycle of a job. */
export type JobStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

/** A job as handlers and callers see it. */
export interface JobRecord {
  id: number;
  shop: string;
  type: string;
  payload: string;
  status: string;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedAt: Date | null;
  lastError: string | null;
  progress: string | null;
  result: string | null;
  dedupeKey: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Options of `enqueue`. */
export interface EnqueueOptions {
  /**
   * Unique key: a second enqueue with the same key returns the existing job instead of adding one.
   * Keys are unique for the life of the row; include a discriminator (delivery id, bulk op id, date).
   */
  dedupeKey?: string;
  /** When the job becomes runnable (default now). */
  runAt?: Date;
  /** Attempts before the job is marked failed (default 5). */
  maxAttempts?: number;
  /**
   * When the job with `dedupeKey` already finished (completed/failed/cancelled), retire its key and
   * enqueue a new one instead of returning it. Default false.
   */
  replaceFinished?: boolean;
}

/** Result of `enqueue`. */
export interface EnqueueResult {
  id: number;
  /** False when an existing job with the same dedupeKey was returned. */
  created: boolean;
}

/** Retry policy: exponential backoff `baseMs · 2^(attempt-1)` capped at `maxMs`, ±`jitter` fraction. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  jitter: number;
}

/** The queue operations the worker and the app use. */
export interface JobQueue {
  /** Adds a job (idempotent with dedupeKey). */
  enqueue(shop: string, type: string, payload: unknown, opts?: EnqueueOptions): Promise<EnqueueResult>;
  /** Atomically claims the next runnable job of one of `types` for `workerId` (null when none). */
  claim(workerId: string, types: readonly string[]): Promise<JobRecord | null>;
  /** Claims up to `limit` runnable jobs at once (optional; the worker falls back to `claim`). */
  claimBatch?(workerId: string, types: readonly string[], limit: number): Promise<JobRecord[]>;
  /** Returns a claimed, not yet started job to the queue (optional; used with `claimBatch`). */
  release?(job: JobRecord, workerId: string): Promise<boolean>;
  /** Marks a claimed job completed (no-op when the worker lost the lock or it was cancelled). */
  complete(job: JobRecord, workerId: string, result?: unknown): Promise<boolean>;
  /** Records a failure: requeue with backoff, or `failed` after maxAttempts / when `permanent`. */
  fail(
    job: JobRecord,
    workerId: string,
    error: unknown,
    opts?: { permanent?: boolean },
  ): Promise<"retry" | "failed" | "lost">;
  /** Refreshes the lock of a long-running job and optionally stores progress (JSON). */
  heartbeat(job: JobRecord, workerId: string, progress?: unknown): Promise<boolean>;
  /** Requeues running jobs whose lock is older than `staleMs` (worker crashed). Returns the count. */
  recoverStale(staleMs: number): Promise<number>;
  /** Cancels a shop's queued/running jobs (optionally of one type). Returns the count. */
  cancel(shop: string, filter?: { type?: string; id?: number; exceptId?: number }): Promise<number>;
  /** Reads one job of a shop. */
  get(shop: string, id: number): Promise<JobRecord | null>;
}

/** Thrown by a handler to fail a job without retrying (bad input, missing data). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}
