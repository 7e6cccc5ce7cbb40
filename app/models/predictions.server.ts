/**
 * Prediction and tier-history repository: reads for the pages (filters come without the shop) and the
 * trainer's batched writes (every query scoped by shop).
 */
import type { Prisma } from "@prisma/client";
import type { DbProvider } from "~/db/connect.server";
import { assertShop, type Db } from "./common.server";
import { rawInsert, type Column } from "./batch-upsert.server";

/** Predictions of the shop matching `where`. */
export function countPredictions(db: Db, shop: string, where: Prisma.PredictionWhereInput = {}): Promise<number> {
  assertShop(shop);
  return db.prediction.count({ where: { ...where, shop } });
}

/** A slice of the shop's predictions matching `where`, in `orderBy` order, with the chosen columns. */
export async function findPredictions<S extends Prisma.PredictionSelect>(
  db: Db,
  shop: string,
  args: {
    where?: Prisma.PredictionWhereInput;
    orderBy: Prisma.PredictionOrderByWithRelationInput[];
    skip?: number;
    take: number;
    select: S;
  },
): Promise<Array<Prisma.PredictionGetPayload<{ select: S }>>> {
  assertShop(shop);
  const rows = await db.prediction.findMany({ ...args, where: { ...args.where, shop } });
  return rows as unknown as Array<Prisma.PredictionGetPayload<{ select: S }>>;
}

/** True when some prediction of the shop carries this tier name. */
export async function hasPredictionInTier(db: Db, shop: string, tier: string): Promise<boolean> {
  assertShop(shop);
  return (await db.prediction.findFirst({ where: { shop, tier }, select: { tier: true } })) !== null;
}

/** One customer's prediction in the shop (null when none). */
export function getPrediction(db: Db, shop: string, customerId: string) {
  assertShop(shop);
  return db.prediction.findUnique({ where: { shop_customerId: { shop, customerId } } });
}

/** A customer's tier changes, newest first. */
export function listTierHistory(db: Db, shop: string, customerId: string, take = 50) {
  assertShop(shop);
  return db.tierHistory.findMany({ where: { shop, customerId }, orderBy: { changedAt: "desc" }, take });
}

/** Customers per read of listed predictions: SQLite caps the parameters of one statement. */
const IDS_PER_STATEMENT = 500;

/** Rows per page of a whole-shop tier read (each page is one short synchronous statement on SQLite). */
const TIERS_PER_PAGE = 2000;

/**
 * Current tier per customer: the listed customers' predictions (500 per read), or all of the shop's
 * in pages of 2,000 by customer id. `between` runs after every read (the trainer yields to the
 * event loop there, so one read never blocks the process for long).
 */
export async function readPredictionTiers(
  db: Db,
  shop: string,
  customerIds: readonly string[] | null = null,
  between: () => Promise<void> = async () => undefined,
): Promise<Map<string, string>> {
  assertShop(shop);
  const tiers = new Map<string, string>();
  if (!customerIds) {
    for (let after: string | null = null; ;) {
      const rows: Array<{ customerId: string; tier: string }> = await db.prediction.findMany({
        where: { shop, ...(after !== null && { customerId: { gt: after } }) },
        select: { customerId: true, tier: true },
        orderBy: { customerId: "asc" },
        take: TIERS_PER_PAGE,
      });
      for (const p of rows) tiers.set(p.customerId, p.tier);
      await between();
      if (rows.length < TIERS_PER_PAGE) return tiers;
      after = rows[rows.length - 1]!.customerId;
    }
  }
  for (let i = 0; i < customerIds.length; i += IDS_PER_STATEMENT) {
    const rows = await db.prediction.findMany({
      where: { shop, customerId: { in: customerIds.slice(i, i + IDS_PER_STATEMENT) } },
      select: { customerId: true, tier: true },
    });
    for (const p of rows) tiers.set(p.customerId, p.tier);
    await between();
  }
  return tiers;
}

/**
 * Runs a prediction write in one transaction (on failure the previous predictions stay). The long
 * timeout lets a batched write of 100k rows yield to the event loop between batches.
 */
export function inPredictionWriteTransaction<T>(
  db: Db,
  write: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T> {
  return db.$transaction(write, { timeout: 600_000, maxWait: 60_000 });
}

/** Deletes the listed customers' predictions (500 per statement), or all of the shop's. */
export async function deletePredictions(
  tx: Prisma.TransactionClient | Db,
  shop: string,
  customerIds: readonly string[] | null = null,
): Promise<void> {
  assertShop(shop);
  if (!customerIds) {
    await tx.prediction.deleteMany({ where: { shop } });
    return;
  }
  for (let i = 0; i < customerIds.length; i += IDS_PER_STATEMENT)
    await tx.prediction.deleteMany({
      where: { shop, customerId: { in: customerIds.slice(i, i + IDS_PER_STATEMENT) } },
    });
}

/**
 * Deletes the shop's predictions not written by this write (another run, or the same run at another
 * `computedAt`): the shop's rows are read in pages of 2,000 by customer id (a bounded statement
 * each, `between` after each page) and the stale ones deleted. Used at the end of a full rewrite.
 */
export async function deleteStalePredictions(
  tx: Prisma.TransactionClient | Db,
  shop: string,
  keep: { modelRunId: number; computedAt: Date },
  between: () => Promise<void> = async () => undefined,
): Promise<number> {
  assertShop(shop);
  let deleted = 0;
  for (let after: string | null = null; ;) {
    const rows: Array<{ customerId: string; modelRunId: number; computedAt: Date }> = await tx.prediction.findMany({
      where: { shop, ...(after !== null && { customerId: { gt: after } }) },
      select: { customerId: true, modelRunId: true, computedAt: true },
      orderBy: { customerId: "asc" },
      take: TIERS_PER_PAGE,
    });
    const stale = rows
      .filter((r) => r.modelRunId !== keep.modelRunId || r.computedAt.getTime() !== keep.computedAt.getTime())
      .map((r) => r.customerId);
    if (stale.length) await deletePredictions(tx, shop, stale);
    deleted += stale.length;
    await between();
    if (rows.length < TIERS_PER_PAGE) return deleted;
    after = rows[rows.length - 1]!.customerId;
  }
}

function assertRowsOfShop(shop: string, rows: ReadonlyArray<{ shop: string }>, what: string): void {
  assertShop(shop);
  const other = rows.find((r) => r.shop !== shop);
  if (other) throw new Error(`${what}: row of shop ${other.shop} in a write for ${shop}`);
}

type PredictionRow = Prisma.PredictionCreateManyInput;
type TierChangeRow = Prisma.TierHistoryCreateManyInput;
const dateOrNull = (v: Date | string | null | undefined) => (v == null ? null : new Date(v));

/** Every Prediction column the trainer writes (raw multi-row insert). */
const PREDICTION_COLUMNS: ReadonlyArray<Column<PredictionRow>> = [
  { name: "shop", type: "text", value: (r) => r.shop },
  { name: "customerId", type: "text", value: (r) => r.customerId },
  { name: "modelRunId", type: "int", value: (r) => r.modelRunId },
  { name: "clv", type: "float", value: (r) => r.clv },
  { name: "clvLow", type: "float", value: (r) => r.clvLow },
  { name: "clvHigh", type: "float", value: (r) => r.clvHigh },
  { name: "pAlive", type: "float", value: (r) => r.pAlive },
  { name: "expectedOrders", type: "float", value: (r) => r.expectedOrders },
  { name: "churnProbability", type: "float", value: (r) => r.churnProbability ?? null },
  { name: "nextOrderAt", type: "timestamp", value: (r) => dateOrNull(r.nextOrderAt) },
  { name: "historicSpend", type: "float", value: (r) => r.historicSpend ?? 0 },
  { name: "orderCount", type: "int", value: (r) => r.orderCount ?? 0 },
  { name: "lastOrderAt", type: "timestamp", value: (r) => dateOrNull(r.lastOrderAt) },
  { name: "firstOrderAt", type: "timestamp", value: (r) => dateOrNull(r.firstOrderAt) },
  { name: "tier", type: "text", value: (r) => r.tier },
  { name: "drivers", type: "text", value: (r) => r.drivers ?? "[]" },
  { name: "computedAt", type: "timestamp", value: (r) => dateOrNull(r.computedAt) ?? new Date() },
];

const TIER_CHANGE_COLUMNS: ReadonlyArray<Column<TierChangeRow>> = [
  { name: "shop", type: "text", value: (r) => r.shop },
  { name: "customerId", type: "text", value: (r) => r.customerId },
  { name: "tier", type: "text", value: (r) => r.tier },
  { name: "clv", type: "float", value: (r) => r.clv },
  { name: "modelRunId", type: "int", value: (r) => r.modelRunId },
  { name: "changedAt", type: "timestamp", value: (r) => dateOrNull(r.changedAt) ?? new Date() },
];

/**
 * Inserts one batch of the shop's predictions (raw multi-row INSERT: Prisma's createMany costs
 * several times more per row, all of it on the event loop on SQLite). `provider` is the database's
 * (a transaction client does not tell).
 */
export async function insertPredictions(
  tx: Prisma.TransactionClient | Db,
  shop: string,
  rows: PredictionRow[],
  provider: DbProvider,
): Promise<void> {
  assertRowsOfShop(shop, rows, "insertPredictions");
  await rawInsert(tx, provider, "Prediction", rows, PREDICTION_COLUMNS);
}

/** Appends tier changes of the shop's customers (raw multi-row INSERT). */
export async function insertTierChanges(
  tx: Prisma.TransactionClient | Db,
  shop: string,
  rows: TierChangeRow[],
  provider: DbProvider,
): Promise<void> {
  assertRowsOfShop(shop, rows, "insertTierChanges");
  await rawInsert(tx, provider, "TierHistory", rows, TIER_CHANGE_COLUMNS);
}

/** Rows per page of `readPredictionValues`. */
const VALUES_PER_PAGE = 2000;

/** The columns the dashboard aggregates are built from, one entry per prediction. */
export interface PredictionValues {
  clv: number[];
  clvLow: number[];
  clvHigh: number[];
  historicSpend: number[];
  tier: string[];
  modelRunId: number[];
}

type PredictionValueRow = { customerId: string; clv: number; clvLow: number; clvHigh: number } & {
  historicSpend: number;
  tier: string;
  modelRunId: number;
};

/**
 * The shop's prediction values for the dashboard aggregates, read in pages of 2,000 by customer id
 * with `between` after each page (on SQLite every read runs on the event loop: one 100k-row read
 * or aggregate would block the process for hundreds of milliseconds).
 */
export async function readPredictionValues(
  db: Db,
  shop: string,
  between: () => Promise<void> = async () => undefined,
): Promise<PredictionValues> {
  assertShop(shop);
  const out: PredictionValues = { clv: [], clvLow: [], clvHigh: [], historicSpend: [], tier: [], modelRunId: [] };
  for (let after: string | null = null; ;) {
    const rows: PredictionValueRow[] = await db.prediction.findMany({
      where: { shop, ...(after !== null && { customerId: { gt: after } }) },
      select: {
        customerId: true,
        clv: true,
        clvLow: true,
        clvHigh: true,
        historicSpend: true,
        tier: true,
        modelRunId: true,
      },
      orderBy: { customerId: "asc" },
      take: VALUES_PER_PAGE,
    });
    for (const r of rows) {
      out.clv.push(r.clv);
      out.clvLow.push(r.clvLow);
      out.clvHigh.push(r.clvHigh);
      out.historicSpend.push(r.historicSpend);
      out.tier.push(r.tier);
      out.modelRunId.push(r.modelRunId);
    }
    if (rows.length < VALUES_PER_PAGE) return out;
    after = rows[rows.length - 1]!.customerId;
    await between();
  }
}

/** The run of one of the shop's predictions (all belong to one run after a full write), null when none. */
export async function anyPredictionRunId(db: Db, shop: string): Promise<number | null> {
  assertShop(shop);
  const first = await db.prediction.findFirst({ where: { shop }, select: { modelRunId: true } });
  return first?.modelRunId ?? null;
}
