/** Prediction repository for the pages (every query scoped by shop; filters come without the shop). */
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
