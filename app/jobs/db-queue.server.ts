/**
 * DB-backed durable job queue on the `Job` table (SQLite or PostgreSQL).
 *
 * Claiming is atomic: PostgreSQL uses `FOR UPDATE SKIP LOCKED` so concurrent workers never block
 * on or double-claim a row; SQLite (one writer at a time) uses a compare-and-set update
 * (`WHERE id = ? AND status = 'queued'`). A claim increments `attempts` and stamps `lockedBy` /
 * `lockedAt`; a worker killed with -9 leaves a `running` row whose lock goes stale and
 * `recoverStale` puts it back in the queue, so nothing is lost (handlers must be idempotent).
 */
import type { Prisma } from "@prisma/client";
import type { Db, DbProvider } from "~/db/connect.server";
import type { BackoffPolicy, EnqueueOptions, EnqueueResult, JobQueue, JobRecord } from "./types";

type Client = Db | Prisma.TransactionClient;

/** Default backoff: 1 s, 2 s, 4 s … capped at 1 h, ±20 % jitter. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 3_600_000, jitter: 0.2 };

const ERROR_MAX = 2000;

/** Delay before retry number `attempt` (1-based) under `policy`. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, rand = Math.random): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(raw * (1 + policy.jitter * (2 * rand() - 1))));
}

function errorText(e: unknown): string {
  const s = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return s.length > ERROR_MAX ? `${s.slice(0, ERROR_MAX)}…` : s;
}

function isUnique(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}

/**
 * Enqueues a job using `client` (a transaction client to make the enqueue atomic with other writes).
 * With a dedupeKey the existing job is returned instead of adding a second one.
 */
export async function enqueueJob(
  client: Client,
  shop: string,
  type: string,
  payload: unknown,
  opts: EnqueueOptions = {},
): Promise<EnqueueResult> {
  if (!type || type.length > 100) throw new Error(`job type must be 1–100 characters; got ${JSON.stringify(type)}`);
  const data = {
    shop,
    type,
    payload: typeof payload === "string" ? payload : JSON.stringify(payload ?? {}),
    runAt: opts.runAt ?? new Date(),
    maxAttempts: opts.maxAttempts ?? 5,
    dedupeKey: opts.dedupeKey ?? null,
  };
  if (opts.dedupeKey) {
    // Check first: inside a PostgreSQL transaction a failed INSERT would abort the transaction.
    const existing = await client.job.findUnique({
      where: { dedupeKey: opts.dedupeKey },
      select: { id: true, status: true },
    });
    if (existing) {
      const finished = ["completed", "failed", "cancelled"].includes(existing.status);
      if (!(opts.replaceFinished && finished)) return { id: existing.id, created: false };
      await client.job.update({ where: { id: existing.id }, data: { dedupeKey: `${opts.dedupeKey}#${existing.id}` } });
    }
  }
  const row = await client.job.create({ data, select: { id: true } });
  return { id: row.id, created: true };
}

/** The DB-backed JobQueue. */
export class DbJobQueue implements JobQueue {
  constructor(
    private readonly db: Db,
    private readonly provider: DbProvider,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  async enqueue(shop: string, type: string, payload: unknown, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
    if (!opts.dedupeKey) return enqueueJob(this.db, shop, type, payload, opts);
    try {
      return await enqueueJob(this.db, shop, type, payload, opts);
    } catch (e) {
      // Lost a race with a concurrent enqueue of the same key.
      if (!isUnique(e)) throw e;
      const row = await this.db.job.findUnique({ where: { dedupeKey: opts.dedupeKey }, select: { id: true } });
      if (!row) throw e;
      return { id: row.id, created: false };
    }
  }

  async claim(workerId: string, types: readonly string[]): Promise<JobRecord | null> {
    if (types.length === 0) return null;
    const now = new Date();
    if (this.provider === "postgresql") {
      const rows = await this.db.$queryRawUnsafe<Array<{ id: number }>>(
        `UPDATE "Job" SET status = 'running', "lockedBy" = $1, "lockedAt" = $2, attempts = attempts + 1, "updatedAt" = $2
         WHERE id = (
           SELECT id FROM "Job" WHERE status = 'queued' AND "runAt" <= $2 AND type = ANY($3::text[])
           ORDER BY "runAt", id FOR UPDATE SKIP LOCKED LIMIT 1)
         RETURNING id`,
        workerId,
        now,
        [...types],
      );
      if (!rows.length) return null;
      return this.db.job.findUnique({ where: { id: Number(rows[0].id) } });
    }
    // SQLite: compare-and-set; a lost race just tries the next candidate.
    for (let i = 0; i < 5; i++) {
      const next = await this.db.job.findFirst({
        where: { status: "queued", runAt: { lte: now }, type: { in: [...types] } },
        orderBy: [{ runAt: "asc" }, { id: "asc" }],
        select: { id: true },
      });
      if (!next) return null;
      const upd = await this.db.job.updateMany({
        where: { id: next.id, status: "queued" },
        data: { status: "running", lockedBy: workerId, lockedAt: now, attempts: { increment: 1 } },
      });
      if (upd.count === 1) return this.db.job.findUnique({ where: { id: next.id } });
    }
    return null;
  }

  /**
   * Claims up to `limit` runnable jobs of `types` in one statement (oldest `runAt` first), with the
   * same lock stamp and attempt increment as `claim`. PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite:
   * one UPDATE … WHERE id IN (SELECT …) (the database has one writer, so the rows are ours).
   */
  async claimBatch(workerId: string, types: readonly string[], limit: number): Promise<JobRecord[]> {
    if (types.length === 0 || limit < 1) return [];
    const now = new Date();
    const pg = this.provider === "postgresql";
    const typeList = pg ? "ANY($3::text[])" : `(${types.map(() => "?").join(", ")})`;
    const sql = pg
      ? `UPDATE "Job" SET status = 'running', "lockedBy" = $1, "lockedAt" = $2, attempts = attempts + 1, "updatedAt" = $2
         WHERE id IN (
           SELECT id FROM "Job" WHERE status = 'queued' AND "runAt" <= $2 AND type = ${typeList}
           ORDER BY "runAt", id FOR UPDATE SKIP LOCKED LIMIT $4)
         RETURNING id`
      : `UPDATE "Job" SET status = 'running', "lockedBy" = ?, "lockedAt" = ?, attempts = attempts + 1, "updatedAt" = ?
         WHERE status = 'queued' AND id IN (
           SELECT id FROM "Job" WHERE status = 'queued' AND "runAt" <= ? AND type IN ${typeList}
           ORDER BY "runAt", id LIMIT ?)
         RETURNING id`;
    const args = pg ? [workerId, now, [...types], limit] : [workerId, now, now, now, ...types, limit];
    const rows = await this.db.$queryRawUnsafe<Array<{ id: number | bigint }>>(sql, ...args);
    if (!rows.length) return [];
    const jobs = await this.db.job.findMany({ where: { id: { in: rows.map((r) => Number(r.id)) } } });
    return jobs.sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
  }

  async complete(job: JobRecord, workerId: string, result?: unknown): Promise<boolean> {
    const upd = await this.db.job.updateMany({
      where: { id: job.id, status: "running", lockedBy: workerId },
      data: {
        status: "completed",
        lockedBy: null,
        lockedAt: null,
        result: result === undefined ? null : JSON.stringify(result),
      },
    });
    return upd.count === 1;
  }

  async fail(
    job: JobRecord,
    workerId: string,
    error: unknown,
    opts: { permanent?: boolean } = {},
  ): Promise<"retry" | "failed" | "lost"> {
    const current = await this.db.job.findUnique({
      where: { id: job.id },
      select: { attempts: true, maxAttempts: true },
    });
    if (!current) return "lost";
    const final = opts.permanent || current.attempts >= current.maxAttempts;
    const upd = await this.db.job.updateMany({
      where: { id: job.id, status: "running", lockedBy: workerId },
      data: final
        ? { status: "failed", lockedBy: null, lockedAt: null, lastError: errorText(error) }
        : {
            status: "queued",
            lockedBy: null,
            lockedAt: null,
            lastError: errorText(error),
            runAt: new Date(Date.now() + backoffDelay(current.attempts, this.backoff)),
          },
    });
    if (upd.count === 0) return "lost";
    return final ? "failed" : "retry";
  }

  /** Puts a claimed job that was not started back in the queue (its claim's attempt is undone). */
  async release(job: JobRecord, workerId: string): Promise<boolean> {
    const upd = await this.db.job.updateMany({
      where: { id: job.id, status: "running", lockedBy: workerId },
      data: { status: "queued", lockedBy: null, lockedAt: null, attempts: { decrement: 1 } },
    });
    return upd.count === 1;
  }

  async heartbeat(job: JobRecord, workerId: string, progress?: unknown): Promise<boolean> {
    const upd = await this.db.job.updateMany({
      where: { id: job.id, status: "running", lockedBy: workerId },
      data: { lockedAt: new Date(), ...(progress !== undefined && { progress: JSON.stringify(progress) }) },
    });
    return upd.count === 1;
  }

  async recoverStale(staleMs: number): Promise<number> {
    const cutoff = new Date(Date.now() - staleMs);
    const stale = await this.db.job.findMany({
      where: { status: "running", lockedAt: { lt: cutoff } },
      select: { id: true, attempts: true, maxAttempts: true },
    });
    let n = 0;
    for (const j of stale) {
      const exhausted = j.attempts >= j.maxAttempts;
      const upd = await this.db.job.updateMany({
        where: { id: j.id, status: "running", lockedAt: { lt: cutoff } },
        data: exhausted
          ? {
              status: "failed",
              lockedBy: null,
              lockedAt: null,
              lastError: "worker lost (lock expired) on the last attempt",
            }
          : {
              status: "queued",
              lockedBy: null,
              lockedAt: null,
              runAt: new Date(),
              lastError: "worker lost (lock expired); requeued",
            },
      });
      n += upd.count;
    }
    return n;
  }

  async cancel(shop: string, filter: { type?: string; id?: number; exceptId?: number } = {}): Promise<number> {
    const upd = await this.db.job.updateMany({
      where: {
        shop,
        status: { in: ["queued", "running"] },
        ...(filter.type && { type: filter.type }),
        ...(filter.id !== undefined && { id: filter.id }),
        ...(filter.exceptId !== undefined && filter.id === undefined && { id: { not: filter.exceptId } }),
      },
      data: { status: "cancelled", lockedBy: null, lockedAt: null },
    });
    return upd.count;
  }

  get(shop: string, id: number): Promise<JobRecord | null> {
    return this.db.job.findFirst({ where: { shop, id } });
  }

  /** True when the job was cancelled (handlers poll this in long loops). */
  async isCancelled(id: number): Promise<boolean> {
    const j = await this.db.job.findUnique({ where: { id }, select: { status: true } });
    return !j || j.status === "cancelled";
  }
}
