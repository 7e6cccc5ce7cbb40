/**
 * Order and refund repository. Every function takes `(db, shop, …)` and scopes every query by shop.
 * Orders apply only if `shopifyUpdatedAt` is strictly newer than stored (equal → no-op); refunds are
 * immutable in Shopify and are inserted once.
 */
import type { Prisma } from "@prisma/client";
import type { NormalizedOrder, NormalizedRefund } from "~/sync/types";
import { ValidationError, assertId, assertShop, chunk, isUniqueViolation, type ApplyResult, type BatchResult, type Db } from "./common.server";

type Tx = Prisma.TransactionClient | Db;

function orderData(o: NormalizedOrder) {
  return {
    customerId: o.customerId,
    name: o.name,
    processedAt: o.processedAt,
    shopifyCreatedAt: o.shopifyCreatedAt,
    shopifyUpdatedAt: o.shopifyUpdatedAt,
    cancelledAt: o.cancelledAt,
    test: o.test,
    financialStatus: o.financialStatus,
    currencyCode: o.currencyCode,
    presentmentCurrencyCode: o.presentmentCurrencyCode,
    subtotal: o.subtotal,
    currentSubtotal: o.currentSubtotal,
    total: o.total,
    totalDiscounts: o.totalDiscounts,
    totalRefunded: o.totalRefunded,
    presentmentTotal: o.presentmentTotal,
    sourceName: o.sourceName,
    countryCode: o.countryCode,
    discountCodes: JSON.stringify(o.discountCodes),
    productIds: JSON.stringify(o.productIds),
    lineItemCount: o.lineItemCount,
  };
}

function isDate(d: unknown): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

function validateOrder(o: NormalizedOrder): void {
  assertId("order.id", o.id);
  if (o.customerId !== null) assertId(`order ${o.id}: customerId`, o.customerId);
  if (!isDate(o.processedAt)) throw new ValidationError(`order ${o.id}: processedAt is missing or not a valid date`);
  if (!isDate(o.shopifyUpdatedAt)) throw new ValidationError(`order ${o.id}: shopifyUpdatedAt is missing or not a valid date`);
  if (typeof o.currencyCode !== "string" || !/^[A-Z]{3}$/.test(o.currencyCode)) {
    throw new ValidationError(`order ${o.id}: currencyCode must be a 3-letter ISO code; got ${JSON.stringify(o.currencyCode)}`);
  }
  for (const f of ["subtotal", "currentSubtotal", "total", "totalDiscounts", "totalRefunded"] as const) {
    if (!Number.isFinite(o[f])) throw new ValidationError(`order ${o.id}: ${f} must be a finite number; got ${o[f]}`);
  }
}

async function upsertOne(tx: Tx, shop: string, o: NormalizedOrder): Promise<ApplyResult> {
  const data = orderData(o);
  for (let attempt = 0; attempt < 2; attempt++) {
    const upd = await tx.order.updateMany({
      where: {
        shop,
        id: o.id,
        shopifyUpdatedAt: { lt: o.shopifyUpdatedAt },
        OR: [{ deletedAt: null }, { deletedAt: { lt: o.shopifyUpdatedAt } }],
      },
      data: { ...data, deletedAt: null },
    });
    if (upd.count > 0) return "applied";
    const exists = await tx.order.findUnique({ where: { shop_id: { shop, id: o.id } }, select: { id: true } });
    if (exists) return "skipped";
    try {
      await tx.order.create({ data: { shop, id: o.id, ...data } });
      return "applied";
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  return "skipped";
}

/** Inserts or updates one order if `o.shopifyUpdatedAt` is newer than what is stored. */
export async function upsertOrderIfNewer(db: Db, shop: string, o: NormalizedOrder): Promise<ApplyResult> {
  assertShop(shop);
  validateOrder(o);
  return upsertOne(db, shop, o);
}

/**
 * Batch variant for the backfill: one transaction per chunk of 500 orders; existing rows read in one
 * query, new rows inserted with createMany, newer ones updated conditionally.
 */
export async function upsertOrdersIfNewer(db: Db, shop: string, orders: readonly NormalizedOrder[]): Promise<BatchResult> {
  assertShop(shop);
  orders.forEach(validateOrder);
  const res: BatchResult = { applied: 0, skipped: 0 };
  const newest = new Map<string, NormalizedOrder>();
  for (const o of orders) {
    const prev = newest.get(o.id);
    if (!prev || o.shopifyUpdatedAt.getTime() > prev.shopifyUpdatedAt.getTime()) newest.set(o.id, o);
  }
  res.skipped += orders.length - newest.size;
  for (const part of chunk([...newest.values()], 500)) {
    const before = { ...res };
    try {
      await applyOrderChunk(db, shop, part, res);
    } catch (e) {
      if (!(e instanceof ConcurrentChange) && !isUniqueViolation(e)) throw e;
      Object.assign(res, before);
      for (const o of part) res[await upsertOne(db, shop, o)]++;
    }
  }
  return res;
}

/** Thrown inside a batch transaction to roll it back when another writer changed a row meanwhile. */
class ConcurrentChange extends Error {}

/** One chunk of upsertOrdersIfNewer in one transaction (adds its counts to `res`). */
async function applyOrderChunk(db: Db, shop: string, part: NormalizedOrder[], res: BatchResult): Promise<void> {
  await db.$transaction(
    async (tx) => {
      const existing = await tx.order.findMany({
        where: { shop, id: { in: part.map((o) => o.id) } },
        select: { id: true, shopifyUpdatedAt: true, deletedAt: true, createdAt: true },
      });
      const byId = new Map(existing.map((r) => [r.id, r]));
      const fresh: NormalizedOrder[] = [];
      const replace: Array<{ o: NormalizedOrder; createdAt: Date; was: Date }> = [];
      for (const o of part) {
        const cur = byId.get(o.id);
        if (!cur) {
          fresh.push(o);
          continue;
        }
        const u = o.shopifyUpdatedAt.getTime();
        if (cur.shopifyUpdatedAt.getTime() >= u || (cur.deletedAt !== null && cur.deletedAt.getTime() >= u)) {
          res.skipped++;
          continue;
        }
        replace.push({ o, createdAt: cur.createdAt, was: cur.shopifyUpdatedAt });
      }
      if (replace.length) {
        // Newer rows are replaced in two statements (delete + createMany) instead of one UPDATE per
        // row. The delete re-checks each row's stored timestamp, so a concurrent writer that got there
        // first makes the counts differ and the chunk falls back to row-by-row conditional updates.
        // (sub-chunks keep the statement under SQLite's 999 bound-parameter limit)
        for (const sub of chunk(replace, 300)) {
          const del = await tx.order.deleteMany({
            where: { shop, OR: sub.map((r) => ({ id: r.o.id, shopifyUpdatedAt: r.was })) },
          });
          if (del.count !== sub.length) throw new ConcurrentChange();
        }
        await tx.order.createMany({
          data: replace.map((r) => ({ shop, id: r.o.id, ...orderData(r.o), createdAt: r.createdAt })),
        });
        res.applied += replace.length;
      }
      if (fresh.length) {
        await tx.order.createMany({ data: fresh.map((o) => ({ shop, id: o.id, ...orderData(o) })) });
        res.applied += fresh.length;
      }
    },
    { timeout: 120_000 },
  );
}

/** Tombstones an order deleted in Shopify at `at` (updates with updated_at ≤ at are then ignored). */
export async function markOrderDeleted(db: Db, shop: string, id: string, at: Date): Promise<ApplyResult> {
  assertShop(shop);
  assertId("order id", id);
  const upd = await db.order.updateMany({
    where: { shop, id, OR: [{ deletedAt: null }, { deletedAt: { lt: at } }] },
    data: { deletedAt: at },
  });
  return upd.count > 0 ? "applied" : "skipped";
}

function validateRefund(orderId: string, r: NormalizedRefund): void {
  assertId("refund.id", r.id);
  assertId(`refund ${r.id}: orderId`, orderId);
  if (!isDate(r.processedAt)) throw new ValidationError(`refund ${r.id}: processedAt is missing or not a valid date`);
  if (!Number.isFinite(r.amount)) throw new ValidationError(`refund ${r.id}: amount must be a finite number; got ${r.amount}`);
}

/**
 * Inserts a refund once (refunds are immutable in Shopify; a repeat is a no-op). The customer id is
 * copied from the stored order when known, so customers/redact can find the refund.
 */
export async function upsertRefund(db: Db, shop: string, orderId: string, r: NormalizedRefund): Promise<ApplyResult> {
  assertShop(shop);
  validateRefund(orderId, r);
  const order = await db.order.findUnique({ where: { shop_id: { shop, id: orderId } }, select: { customerId: true } });
  try {
    await db.refund.create({
      data: {
        shop,
        id: r.id,
        orderId,
        customerId: order?.customerId ?? null,
        processedAt: r.processedAt,
        amount: r.amount,
        currencyCode: r.currencyCode,
      },
    });
    return "applied";
  } catch (e) {
    if (isUniqueViolation(e)) return "skipped";
    throw e;
  }
}

/** Batch refund insert for the backfill (existing ids skipped), one transaction per 500. */
export async function upsertRefunds(
  db: Db,
  shop: string,
  refunds: ReadonlyArray<NormalizedRefund>,
): Promise<BatchResult> {
  assertShop(shop);
  refunds.forEach((r) => validateRefund(r.orderId, r));
  const res: BatchResult = { applied: 0, skipped: 0 };
  const unique = new Map(refunds.map((r) => [r.id, r]));
  res.skipped += refunds.length - unique.size;
  for (const part of chunk([...unique.values()], 500)) {
    await db.$transaction(async (tx) => {
      const existing = new Set(
        (await tx.refund.findMany({ where: { shop, id: { in: part.map((r) => r.id) } }, select: { id: true } })).map((r) => r.id),
      );
      const fresh = part.filter((r) => !existing.has(r.id));
      res.skipped += part.length - fresh.length;
      if (!fresh.length) return;
      const orders = await tx.order.findMany({
        where: { shop, id: { in: [...new Set(fresh.map((r) => r.orderId))] } },
        select: { id: true, customerId: true },
      });
      const cust = new Map(orders.map((o) => [o.id, o.customerId]));
      await tx.refund.createMany({
        data: fresh.map((r) => ({
          shop,
          id: r.id,
          orderId: r.orderId,
          customerId: cust.get(r.orderId) ?? null,
          processedAt: r.processedAt,
          amount: r.amount,
          currencyCode: r.currencyCode,
        })),
      });
      res.applied += fresh.length;
    });
  }
  return res;
}

/** Reads one order of the shop (null when unknown). */
export function getOrder(db: Db, shop: string, id: string) {
  assertShop(shop);
  return db.order.findUnique({ where: { shop_id: { shop, id } } });
}

/** Counts orders of the shop (deleted ones excluded). */
export function countOrders(db: Db, shop: string): Promise<number> {
  assertShop(shop);
  return db.order.count({ where: { shop, deletedAt: null } });
}
