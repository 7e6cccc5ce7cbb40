/**
 * The webhook idempotency ledger (`WebhookDelivery`) and its processing jobs, written in batches.
 *
 * `appendDeliveries` records many verified deliveries in ONE transaction with raw multi-row SQL (no
 * Prisma query compilation per row): every delivery whose (shop, topic, eventKey) is not in the
 * ledger yet gets its ledger row and its `webhooks.process` job; the others change nothing. It
 * returns which ones were new. Callers must pass deliveries with distinct keys (ingest.server.ts
 * removes in-batch duplicates first).
 *
 * - PostgreSQL: one statement — `INSERT … ON CONFLICT DO NOTHING RETURNING` in a CTE feeds the job
 *   INSERT, so only rows that were really inserted get a job, also against a concurrent writer.
 * - SQLite (one writer, so no concurrent writer inside the transaction): a batch transaction of
 *   two statements — jobs for keys not in the ledger, then the ledger rows `ON CONFLICT DO NOTHING`.
 */
import type { Db, DbProvider } from "~/db/connect.server";

/** Job type that processes one ledger row (see app/webhooks/process.server.ts). */
export const PROCESS_WEBHOOK_JOB = "webhooks.process";

/** Attempts of a processing job before it is marked failed. */
export const PROCESS_WEBHOOK_MAX_ATTEMPTS = 8;

/** A verified delivery to record. */
export interface LedgerDelivery {
  shop: string;
  topic: string;
  webhookId: string;
  /** X-Shopify-Event-Id when present (shared by duplicates of one event), else the webhook id. */
  eventKey: string;
  triggeredAt: Date | null;
  /** Scrubbed payload JSON. */
  payload: string;
}

/** The processing job's payload: the ledger key (the job's shop completes it). */
export function jobPayloadOf(d: Pick<LedgerDelivery, "topic" | "eventKey">): string {
  return JSON.stringify({ topic: d.topic, eventKey: d.eventKey });
}

/** The ledger's unique key as one string. */
export function ledgerKey(d: Pick<LedgerDelivery, "shop" | "topic" | "eventKey">): string {
  return `${d.shop}\n${d.topic}\n${d.eventKey}`;
}

/** Parameters per delivery in one multi-row statement (SQLite allows 32,766 per statement). */
const PARAMS_PER_ROW = 7;

function placeholders(rows: number, perRow: number, pg: boolean, casts: string[] = []): string {
  const out: string[] = [];
  let n = 1;
  for (let r = 0; r < rows; r++) {
    const cols: string[] = [];
    for (let c = 0; c < perRow; c++) cols.push(pg ? `$${n++}${casts[c] ?? ""}` : "?");
    out.push(`(${cols.join(", ")})`);
  }
  return out.join(", ");
}

function rowArgs(ds: readonly LedgerDelivery[]): unknown[] {
  const args: unknown[] = [];
  for (const d of ds) args.push(d.shop, d.topic, d.webhookId, d.eventKey, d.triggeredAt, d.payload, jobPayloadOf(d));
  return args;
}

/**
 * Appends deliveries (distinct keys) and their jobs atomically; returns the keys (`ledgerKey`) that
 * were new. Everything or nothing is committed.
 */
export async function appendDeliveries(
  db: Db,
  provider: DbProvider,
  ds: readonly LedgerDelivery[],
): Promise<Set<string>> {
  if (ds.length === 0) return new Set();
  if (ds.length * PARAMS_PER_ROW > 30_000) throw new Error(`appendDeliveries: batch of ${ds.length} is too large`);
  const now = new Date();
  const args = rowArgs(ds);
  if (provider === "postgresql") {
    const n = args.length;
    const casts = ["::text", "::text", "::text", "::text", "::timestamp(3)", "::text", "::text"];
    const rows = await db.$queryRawUnsafe<Array<{ shop: string; payload: string }>>(
      `WITH v (shop, topic, "webhookId", "eventKey", "triggeredAt", payload, "jobPayload") AS (
         VALUES ${placeholders(ds.length, PARAMS_PER_ROW, true, casts)}),
       ins AS (
         INSERT INTO "WebhookDelivery" (shop, topic, "webhookId", "eventKey", "triggeredAt", "receivedAt", payload)
         SELECT shop, topic, "webhookId", "eventKey", "triggeredAt", $${n + 1}::timestamp(3), payload FROM v
         ON CONFLICT (shop, topic, "eventKey") DO NOTHING
         RETURNING shop, topic, "eventKey")
       INSERT INTO "Job" (shop, type, payload, "maxAttempts", "runAt", "createdAt", "updatedAt")
       SELECT v.shop, '${PROCESS_WEBHOOK_JOB}', v."jobPayload", ${PROCESS_WEBHOOK_MAX_ATTEMPTS}, $${n + 1}::timestamp(3), $${n + 1}::timestamp(3), $${n + 1}::timestamp(3)
       FROM ins JOIN v ON v.shop = ins.shop AND v.topic = ins.topic AND v."eventKey" = ins."eventKey"
       RETURNING shop, payload`,
      ...args,
      now,
    );
    const byJob = new Map(ds.map((d) => [`${d.shop}\n${jobPayloadOf(d)}`, d]));
    return new Set(rows.map((r) => ledgerKey(byJob.get(`${r.shop}\n${r.payload}`)!)));
  }
  // SQLite: VALUES columns are column1..column7 in the order of rowArgs.
  const values = placeholders(ds.length, PARAMS_PER_ROW, false);
  const [, inserted] = await db.$transaction([
    db.$executeRawUnsafe(
      `INSERT INTO "Job" (shop, type, payload, "maxAttempts", "runAt", "createdAt", "updatedAt")
       SELECT v.column1, '${PROCESS_WEBHOOK_JOB}', v.column7, ${PROCESS_WEBHOOK_MAX_ATTEMPTS}, ?, ?, ?
       FROM (VALUES ${values}) AS v
       WHERE NOT EXISTS (SELECT 1 FROM "WebhookDelivery" d
                         WHERE d.shop = v.column1 AND d.topic = v.column2 AND d."eventKey" = v.column4)`,
      now,
      now,
      now,
      ...args,
    ),
    db.$queryRawUnsafe<Array<{ shop: string; topic: string; eventKey: string }>>(
      `INSERT INTO "WebhookDelivery" (shop, topic, "webhookId", "eventKey", "triggeredAt", payload, "receivedAt")
       SELECT column1, column2, column3, column4, column5, column6, ? FROM (VALUES ${values})
       WHERE true
       ON CONFLICT (shop, topic, "eventKey") DO NOTHING
       RETURNING shop, topic, "eventKey"`,
      now,
      ...args,
    ),
  ]);
  return new Set(inserted.map(ledgerKey));
}
