/**
 * Durable receipt of verified webhooks with group commit: deliveries that arrive while the previous
 * batch is being committed are appended together, in ONE transaction, to the idempotency ledger
 * (unique (shop, topic, event key)) with their processing jobs (app/models/webhook-ledger.server.ts).
 * Each caller's promise settles only after its batch committed, so a 200 still means "recorded";
 * a failed batch rejects every caller in it (→ 500, Shopify retries). A duplicate — of a stored
 * delivery or of another one in the same batch — changes nothing. docs/decisions/0006-ingest-group-commit.md
 */
import { providerOfClient, sqlitePathOf, type Db, type DbProvider } from "~/db/connect.server";
import { appendDeliveries, ledgerKey, type LedgerDelivery } from "~/models/webhook-ledger.server";
import { openSqliteLedgerWriter } from "~/models/webhook-ledger-sqlite.server";

export { PROCESS_WEBHOOK_JOB } from "~/models/webhook-ledger.server";

/** A verified delivery to record. */
export type VerifiedDelivery = LedgerDelivery;

/** Outcome of recording a delivery. */
export type IngestResult = { status: "accepted" } | { status: "duplicate" };

/** How a processing job names its delivery: (job.shop, topic, eventKey) is the ledger's unique key. */
export interface DeliveryKey {
  topic: string;
  eventKey: string;
}

/** Batch limits: rows per transaction and payload bytes per transaction. */
export interface GroupCommitOptions {
  maxBatch?: number;
  maxBatchBytes?: number;
}

interface Pending {
  d: VerifiedDelivery;
  resolve(r: IngestResult): void;
  reject(e: unknown): void;
}

/** Writes one batch of deliveries with distinct keys in one transaction; resolves to the new keys. */
export type AppendBatch = (ds: readonly VerifiedDelivery[]) => Promise<Set<string>>;

/** Appends verified deliveries for one database, one batch (transaction) at a time. */
export class DeliveryRecorder {
  private queue: Pending[] = [];
  private running = false;
  private readonly maxBatch: number;
  private readonly maxBatchBytes: number;
  /** Batches committed and deliveries in them (diagnostics, tests). */
  readonly stats = { batches: 0, deliveries: 0, largestBatch: 0 };

  constructor(
    private readonly append: AppendBatch,
    opts: GroupCommitOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 200;
    this.maxBatchBytes = opts.maxBatchBytes ?? 8 * 1024 * 1024;
  }

  /** Records one delivery; resolves after the transaction that holds it committed. */
  record(d: VerifiedDelivery): Promise<IngestResult> {
    return new Promise<IngestResult>((resolve, reject) => {
      this.queue.push({ d, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Let the requests already parsed in this turn of the event loop join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private take(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length && n < this.maxBatch) {
      bytes += this.queue[n]!.d.payload.length;
      if (n > 0 && bytes > this.maxBatchBytes) break;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) await this.commit(this.take());
    } finally {
      this.running = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    // The first delivery of a key in the batch is written; later ones are its duplicates.
    const first = new Map<string, VerifiedDelivery>();
    for (const p of batch) {
      const k = ledgerKey(p.d);
      if (!first.has(k)) first.set(k, p.d);
    }
    let inserted: Set<string>;
    try {
      inserted = await this.append([...first.values()]);
    } catch (e) {
      if (batch.length === 1) return batch[0]!.reject(e);
      // Do not let one bad delivery fail the others: retry them one by one.
      for (const p of batch) await this.commit([p]);
      return;
    }
    this.stats.batches++;
    this.stats.deliveries += first.size;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    for (const p of batch) {
      const k = ledgerKey(p.d);
      p.resolve(inserted.has(k) && first.get(k) === p.d ? { status: "accepted" } : { status: "duplicate" });
    }
  }
}

/** Where a recorder writes: the Prisma client, and for SQLite optionally the file (fast path). */
export interface LedgerTarget {
  db: Db;
  provider?: DbProvider;
  /** The database URL; for a `file:` URL the batches go through a dedicated prepared-statement connection. */
  url?: string;
}

const recorders = new WeakMap<Db, DeliveryRecorder>();
const allStats: Array<DeliveryRecorder["stats"]> = [];

/** Group-commit counters of this process's recorders (the bench and the harness print them). */
export function ingestStats(): { batches: number; deliveries: number; largestBatch: number } {
  return allStats.reduce(
    (a, s) => ({
      batches: a.batches + s.batches,
      deliveries: a.deliveries + s.deliveries,
      largestBatch: Math.max(a.largestBatch, s.largestBatch),
    }),
    { batches: 0, deliveries: 0, largestBatch: 0 },
  );
}

/**
 * The process-wide recorder of a database client (one group-commit queue per client). SQLite with a
 * known file: a dedicated better-sqlite3 connection with prepared statements; otherwise raw
 * multi-row SQL through the Prisma client (PostgreSQL: one statement per batch).
 */
export function deliveryRecorder(t: LedgerTarget): DeliveryRecorder {
  let r = recorders.get(t.db);
  if (!r) {
    const provider = t.provider ?? providerOfClient(t.db);
    let append: AppendBatch = (ds) => appendDeliveries(t.db, provider, ds);
    if (provider === "sqlite" && t.url?.startsWith("file:")) {
      const writer = openSqliteLedgerWriter(sqlitePathOf(t.url));
      append = (ds) => writer.append(ds);
    }
    recorders.set(t.db, (r = new DeliveryRecorder(append)));
    allStats.push(r.stats);
  }
  return r;
}

/** Records a delivery and its processing job atomically (group-committed); duplicates are a no-op. */
export function recordDelivery(t: LedgerTarget, d: VerifiedDelivery): Promise<IngestResult> {
  return deliveryRecorder(t).record(d);
}
