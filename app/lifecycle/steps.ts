/**
 * The shop lifecycle's vocabulary (pure): its steps, their job types, what triggers a run, and the
 * staggered nightly slot. The order the install sequence follows:
 *
 *   install → facts → backfill → training → scoring → post-scoring steps (write-back, …) → ready
 *
 * and then, continuously: incremental rescoring of customers whose orders changed (debounced),
 * a nightly rescore, and a periodic retrain (Settings → retrain every N days).
 */

/** Job types owned by the lifecycle (training and backfill keep their own job types). */
export const LIFECYCLE_JOBS = {
  facts: "lifecycle.facts",
  score: "lifecycle.score",
  rescore: "lifecycle.rescore",
  nightly: "lifecycle.nightly",
} as const;

/** Why a scoring / post-scoring run happens (audit log, Status page). */
export type Trigger = "install" | "nightly" | "retrain" | "incremental" | "settings" | "manual";

/** Steps shown on the Status page, in lifecycle order. */
export const STEP_LABELS: Record<string, string> = {
  facts: "Shop facts (currency, time zone, locale)",
  backfill: "Historical import",
  training: "Model training",
  scoring: "Scoring every customer",
  rescore: "Rescoring changed customers",
  writeback: "Write-back to Shopify",
  actions: "Segments, Flow triggers, tier discount",
  nightly: "Nightly rescore / periodic retrain",
};

/** Payload carried along a scoring run and its post-scoring steps. */
export interface RunPayload {
  trigger: Trigger;
  /** Only these customers (incremental rescoring); every customer when absent. */
  customerIds?: string[];
}

const DAY = 86_400_000;

/** A stable 0…1 fraction per shop (FNV-1a), spreading shops' nightly work over the window. */
export function shopFraction(shop: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < shop.length; i++) h = Math.imul(h ^ shop.charCodeAt(i), 0x01000193) >>> 0;
  return h / 0x1_0000_0000;
}

/**
 * The shop's next nightly slot after `after`: between 01:00 and 05:00 UTC, at a minute fixed per
 * shop, so many shops never rescore at the same moment.
 */
export function nextNightlySlot(shop: string, after: Date): Date {
  const offset = DAY / 24 + Math.floor(shopFraction(shop) * 4 * 60) * 60_000;
  const dayStart = Math.floor(after.getTime() / DAY) * DAY;
  const today = dayStart + offset;
  return new Date(today > after.getTime() ? today : today + DAY);
}

/**
 * The instant predictions are computed at: the end of the current UTC day (the next midnight).
 * Scores depend on "now" only through whole days, so rescoring the same data twice in a day gives
 * the same values and the write-back sends nothing; and an order placed today counts at the
 * incremental rescore minutes later, not only from tomorrow's scoring.
 */
export function scoringInstant(now: Date): number {
  return (Math.floor(now.getTime() / DAY) + 1) * DAY;
}

/** Whether a retrain is due: never trained, or the last training started `everyDays` ago or more. */
export function retrainDue(lastTrainingAt: Date | null, everyDays: number, now: Date): boolean {
  return !lastTrainingAt || now.getTime() - lastTrainingAt.getTime() >= everyDays * DAY - DAY / 24;
}
