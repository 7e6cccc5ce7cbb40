/**
 * Prediction and tier-history repository: reads for the pages (filters come without the shop) and the
 * trainer's batched writes (every query scoped by shop).
 */
import type { Prisma } from "@prisma/client";
import { assertShop, type Db } from "./common.server";

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

/** Current tier per customer: the listed customers' predictions (500 per read), or all of the shop's. */
export async function readPredictionTiers(
  db: Db,
  shop: string,
  customerIds: readonly string[] | null = null,
): Promise<Map<string, string>> {
  assertShop(shop);
  const tiers = new Map<string, string>();
  for (let i = 0; i < (customerIds?.length ?? 1); i += IDS_PER_STATEMENT) {
    const rows = await db.prediction.findMany({
      where: { shop, ...(customerIds && { customerId: { in: customerIds.slice(i, i + IDS_PER_STATEMENT) } }) },
      select: { customerId: true, tier: true },
    });
    for (const p of rows) tiers.set(p.customerId, p.tier);
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

function assertRowsOfShop(shop: string, rows: ReadonlyArray<{ shop: string }>, what: string): void {
  assertShop(shop);
  const other = rows.find((r) => r.shop !== shop);
  if (other) throw new Error(`${what}: row of shop ${other.shop} in a write for ${shop}`);
}

/** Inserts one batch of the shop's predictions (one statement). */
export async function insertPredictions(
  tx: Prisma.TransactionClient | Db,
  shop: string,
  rows: Prisma.PredictionCreateManyInput[],
): Promise<void> {
  assertRowsOfShop(shop, rows, "insertPredictions");
  await tx.prediction.createMany({ data: rows });
}

/** Appends tier changes of the shop's customers (one statement). */
export async function insertTierChanges(
  tx: Prisma.TransactionClient | Db,
  shop: string,
  rows: Prisma.TierHistoryCreateManyInput[],
): Promise<void> {
  assertRowsOfShop(shop, rows, "insertTierChanges");
  await tx.tierHistory.createMany({ data: rows });
}

/** Sums, count and newest run of the shop's predictions (one aggregate). */
export function predictionTotals(db: Db, shop: string) {
  assertShop(shop);
  return db.prediction.aggregate({
    where: { shop },
    _sum: { clv: true, clvLow: true, clvHigh: true, historicSpend: true },
    _count: true,
    _max: { modelRunId: true },
  });
}

/** Count and sums of the shop's predictions per tier. */
export function predictionTierTotals(db: Db, shop: string) {
  assertShop(shop);
  return db.prediction.groupBy({
    by: ["tier"],
    where: { shop },
    _count: true,
    _sum: { clv: true, clvLow: true, clvHigh: true },
  });
}

/**
 * Every CLV of the shop as one comma-separated string (null when none). string_agg (PostgreSQL, and
 * SQLite ≥ 3.44) is about 15× cheaper than 100k Prisma rows; SQLite writes 15 significant digits.
 */
export async function predictionClvList(db: Db, shop: string): Promise<string | null> {
  assertShop(shop);
  const rows = await db.$queryRaw<
    Array<{ v: string | null }>
  >`SELECT string_agg(CAST("clv" AS TEXT), ',') AS v FROM "Prediction" WHERE "shop" = ${shop}`;
  return rows[0]?.v ?? null;
}

/** Sum of squared interval widths (clvHigh − clvLow)² of the shop's predictions per tier. */
export function predictionTierSquaredWidths(db: Db, shop: string) {
  assertShop(shop);
  return db.$queryRaw<Array<{ tier: string; w: number | null }>>`
    SELECT "tier" AS tier, SUM(("clvHigh" - "clvLow") * ("clvHigh" - "clvLow")) AS w
    FROM "Prediction" WHERE "shop" = ${shop} GROUP BY "tier"`;
}

/** The run of one of the shop's predictions (all belong to one run after a full write), null when none. */
export async function anyPredictionRunId(db: Db, shop: string): Promise<number | null> {
  assertShop(shop);
  const first = await db.prediction.findFirst({ where: { shop }, select: { modelRunId: true } });
  return first?.modelRunId ?? null;
}
