/**
 * Customer repository. Every function takes `(db, shop, …)` and scopes every query by shop.
 * "Apply only if newer": a write lands only when its `shopifyUpdatedAt` is strictly newer than the
 * stored one (equal → no-op), and never when it is at or before a deletion tombstone, so the order in
 * which webhooks and backfill pages arrive does not change the final state.
 */
import type { Prisma } from "@prisma/client";
import type { NormalizedCustomer } from "~/sync/types";
import { ValidationError, assertId, assertShop, chunk, isUniqueViolation, type ApplyResult, type BatchResult, type Db } from "./common.server";

type Tx = Prisma.TransactionClient | Db;

/** Options of customer upserts. */
export interface CustomerUpsertOptions {
  /**
   * Fields the source does not carry (REST customers/update has no tags and no predicted spend
   * tier): an update keeps the stored values instead of erasing them.
   */
  keep?: ReadonlyArray<"tags" | "predictedSpendTier">;
}

function customerData(c: NormalizedCustomer, opts: CustomerUpsertOptions = {}) {
  const keep = new Set(opts.keep ?? []);
  return {
    shopifyCreatedAt: c.shopifyCreatedAt,
    shopifyUpdatedAt: c.shopifyUpdatedAt,
    state: c.state,
    countryCode: c.countryCode,
    ...(!keep.has("tags") && { tags: c.tags.join(", ") }),
    ...(!keep.has("predictedSpendTier") && { predictedSpendTier: c.predictedSpendTier }),
  };
}

function validate(c: NormalizedCustomer): void {
  assertId("customer.id", c.id);
  if (c.shopifyUpdatedAt !== null && Number.isNaN(c.shopifyUpdatedAt.getTime())) {
    throw new ValidationError(`customer ${c.id}: shopifyUpdatedAt is an invalid date`);
  }
}

/**
 * The conditional-update filter: stored row is older than `u` and not deleted at/after `u`.
 * A null incoming timestamp only applies to a row that has none either.
 */
function newerThanStored(shop: string, id: string, u: Date | null): Prisma.CustomerWhereInput {
  if (u === null) return { shop, id, shopifyUpdatedAt: null, deletedAt: null };
  return {
    shop,
    id,
    AND: [
      { OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: { lt: u } }] },
      { OR: [{ deletedAt: null }, { deletedAt: { lt: u } }] },
    ],
  };
}

async function upsertOne(tx: Tx, shop: string, c: NormalizedCustomer, opts: CustomerUpsertOptions = {}): Promise<ApplyResult> {
  const data = customerData(c, opts);
  for (let attempt = 0; attempt < 2; attempt++) {
    const upd = await tx.customer.updateMany({
      where: newerThanStored(shop, c.id, c.shopifyUpdatedAt),
      // A strictly newer update after a tombstone means the record lives again.
      data: { ...data, deletedAt: null },
    });
    if (upd.count > 0) return "applied";
    const exists = await tx.customer.findUnique({ where: { shop_id: { shop, id: c.id } }, select: { id: true } });
    if (exists) return "skipped";
    try {
      await tx.customer.create({ data: { shop, id: c.id, ...data } });
      return "applied";
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // a concurrent writer created it: compare again
    }
  }
  return "skipped";
}

/** Inserts or updates one customer if `c.shopifyUpdatedAt` is newer than what is stored. */
export async function upsertCustomerIfNewer(
  db: Db,
  shop: string,
  c: NormalizedCustomer,
  opts: CustomerUpsertOptions = {},
): Promise<ApplyResult> {
  assertShop(shop);
  validate(c);
  return upsertOne(db, shop, c, opts);
}

/**
 * Batch variant for the backfill: applies many customers in one transaction per chunk of 500
 * (existing rows read in one query; new rows inserted with createMany).
 */
export async function upsertCustomersIfNewer(
  db: Db,
  shop: string,
  customers: readonly NormalizedCustomer[],
): Promise<BatchResult> {
  assertShop(shop);
  customers.forEach(validate);
  const res: BatchResult = { applied: 0, skipped: 0 };
  // Last write wins within the batch only if newer: keep the newest per id.
  const newest = new Map<string, NormalizedCustomer>();
  for (const c of customers) {
    const prev = newest.get(c.id);
    if (!prev || (c.shopifyUpdatedAt?.getTime() ?? -Infinity) > (prev.shopifyUpdatedAt?.getTime() ?? -Infinity)) newest.set(c.id, c);
  }
  res.skipped += customers.length - newest.size;
  for (const part of chunk([...newest.values()], 500)) {
    await db.$transaction(async (tx) => {
      const existing = await tx.customer.findMany({
        where: { shop, id: { in: part.map((c) => c.id) } },
        select: { id: true, shopifyUpdatedAt: true, deletedAt: true },
      });
      const byId = new Map(existing.map((r) => [r.id, r]));
      const fresh: NormalizedCustomer[] = [];
      for (const c of part) {
        const cur = byId.get(c.id);
        if (!cur) {
          fresh.push(c);
          continue;
        }
        const u = c.shopifyUpdatedAt?.getTime();
        const newer =
          u === undefined
            ? cur.shopifyUpdatedAt === null && cur.deletedAt === null
            : (cur.shopifyUpdatedAt === null || cur.shopifyUpdatedAt.getTime() < u) &&
              (cur.deletedAt === null || cur.deletedAt.getTime() < u);
        if (!newer) {
          res.skipped++;
          continue;
        }
        const r = await upsertOne(tx, shop, c);
        res[r]++;
      }
      if (fresh.length) {
        await tx.customer.createMany({ data: fresh.map((c) => ({ shop, id: c.id, ...customerData(c) })) });
        res.applied += fresh.length;
      }
    });
  }
  return res;
}

/**
 * Tombstones a customer deleted in Shopify at `at`: identifying attributes are cleared and later
 * updates with `updated_at ≤ at` are ignored. Creates the tombstone when the customer was never seen
 * (a delete that overtakes the create). Repeats are no-ops; an earlier `at` never moves it back.
 */
export async function markCustomerDeleted(db: Db, shop: string, id: string, at: Date): Promise<ApplyResult> {
  assertShop(shop);
  assertId("customer id", id);
  const cleared = { state: null, countryCode: null, tags: "", predictedSpendTier: null };
  const upd = await db.customer.updateMany({
    where: { shop, id, OR: [{ deletedAt: null }, { deletedAt: { lt: at } }] },
    data: { deletedAt: at, ...cleared },
  });
  if (upd.count > 0) return "applied";
  try {
    await db.customer.create({ data: { shop, id, deletedAt: at, ...cleared } });
    return "applied";
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return "skipped";
  }
}

/** Reads one customer of the shop (null when unknown). */
export function getCustomer(db: Db, shop: string, id: string) {
  assertShop(shop);
  return db.customer.findUnique({ where: { shop_id: { shop, id } } });
}

/** Counts live (not deleted) customers of the shop. */
export function countCustomers(db: Db, shop: string): Promise<number> {
  assertShop(shop);
  return db.customer.count({ where: { shop, deletedAt: null } });
}
