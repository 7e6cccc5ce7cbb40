/**
 * Retention: raw webhook payloads are cleared after the shop's `webhookPayloadRetentionDays`
 * (default 7); ledger keys are kept 30 days longer for dedupe, then deleted; finished jobs are
 * deleted after 30 days; model runs beyond `modelRunRetention` are pruned.
 */
import type { Db } from "~/db/connect.server";
import { pruneModelRuns } from "~/models/runs.server";

/** Job type of the daily retention sweep. */
export const RETENTION_JOB = "maintenance.retention";

/** Days ledger rows (without payload) are kept for duplicate detection. */
export const LEDGER_KEEP_DAYS = 30;

/** Counts of one sweep. */
export interface RetentionResult {
  payloadsCleared: number;
  ledgerRowsDeleted: number;
  jobsDeleted: number;
  modelRunsPruned: number;
}

const DAY = 86_400_000;

/** Runs the retention sweep for every shop (settings per shop; defaults for shops without). */
export async function runRetention(db: Db, now: Date = new Date()): Promise<RetentionResult> {
  const res: RetentionResult = { payloadsCleared: 0, ledgerRowsDeleted: 0, jobsDeleted: 0, modelRunsPruned: 0 };
  const settings = await db.settings.findMany({
    select: { shop: true, webhookPayloadRetentionDays: true, modelRunRetention: true },
  });
  const custom = new Map(settings.map((s) => [s.shop, s]));
  const shops = (await db.webhookDelivery.findMany({ distinct: ["shop"], select: { shop: true } })).map((r) => r.shop);
  for (const shop of new Set([...shops, ...custom.keys()])) {
    const days = custom.get(shop)?.webhookPayloadRetentionDays ?? 7;
    const cutoff = new Date(now.getTime() - days * DAY);
    // Unprocessed deliveries keep their payload until processed (or the ledger purge below).
    const r = await db.webhookDelivery.updateMany({
      where: {
        shop,
        receivedAt: { lt: cutoff },
        payload: { not: null },
        status: { in: ["processed", "failed", "redacted"] },
      },
      data: { payload: null },
    });
    res.payloadsCleared += r.count;
    const ledgerCutoff = new Date(cutoff.getTime() - LEDGER_KEEP_DAYS * DAY);
    res.ledgerRowsDeleted += (
      await db.webhookDelivery.deleteMany({ where: { shop, receivedAt: { lt: ledgerCutoff } } })
    ).count;
    const keep = custom.get(shop)?.modelRunRetention;
    if (keep) res.modelRunsPruned += await pruneModelRuns(db, shop, keep);
  }
  res.jobsDeleted += (
    await db.job.deleteMany({
      where: {
        status: { in: ["completed", "cancelled", "failed"] },
        updatedAt: { lt: new Date(now.getTime() - LEDGER_KEEP_DAYS * DAY) },
      },
    })
  ).count;
  return res;
}
