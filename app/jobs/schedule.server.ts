/**
 * Periodic jobs: enqueues the daily retention sweep with a per-day dedupe key, so any number of
 * workers/processes schedule it exactly once per day.
 */
import { RETENTION_JOB } from "~/gdpr/retention.server";
import type { JobQueue } from "./types";

/** Shop value used for jobs that span all shops. */
export const SYSTEM_SHOP = "_system";

/** Enqueues today's maintenance jobs (idempotent). */
export async function enqueueDailyJobs(queue: JobQueue, now = new Date()): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  await queue.enqueue(SYSTEM_SHOP, RETENTION_JOB, {}, { dedupeKey: `${RETENTION_JOB}:${day}` });
}

/** Checks hourly (and at start) that today's maintenance jobs are queued. */
export function startScheduler(queue: JobQueue, everyMs = 3_600_000): { stop(): void } {
  const tick = () => enqueueDailyJobs(queue).catch((e: Error) => console.error(`scheduler: ${e.message}`));
  void tick();
  const t = setInterval(tick, everyMs);
  t.unref();
  return { stop: () => clearInterval(t) };
}
