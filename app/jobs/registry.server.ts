/**
 * Job handler registry: modules register a handler per job type at import time
 * (`registerJobHandler("sync.backfill.continue", fn)`); the worker claims only registered types.
 */
import type { Db } from "~/db/connect.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import type { JobQueue, JobRecord, JobTuning, PaidWorkPause } from "./types";

/** What a handler receives. */
export interface JobContext<P = unknown> {
  job: JobRecord;
  /** Parsed payload. */
  payload: P;
  shop: string;
  db: Db;
  queue: JobQueue;
  /** Refreshes the lock and stores progress (JSON); false when the job was cancelled or lost. */
  progress(value?: unknown): Promise<boolean>;
  /** Aborted when the worker stops (a handler that throws after this is released, not failed). */
  signal: AbortSignal;
  /** The Admin GraphQL port for the job's shop, from the factory the process was started with. */
  admin(): Promise<AdminGraphql>;
  /** Tunables the process was started with (tests shorten training and polling). */
  tuning: JobTuning;
  /** Non-null when the shop's paid work is paused (billing gate the process was started with; none = never). */
  paidWorkPause(): Promise<PaidWorkPause | null>;
}

/** A job handler; its return value is stored as the job's result. Throw to retry. */
export type JobHandler<P = unknown> = (ctx: JobContext<P>) => Promise<unknown>;

const handlers = new Map<string, JobHandler<never>>();

/** Registers (or replaces) the handler for a job type. */
export function registerJobHandler<P>(type: string, fn: JobHandler<P>): void {
  handlers.set(type, fn as JobHandler<never>);
}

/** Removes a handler (tests). */
export function unregisterJobHandler(type: string): void {
  handlers.delete(type);
}

/** The handler of a type, if registered. */
export function getJobHandler(type: string): JobHandler<unknown> | undefined {
  return handlers.get(type) as JobHandler<unknown> | undefined;
}

/** Registered job types. */
export function registeredJobTypes(): string[] {
  return [...handlers.keys()];
}
