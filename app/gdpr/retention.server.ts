/**
 * Retention: raw webhook payloads are cleared after the shop's `webhookPayloadRetentionDays`
 * (default 7); ledger keys are kept 30 days longer for dedupe, then deleted; finished jobs are
 * deleted after 30 days; model runs beyond `modelRunRetention` are pruned.
 */
import type { Db } from "~/db/connect.server";
import { deleteFinishedJobsBefore, listRetentionSettingsAllShops } from "~/models/retention.server";
import { pruneModelRuns } from "~/models/runs.server";
import {
  clearDeliveryPayloadsBefore,
  deleteDeliveriesBefore,
  listLedgerShopsAllShops,
} from "~/models/webhook-deliveries.server";

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
  const settings = await listRetentionSettingsAllShops(db);
  const custom = new Map(settings.map((s) => [s.shop, s]));
  const shops = await listLedgerShopsAllShops(db);
  for (const shop of new Set([...shops, ...custom.keys()])) {
    const days = custom.get(shop)?.webhookPayloadRetentionDays ?? 7;
    const cutoff = new Date(now.getTime() - days * DAY);
    // Unprocessed deliveries keep their payload until processed (or the ledger purge below).
    res.payloadsCleared += await clearDeliveryPayloadsBefore(db, shop, cutoff);
    const ledgerCutoff = new Date(cutoff.getTime() - LEDGER_KEEP_DAYS * DAY);
    res.ledgerRowsDeleted += await deleteDeliveriesBefore(db, shop, ledgerCutoff);
    const keep = custom.get(shop)?.modelRunRetention;
    if (keep) res.modelRunsPruned += await pruneModelRuns(db, shop, keep);
  }
  res.jobsDeleted += await deleteFinishedJobsBefore(db, new Date(now.getTime() - LEDGER_KEEP_DAYS * DAY));
  return res;
}
