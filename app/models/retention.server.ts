/**
 * The queries of the daily retention sweep that span all shops: each shop's retention settings and
 * the purge of finished job rows (the per-shop purges are in webhook-deliveries.server.ts and
 * runs.server.ts).
 */
import type { Db } from "./common.server";

/** Retention settings of every shop that saved settings. */
export function listRetentionSettingsAllShops(db: Db) {
  return db.settings.findMany({
    select: { shop: true, webhookPayloadRetentionDays: true, modelRunRetention: true },
  });
}

/** Deletes completed, cancelled and failed jobs (all shops) last updated before `cutoff`. */
export async function deleteFinishedJobsBefore(db: Db, cutoff: Date): Promise<number> {
  const r = await db.job.deleteMany({
    where: { status: { in: ["completed", "cancelled", "failed"] }, updatedAt: { lt: cutoff } },
  });
  return r.count;
}
