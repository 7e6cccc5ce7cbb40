/** Sync-run and model-run repository (every query scoped by shop). */
import type { Prisma } from "@prisma/client";
import { assertShop, type Db } from "./common.server";

/** Kinds of sync run. */
export type SyncRunKind = "backfill" | "reconcile";

/** Creates a sync run (status "created"). */
export function createSyncRun(
  db: Db,
  shop: string,
  kind: SyncRunKind | string,
  init: Partial<Prisma.SyncRunCreateInput> = {},
) {
  assertShop(shop);
  return db.syncRun.create({ data: { ...init, shop, kind } });
}

/** Reads one sync run of the shop (null when absent or another shop's). */
export function getSyncRun(db: Db, shop: string, id: number) {
  assertShop(shop);
  return db.syncRun.findFirst({ where: { shop, id } });
}

/** Updates a sync run of the shop; returns false when it does not exist for this shop. */
export async function updateSyncRun(
  db: Db,
  shop: string,
  id: number,
  patch: Omit<Prisma.SyncRunUpdateManyMutationInput, "shop" | "id">,
): Promise<boolean> {
  assertShop(shop);
  const r = await db.syncRun.updateMany({ where: { shop, id }, data: patch });
  return r.count > 0;
}

/** Latest sync run of a kind (any status). */
export function latestSyncRun(db: Db, shop: string, kind?: string) {
  assertShop(shop);
  return db.syncRun.findFirst({ where: { shop, ...(kind && { kind }) }, orderBy: { id: "desc" } });
}

/** Statuses after which a sync run never changes again. */
export const FINAL_SYNC_RUN_STATUSES: readonly string[] = ["completed", "failed", "cancelled"];

/**
 * Statuses after which a model run never changes again (app/training/training-job.server.ts writes
 * them); "completed" is the one with a model.
 */
export const FINAL_MODEL_RUN_STATUSES: readonly string[] = ["completed", "failed", "cancelled"];
export const COMPLETED_RUN_STATUS = "completed";

/** The unfinished sync run of a kind, if any (status not completed/failed/cancelled). */
export function activeSyncRun(db: Db, shop: string, kind: string) {
  assertShop(shop);
  return db.syncRun.findFirst({
    where: { shop, kind, status: { notIn: [...FINAL_SYNC_RUN_STATUSES] } },
    orderBy: { id: "desc" },
  });
}

/** Every unfinished sync run of a kind with its bulk-operation state (JSON text), oldest first. */
export function listActiveSyncRunBulkOperations(db: Db, shop: string, kind: string) {
  assertShop(shop);
  return db.syncRun.findMany({
    where: { shop, kind, status: { notIn: [...FINAL_SYNC_RUN_STATUSES] } },
    select: { id: true, bulkOperations: true },
  });
}

/** Lists recent sync runs, newest first. */
export function listSyncRuns(db: Db, shop: string, take = 20) {
  assertShop(shop);
  return db.syncRun.findMany({ where: { shop }, orderBy: { id: "desc" }, take });
}

/** Creates a model run (status "queued"). */
export function createModelRun(db: Db, shop: string, init: Partial<Omit<Prisma.ModelRunCreateInput, "shop">> = {}) {
  assertShop(shop);
  return db.modelRun.create({ data: { ...init, shop } });
}

/** Reads one model run of the shop. */
export function getModelRun(db: Db, shop: string, id: number) {
  assertShop(shop);
  return db.modelRun.findFirst({ where: { shop, id } });
}

/** Updates a model run of the shop; returns false when it does not exist for this shop. */
export async function updateModelRun(
  db: Pick<Db, "modelRun">,
  shop: string,
  id: number,
  patch: Omit<Prisma.ModelRunUpdateManyMutationInput, "shop" | "id">,
): Promise<boolean> {
  assertShop(shop);
  const r = await db.modelRun.updateMany({ where: { shop, id }, data: patch });
  return r.count > 0;
}

/** Records the interval level (quantiles, method) a run's predictions were scored at. */
export function setModelRunIntervalLevel(
  db: Pick<Db, "modelRun">,
  shop: string,
  id: number,
  level: { lower: number | null; upper: number | null; method: string },
): Promise<boolean> {
  return updateModelRun(db, shop, id, {
    intervalLower: level.lower,
    intervalUpper: level.upper,
    intervalMethod: level.method,
  });
}

/** Lists model runs, newest first. */
export function listModelRuns(db: Db, shop: string, take = 20) {
  assertShop(shop);
  return db.modelRun.findMany({ where: { shop }, orderBy: { id: "desc" }, take });
}

/** The newest model run in one of `statuses` (e.g. finished, or queued/running), if any. */
export function latestModelRunWithStatus(db: Db, shop: string, statuses: readonly string[]) {
  assertShop(shop);
  return db.modelRun.findFirst({ where: { shop, status: { in: [...statuses] } }, orderBy: { id: "desc" } });
}

/** The promoted (champion) model run currently in use, if any. */
export function latestPromotedModelRun(db: Db, shop: string) {
  assertShop(shop);
  return db.modelRun.findFirst({
    where: { shop, promoted: true, status: COMPLETED_RUN_STATUS },
    orderBy: { id: "desc" },
  });
}

/** Asks a running model run to stop (the trainer polls `cancelRequested`). */
export async function requestModelRunCancel(db: Db, shop: string, id: number): Promise<boolean> {
  return updateModelRun(db, shop, id, { cancelRequested: true });
}

/**
 * Deletes old model runs beyond `keep` (newest kept), never the latest promoted one.
 * Returns the number deleted.
 */
export async function pruneModelRuns(db: Db, shop: string, keep: number): Promise<number> {
  assertShop(shop);
  const promoted = await latestPromotedModelRun(db, shop);
  const keepIds = (
    await db.modelRun.findMany({ where: { shop }, orderBy: { id: "desc" }, take: keep, select: { id: true } })
  ).map((r) => r.id);
  if (promoted) keepIds.push(promoted.id);
  const r = await db.modelRun.deleteMany({ where: { shop, id: { notIn: keepIds } } });
  return r.count;
}

/** What the dashboard shows of a run (no artefact): id, champion, reason, finish time, metrics. */
const RUN_BRIEF = { id: true, champion: true, reason: true, finishedAt: true, metrics: true } as const;

/** A run of the shop by id, or the newest in one of `statuses`, without its artefact. */
export function findModelRunBrief(db: Db, shop: string, by: { id: number } | { statuses: readonly string[] }) {
  assertShop(shop);
  return "id" in by
    ? db.modelRun.findFirst({ where: { shop, id: by.id }, select: RUN_BRIEF })
    : db.modelRun.findFirst({
        where: { shop, status: { in: [...by.statuses] } },
        orderBy: { id: "desc" },
        select: RUN_BRIEF,
      });
}

/** The shop's latest model run, progress columns only (the artefact and cached aggregates can be large). */
export function latestModelRunProgress(db: Db, shop: string) {
  assertShop(shop);
  return db.modelRun.findFirst({
    where: { shop },
    orderBy: { id: "desc" },
    select: {
      id: true,
      status: true,
      progressStage: true,
      progressEpoch: true,
      progressTotal: true,
      progressLoss: true,
      progressEtaMs: true,
      error: true,
      createdAt: true,
      finishedAt: true,
    },
  });
}

/** Drops every cached aggregates blob (or build marker) of the shop's runs. */
export async function clearCachedAggregates(db: Db, shop: string): Promise<void> {
  assertShop(shop);
  await db.modelRun.updateMany({ where: { shop, aggregates: { not: null } }, data: { aggregates: null } });
}

/** The cached aggregates column of the shop's newest runs that have one (markers included). */
export async function listCachedAggregates(db: Db, shop: string, take = 3): Promise<Array<string | null>> {
  assertShop(shop);
  const rows = await db.modelRun.findMany({
    where: { shop, aggregates: { not: null } },
    select: { aggregates: true },
    orderBy: { id: "desc" },
    take,
  });
  return rows.map((r) => r.aggregates);
}

/** Puts a build marker on every run of the shop (a change to the predictions clears it). */
export async function markAggregatesBuilding(db: Db, shop: string, marker: string): Promise<void> {
  assertShop(shop);
  await db.modelRun.updateMany({ where: { shop }, data: { aggregates: marker } });
}

/** Stores aggregates on a run only while it still carries this build's marker. */
export async function storeAggregatesIfMarked(
  db: Db,
  shop: string,
  id: number,
  marker: string,
  aggregates: string,
): Promise<void> {
  assertShop(shop);
  await db.modelRun.updateMany({ where: { shop, id, aggregates: marker }, data: { aggregates } });
}

/** Removes this build's marker wherever it is left. */
export async function clearAggregatesMarker(db: Db, shop: string, marker: string): Promise<void> {
  assertShop(shop);
  await db.modelRun.updateMany({ where: { shop, aggregates: marker }, data: { aggregates: null } });
}

/** The interval level columns of a run (small read), null when no such run. */
export function getModelRunIntervalColumns(db: Db, shop: string, id: number) {
  assertShop(shop);
  return db.modelRun.findFirst({
    where: { shop, id },
    select: { intervalLower: true, intervalUpper: true, intervalMethod: true },
  });
}

/** A run's serialised artefact (null when no such run or none stored). */
export async function getModelRunArtefact(db: Db, shop: string, id: number): Promise<string | null> {
  assertShop(shop);
  const run = await db.modelRun.findFirst({ where: { shop, id }, select: { artefact: true } });
  return run?.artefact ?? null;
}
