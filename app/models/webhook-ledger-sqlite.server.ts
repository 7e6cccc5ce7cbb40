/**
 * SQLite ledger writer for the webhook hot path: its own better-sqlite3 connection (the same copy
 * Prisma's adapter uses) with prepared statements, appending a batch of deliveries and their jobs in
 * one `BEGIN IMMEDIATE … COMMIT`, synchronously — the write lock is never held across an `await`.
 *
 * The connection has no busy timeout: when another connection holds the write lock (a Prisma
 * interactive transaction in this process, or the worker process) the batch is retried after a
 * short asynchronous sleep instead of blocking the event loop (a synchronous busy wait here could
 * stall the very transaction it waits for). Same durability settings as the app's connection
 * (WAL, synchronous=NORMAL: a committed batch survives a process crash).
 */
import { createRequire } from "node:module";
import {
  jobPayloadOf,
  ledgerKey,
  PROCESS_WEBHOOK_JOB,
  PROCESS_WEBHOOK_MAX_ATTEMPTS,
  type LedgerDelivery,
} from "./webhook-ledger.server";

interface Statement {
  run(...args: unknown[]): { changes: number };
}
interface Connection {
  pragma(s: string): unknown;
  prepare(sql: string): Statement;
  close(): void;
  readonly inTransaction: boolean;
}

/** A ledger writer bound to one SQLite file. */
export interface SqliteLedgerWriter {
  /** Appends deliveries with distinct keys and their jobs in one transaction; returns the new keys. */
  append(ds: readonly LedgerDelivery[]): Promise<Set<string>>;
  close(): void;
}

/** How long a batch keeps retrying while another connection holds the write lock. */
const BUSY_GIVE_UP_MS = 10_000;

/** Timestamps as Prisma's SQLite adapter writes them (ISO 8601, "+00:00"), so Prisma reads them back. */
function ts(d: Date): string {
  return d.toISOString().replace("Z", "+00:00");
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_BUSY_SNAPSHOT" || code === "SQLITE_LOCKED";
}

/** Opens the writer on an (already migrated) SQLite file. */
export function openSqliteLedgerWriter(file: string): SqliteLedgerWriter {
  const require = createRequire(import.meta.url);
  const Database = require("better-sqlite3") as new (file: string, o?: object) => Connection;
  const conn = new Database(file, { timeout: 10_000 });
  conn.pragma("journal_mode = WAL");
  conn.pragma("synchronous = NORMAL");
  conn.pragma("busy_timeout = 0");
  const begin = conn.prepare("BEGIN IMMEDIATE");
  const commit = conn.prepare("COMMIT");
  const rollback = conn.prepare("ROLLBACK");
  const insertDelivery = conn.prepare(
    `INSERT INTO "WebhookDelivery" (shop, topic, "webhookId", "eventKey", "triggeredAt", "receivedAt", payload)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop, topic, "eventKey") DO NOTHING`,
  );
  const insertJob = conn.prepare(
    `INSERT INTO "Job" (shop, type, payload, "maxAttempts", "runAt", "createdAt", "updatedAt")
     VALUES (?, '${PROCESS_WEBHOOK_JOB}', ?, ${PROCESS_WEBHOOK_MAX_ATTEMPTS}, ?, ?, ?)`,
  );

  function appendSync(ds: readonly LedgerDelivery[]): Set<string> {
    const now = ts(new Date());
    const inserted = new Set<string>();
    begin.run();
    try {
      for (const d of ds) {
        const r = insertDelivery.run(
          d.shop,
          d.topic,
          d.webhookId,
          d.eventKey,
          d.triggeredAt ? ts(d.triggeredAt) : null,
          now,
          d.payload,
        );
        if (r.changes !== 1) continue; // already in the ledger: a duplicate, no job
        insertJob.run(d.shop, jobPayloadOf(d), now, now, now);
        inserted.add(ledgerKey(d));
      }
      commit.run();
    } catch (e) {
      if (conn.inTransaction) rollback.run();
      throw e;
    }
    return inserted;
  }

  return {
    async append(ds) {
      const start = Date.now();
      for (let attempt = 0; ; attempt++) {
        try {
          return appendSync(ds);
        } catch (e) {
          if (!isBusy(e) || Date.now() - start > BUSY_GIVE_UP_MS) throw e;
          await new Promise((r) => setTimeout(r, Math.min(20, 1 + attempt)));
        }
      }
    },
    close: () => conn.close(),
  };
}
