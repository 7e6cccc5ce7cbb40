/**
 * Customer repository. Every function takes `(db, shop, …)` and scopes every query by shop.
 * "Apply only if newer": a write lands only when its `shopifyUpdatedAt` is strictly newer than the
 * stored one (equal → no-op), and never when it is at or before a deletion tombstone, so the order in
 * which webhooks and backfill pages arrive does not change the final state.
 */
import type { Prisma } from "@prisma/client";
import type { NormalizedCustomer } from "~/sync/types";
import { upsertShopObjects, type Column } from "./batch-upsert.server";
import {
  ValidationError,
  assertId,
  assertShop,
  isUniqueViolation,
  type ApplyResult,
  type BatchResult,
  type Db,
} from "./common.server";
import { providerOfClient } from "~/db/connect.server";

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

async function upsertOne(
  tx: Tx,
  shop: string,
  c: NormalizedCustomer,
  opts: CustomerUpsertOptions = {},
): Promise<ApplyResult> {
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

/** Columns of a customer row written by the batch upsert (besides shop, id and timestamps). */
const CUSTOMER_COLUMNS: ReadonlyArray<Column<NormalizedCustomer>> = [
  { name: "shopifyCreatedAt", type: "timestamp", value: (c) => c.shopifyCreatedAt },
  { name: "shopifyUpdatedAt", type: "timestamp", value: (c) => c.shopifyUpdatedAt },
  { name: "state", type: "text", value: (c) => c.state },
  { name: "countryCode", type: "text", value: (c) => c.countryCode },
  { name: "tags", type: "text", value: (c) => c.tags.join(", ") },
  { name: "predictedSpendTier", type: "text", value: (c) => c.predictedSpendTier },
];

/** `newerThanStored` as the WHERE of the batch upsert's update (in terms of `excluded`). */
const CUSTOMER_NEWER =
  '(excluded."shopifyUpdatedAt" IS NULL AND "Customer"."shopifyUpdatedAt" IS NULL AND "Customer"."deletedAt" IS NULL) OR ' +
  '(excluded."shopifyUpdatedAt" IS NOT NULL AND ("Customer"."shopifyUpdatedAt" IS NULL OR "Customer"."shopifyUpdatedAt" < excluded."shopifyUpdatedAt") ' +
  'AND ("Customer"."deletedAt" IS NULL OR "Customer"."deletedAt" < excluded."shopifyUpdatedAt"))';

/**
 * Batch variant for the backfill: one raw multi-row upsert per chunk (batch-upsert.server.ts) whose
 * `ON CONFLICT … DO UPDATE … WHERE` is the single-row rule (`newerThanStored`), atomic per row —
 * new and updated customers alike, no row-by-row path.
 */
export async function upsertCustomersIfNewer(
  db: Db,
  shop: string,
  customers: readonly NormalizedCustomer[],
): Promise<BatchResult> {
  assertShop(shop);
  customers.forEach(validate);
  const applied = await upsertShopObjects(db, "Customer", shop, customers, {
    data: CUSTOMER_COLUMNS,
    updatedAt: (c) => c.shopifyUpdatedAt?.getTime(),
    newer: CUSTOMER_NEWER,
  });
  return { applied, skipped: customers.length - applied };
}

/** The stored tag list (Shopify's comma-separated form, as written from `c.tags.join(", ")`) as tags. */
export function parseStoredTags(tags: string | null | undefined): string[] {
  return tags
    ? tags
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
}

/**
 * Sets the stored tags of many customers to one value (write-back keeps its copy of what Shopify
 * accepted): one raw UPDATE per 500 ids on either provider. Returns the rows changed.
 */
export async function setCustomersTags(db: Db, shop: string, tags: string, ids: readonly string[]): Promise<number> {
  assertShop(shop);
  ids.forEach((id) => assertId("customer id", id));
  const pg = providerOfClient(db) === "postgresql";
  const now = pg ? new Date().toISOString().replace(/Z$/, "") : new Date().toISOString().replace(/Z$/, "+00:00");
  let changed = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const ph = (n: number) => (pg ? `$${n}` : "?");
    const list = part.map((_, k) => ph(k + 4)).join(", ");
    const sql = `UPDATE "Customer" SET "tags" = ${ph(1)}, "updatedAt" = ${ph(2)}${pg ? "::timestamp(3)" : ""} WHERE "shop" = ${ph(3)} AND "id" IN (${list})`;
    changed += await db.$executeRawUnsafe(sql, tags, now, shop, ...part);
  }
  return changed;
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

/** Ids of the shop's live (not deleted) customers created before `before` (or of unknown creation time). */
export async function listLiveCustomerIdsCreatedBefore(db: Db, shop: string, before: Date): Promise<string[]> {
  assertShop(shop);
  const rows = await db.customer.findMany({
    where: { shop, deletedAt: null, OR: [{ shopifyCreatedAt: { lt: before } }, { shopifyCreatedAt: null }] },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
