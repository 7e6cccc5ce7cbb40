/**
 * Historical backfill through Shopify bulk operations, as a resumable state machine stored in
 * `SyncRun` (kind "backfill"):
 *
 *   created ─► running: both bulk queries submitted (customers, orders + refunds + line items)
 *           ─► each operation, once COMPLETED (finish webhook → `sync.backfill.continue`, or the
 *              polling fallback `sync.backfill.poll`), is downloaded as a stream and applied in
 *              batches through the repositories; after each batch the JSONL line checkpoint and
 *              progress (rowsDone / rowsTotalEstimate) are stored
 *           ─► completed (watermark = newest `updatedAt` seen → the nightly reconciliation, scheduled
 *              here, starts there)
 *           ─► failed (bad data, operation failed 3 times) with a clear error; nothing stored is lost.
 *
 * A crash at any point resumes from the last checkpoint; upserts are idempotent ("apply if newer",
 * refunds by id), so replaying a partially applied batch creates no duplicates. Test orders are
 * dropped; cancelled orders are kept with cancelledAt.
 */
import { PermanentJobError, type JobQueue } from "~/jobs/types";
import {
  advanceReconciledUntil,
  upsertCustomersIfNewer,
  upsertOrdersIfNewer,
  upsertRefunds,
} from "~/models/index.server";
import {
  FINAL_SYNC_RUN_STATUSES,
  activeSyncRun,
  createSyncRun,
  getSyncRun,
  listActiveSyncRunBulkOperations,
  updateSyncRun,
} from "~/models/runs.server";
import type { Db } from "~/db.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { fetchLines } from "~/shopify/jsonl.server";
import { normalizeGraphqlCustomer, normalizeGraphqlOrder, type GraphqlLineItem } from "./normalize-graphql";
import { scheduleReconcile } from "./reconcile.server";
import { BULK_CUSTOMERS_QUERY, BULK_ORDERS_QUERY, BULK_RUN_MUTATION, BULK_STATUS_QUERY, COUNTS_QUERY } from "./queries";
import type { NormalizedCustomer, NormalizedOrder, NormalizedRefund } from "./types";

/** Job types of the backfill. */
export const BACKFILL_JOBS = {
  /** Advances the state machine of one run (`{ runId }`); one at a time per run. */
  step: "sync.backfill.step",
  /** Enqueued by the bulk_operations/finish webhook (`{ bulkOperationId }`). */
  continue: "sync.backfill.continue",
  /** Polling fallback (`{ runId }`), scheduled while an operation is still running. */
  poll: "sync.backfill.poll",
} as const;

/** The two bulk phases, applied in this order. */
export const PHASES = ["customers", "orders"] as const;
export type Phase = (typeof PHASES)[number];

const QUERIES: Record<Phase, string> = { customers: BULK_CUSTOMERS_QUERY, orders: BULK_ORDERS_QUERY };

/** What the run stores per bulk operation (SyncRun.bulkOperations JSON). */
export interface BulkOpState {
  id: string;
  status: string;
  url: string | null;
  rootObjectCount: number | null;
  /** Submissions so far (a failed operation is resubmitted up to MAX_SUBMISSIONS). */
  submissions: number;
  imported: boolean;
  errorCode?: string | null;
}

/** Resume point per phase (SyncRun.checkpoint JSON). */
export interface PhaseCheckpoint {
  /** JSONL lines fully applied. */
  line: number;
  /** Root objects (customers / orders incl. dropped test orders) processed. */
  rows: number;
  /** Test orders dropped so far. */
  dropped: number;
}

/** Dependencies of the backfill (all injected). */
export interface BackfillDeps {
  db: Db;
  admin: AdminGraphql;
  /** Used to schedule the polling fallback. */
  queue?: JobQueue;
  /** Streams a bulk result file's lines. Default: fetch. */
  readLines?: (url: string) => AsyncIterable<string>;
  /** Root objects per batch/checkpoint. Default 500. */
  batchSize?: number;
  /** Delay of the polling fallback. Default 15 s. */
  pollIntervalMs?: number;
  /** Called after every committed checkpoint (tests crash here). */
  onCheckpoint?: (info: { runId: number; phase: Phase; line: number; rowsDone: number }) => void | Promise<void>;
  /** Keeps the job's lock fresh and publishes progress (the job handler passes `ctx.progress`). */
  heartbeat?: (progress: { runId: number; phase: Phase; line: number; rowsDone: number }) => Promise<unknown>;
}

const MAX_SUBMISSIONS = 3;

type RunRow = NonNullable<Awaited<ReturnType<typeof getSyncRun>>>;

function parseOps(run: RunRow): Partial<Record<Phase, BulkOpState>> & { pollSeq?: number } {
  return JSON.parse(run.bulkOperations || "{}") as Partial<Record<Phase, BulkOpState>> & { pollSeq?: number };
}

function parseCheckpoint(run: RunRow): Partial<Record<Phase, PhaseCheckpoint>> {
  return JSON.parse(run.checkpoint || "{}") as Partial<Record<Phase, PhaseCheckpoint>>;
}

/**
 * Starts a backfill for the shop (or returns the unfinished one) and makes sure its step job is
 * queued — also when the previous job was cancelled (uninstall) or failed, so a re-install or a
 * "Sync now" click resumes the run from its checkpoint. Thin routes and the install hook call this.
 */
export async function requestBackfill(
  db: Db,
  queue: JobQueue,
  shop: string,
): Promise<{ runId: number; created: boolean }> {
  const active = await activeSyncRun(db, shop, "backfill");
  const run = active ?? (await createSyncRun(db, shop, "backfill", { status: "created", phase: "submitting" }));
  await queue.enqueue(
    shop,
    BACKFILL_JOBS.step,
    { runId: run.id },
    { dedupeKey: `${BACKFILL_JOBS.step}:${run.id}`, replaceFinished: true },
  );
  return { runId: run.id, created: !active };
}

/** Finds the run that owns a bulk operation id (for the finish webhook). */
export async function runForBulkOperation(db: Db, shop: string, bulkOperationId: string): Promise<number | null> {
  const runs = await listActiveSyncRunBulkOperations(db, shop, "backfill");
  const hit = runs.find((r) =>
    Object.values(JSON.parse(r.bulkOperations || "{}") as Record<string, { id?: string }>).some(
      (o) => o?.id === bulkOperationId,
    ),
  );
  return hit?.id ?? null;
}

async function submit(admin: AdminGraphql, phase: Phase, previous?: BulkOpState): Promise<BulkOpState> {
  const payload = await admin.mutate(BULK_RUN_MUTATION, { query: QUERIES[phase] }, "bulkOperationRunQuery");
  if (!payload.bulkOperation) throw new Error("bulkOperationRunQuery returned no bulk operation");
  return {
    id: payload.bulkOperation.id,
    status: payload.bulkOperation.status,
    url: null,
    rootObjectCount: null,
    submissions: (previous?.submissions ?? 0) + 1,
    imported: false,
  };
}

/** Result of one `advanceBackfill` call. */
export type AdvanceResult = {
  state: "completed" | "failed" | "waiting" | "absent";
  runId: number | null;
  rowsDone?: number;
};

/**
 * Advances one run as far as it can: submits missing operations, imports every completed one from
 * its checkpoint, resubmits failed ones, completes the run, or schedules the polling fallback.
 * Safe to call repeatedly and after a crash.
 */
export async function advanceBackfill(deps: BackfillDeps, shop: string, runId: number): Promise<AdvanceResult> {
  const { db, admin } = deps;
  for (;;) {
    const run = await getSyncRun(db, shop, runId);
    if (!run) return { state: "absent", runId: null };
    if (FINAL_SYNC_RUN_STATUSES.includes(run.status))
      return { state: run.status === "completed" ? "completed" : "failed", runId, rowsDone: run.rowsDone };
    const ops = parseOps(run);

    // 1. Submit what is missing (a crash between the two submissions resumes here).
    for (const phase of PHASES) {
      if (!ops[phase]) {
        ops[phase] = await submit(admin, phase);
        await updateSyncRun(db, shop, runId, {
          bulkOperations: JSON.stringify(ops),
          status: "running",
          phase: "waiting",
        });
      }
    }
    if (run.rowsTotalEstimate === null) {
      const est = await estimateTotal(admin).catch(() => null);
      if (est !== null) await updateSyncRun(db, shop, runId, { rowsTotalEstimate: est });
    }

    // 2. Import completed operations strictly in phase order (customers before orders, so a run's
    // progress and crash points are deterministic whichever operation Shopify finishes first);
    // resubmit failed ones.
    let progressed = false;
    let earlierPending = false;
    for (const phase of PHASES) {
      const op = ops[phase]!;
      if (op.imported) continue;
      const { data } = await admin.request(BULK_STATUS_QUERY, { id: op.id });
      const status = data.bulkOperation?.status ?? "EXPIRED";
      op.status = status;
      op.errorCode = data.bulkOperation?.errorCode ?? null;
      if (status === "COMPLETED" && earlierPending) {
        op.url = data.bulkOperation!.url ?? null; // imported once the earlier phases are
        op.rootObjectCount = Number(data.bulkOperation!.rootObjectCount);
      } else if (status === "COMPLETED") {
        op.url = data.bulkOperation!.url ?? null;
        op.rootObjectCount = Number(data.bulkOperation!.rootObjectCount);
        await updateSyncRun(db, shop, runId, { bulkOperations: JSON.stringify(ops), phase });
        await importPhase(deps, shop, runId, phase, op.url);
        op.imported = true;
        await updateSyncRun(db, shop, runId, { bulkOperations: JSON.stringify(ops) });
        progressed = true;
      } else if (["FAILED", "CANCELED", "EXPIRED"].includes(status)) {
        if (op.submissions >= MAX_SUBMISSIONS) {
          const error = `bulk ${phase} query ${status.toLowerCase()} ${op.submissions} times (last error code: ${op.errorCode ?? "none"})`;
          await updateSyncRun(db, shop, runId, {
            status: "failed",
            error,
            finishedAt: new Date(),
            bulkOperations: JSON.stringify(ops),
          });
          return { state: "failed", runId };
        }
        ops[phase] = await submit(admin, phase, op);
        const cp = parseCheckpoint((await getSyncRun(db, shop, runId))!);
        delete cp[phase]; // a new file: start it from line 0 (idempotent upserts make the replay harmless)
        await updateSyncRun(db, shop, runId, { bulkOperations: JSON.stringify(ops), checkpoint: JSON.stringify(cp) });
      }
      if (!op.imported) earlierPending = true;
    }

    if (PHASES.every((p) => ops[p]!.imported)) {
      const done = (await getSyncRun(db, shop, runId))!;
      const cp = parseCheckpoint(done);
      const total = PHASES.reduce((s, p) => s + (cp[p]?.rows ?? 0), 0);
      await updateSyncRun(db, shop, runId, {
        status: "completed",
        phase: "done",
        finishedAt: new Date(),
        rowsDone: total,
        rowsTotalEstimate: total,
      });
      if (done.watermark) await advanceReconciledUntil(db, shop, done.watermark);
      if (deps.queue) await scheduleReconcile(deps.queue, shop); // nightly drift repair from here on
      return { state: "completed", runId, rowsDone: total };
    }
    if (!progressed) {
      await schedulePoll(deps, shop, runId, ops);
      return { state: "waiting", runId };
    }
  }
}

async function estimateTotal(admin: AdminGraphql): Promise<number> {
  const { data } = await admin.request(COUNTS_QUERY);
  return (data.ordersCount?.count ?? 0) + (data.customersCount?.count ?? 0);
}

async function schedulePoll(
  deps: BackfillDeps,
  shop: string,
  runId: number,
  ops: ReturnType<typeof parseOps>,
): Promise<void> {
  if (!deps.queue) return;
  const seq = (ops.pollSeq ?? 0) + 1;
  ops.pollSeq = seq;
  await updateSyncRun(deps.db, shop, runId, { bulkOperations: JSON.stringify(ops) });
  await deps.queue.enqueue(
    shop,
    BACKFILL_JOBS.poll,
    { runId },
    {
      dedupeKey: `${BACKFILL_JOBS.poll}:${runId}:${seq}`,
      runAt: new Date(Date.now() + (deps.pollIntervalMs ?? 15_000)),
    },
  );
}

/** A JSONL line that is not valid JSON or not a valid object, with its 1-based line number. */
export class BulkLineError extends PermanentJobError {
  constructor(
    readonly phase: Phase,
    readonly line: number,
    detail: string,
  ) {
    super(`${phase} bulk result line ${line}: ${detail}`);
    this.name = "BulkLineError";
  }
}

function parseLine(phase: Phase, line: string, index: number): Record<string, unknown> | null {
  if (!line.trim()) return null;
  try {
    const v = JSON.parse(line) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not an object");
    return v as Record<string, unknown>;
  } catch (e) {
    throw new BulkLineError(phase, index + 1, `invalid JSON (${(e as Error).message})`);
  }
}

/** Pass 1 for orders: line items by parent order GID (children may come before their parent). */
async function collectChildren(
  read: (url: string) => AsyncIterable<string>,
  url: string,
  beat: () => Promise<unknown>,
): Promise<Map<string, GraphqlLineItem[]>> {
  const children = new Map<string, GraphqlLineItem[]>();
  let index = 0;
  for await (const line of read(url)) {
    if (index % 20_000 === 19_999) await beat(); // keep the job lock fresh on very large files
    const o = parseLine("orders", line, index++);
    if (!o || typeof o.__parentId !== "string") continue;
    const list = children.get(o.__parentId) ?? [];
    list.push({
      id: o.id as string,
      quantity: o.quantity as number,
      product: (o.product as { id?: string } | null) ?? null,
    });
    children.set(o.__parentId, list);
  }
  return children;
}

/** Streams one phase's file from its checkpoint and applies it in batches. */
async function importPhase(
  deps: BackfillDeps,
  shop: string,
  runId: number,
  phase: Phase,
  url: string | null,
): Promise<void> {
  const { db } = deps;
  const read = deps.readLines ?? ((u: string) => fetchLines(u));
  const batchSize = deps.batchSize ?? 500;
  const run = (await getSyncRun(db, shop, runId))!;
  const checkpoints = parseCheckpoint(run);
  const cp: PhaseCheckpoint = checkpoints[phase] ?? { line: 0, rows: 0, dropped: 0 };
  let watermark = run.watermark?.getTime() ?? 0;
  if (!url) return; // an empty result has no file
  const beat = async () => deps.heartbeat?.({ runId, phase, line: cp.line, rowsDone: run.rowsDone });
  const children = phase === "orders" ? await collectChildren(read, url, beat) : new Map<string, GraphqlLineItem[]>();

  let customers: NormalizedCustomer[] = [];
  let orders: NormalizedOrder[] = [];
  let refunds: NormalizedRefund[] = [];
  let pendingRows = 0,
    pendingDropped = 0;

  const flush = async (lineAfter: number) => {
    if (customers.length) await upsertCustomersIfNewer(db, shop, customers);
    if (orders.length) await upsertOrdersIfNewer(db, shop, orders);
    if (refunds.length) await upsertRefunds(db, shop, refunds);
    cp.line = lineAfter;
    cp.rows += pendingRows;
    cp.dropped += pendingDropped;
    const latest = parseCheckpoint((await getSyncRun(db, shop, runId))!);
    latest[phase] = { ...cp };
    const rowsDone = PHASES.reduce((s, p) => s + (latest[p]?.rows ?? 0), 0);
    await updateSyncRun(db, shop, runId, {
      checkpoint: JSON.stringify(latest),
      rowsDone,
      watermark: watermark ? new Date(watermark) : null,
    });
    customers = [];
    orders = [];
    refunds = [];
    pendingRows = 0;
    pendingDropped = 0;
    await deps.heartbeat?.({ runId, phase, line: lineAfter, rowsDone });
    await deps.onCheckpoint?.({ runId, phase, line: lineAfter, rowsDone });
  };

  let index = 0;
  for await (const line of read(url)) {
    const i = index++;
    if (i < cp.line) continue;
    const o = parseLine(phase, line, i);
    if (!o || "__parentId" in o) continue;
    try {
      if (phase === "customers") {
        const c = normalizeGraphqlCustomer(o);
        customers.push(c);
        watermark = Math.max(watermark, c.shopifyUpdatedAt?.getTime() ?? 0);
      } else {
        const n = normalizeGraphqlOrder(o, children.get(o.id as string) ?? []);
        watermark = Math.max(watermark, n.order.shopifyUpdatedAt.getTime());
        if (n.order.test) pendingDropped++;
        else {
          orders.push(n.order);
          refunds.push(...n.refunds);
        }
      }
    } catch (e) {
      await flush(i); // keep everything before the bad line
      const err = new BulkLineError(phase, i + 1, (e as Error).message);
      await updateSyncRun(db, shop, runId, { status: "failed", error: err.message, finishedAt: new Date() });
      throw err;
    }
    pendingRows++;
    if (pendingRows >= batchSize) await flush(i + 1);
  }
  await flush(index);
}
