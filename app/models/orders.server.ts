/**
 * Order and refund repository. Every function takes `(db, shop, …)` and scopes every query by shop.
 * Orders apply only if `shopifyUpdatedAt` is strictly newer than stored (equal → no-op); refunds are
 * immutable in Shopify and are inserted once.
 */
import type { Prisma } from "@prisma/client";
import type { NormalizedOrder, NormalizedRefund } from "~/sync/types";
import { upsertShopObjects, type Column } from "./batch-upsert.server";
import {
  ValidationError,
  assertId,
  assertShop,
  chunk,
  applyIfNewer,
  isUniqueViolation,
  type ApplyResult,
  type BatchResult,
  type Db,
} from "./common.server";

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
  if (!isDate(o.shopifyUpdatedAt))
    throw new ValidationError(`order ${o.id}: shopifyUpdatedAt is missing or not a valid date`);
  if (typeof o.currencyCode !== "string" || !/^[A-Z]{3}$/.test(o.currencyCode)) {
    throw new ValidationError(
      `order ${o.id}: currencyCode must be a 3-letter ISO code; got ${JSON.stringify(o.currencyCode)}`,
    );
  }
  for (const f of ["subtotal", "currentSubtotal", "total", "totalDiscounts", "totalRefunded"] as const) {
    if (!Number.isFinite(o[f])) throw new ValidationError(`order ${o.id}: ${f} must be a finite number; got ${o[f]}`);
  }
}

async function upsertOne(tx: Tx, shop: string, o: NormalizedOrder): Promise<ApplyResult> {
  const data = orderData(o);
  return applyIfNewer({
    updateIfNewer: () =>
      tx.order.updateMany({
        where: {
          shop,
          id: o.id,
          shopifyUpdatedAt: { lt: o.shopifyUpdatedAt },
          OR: [{ deletedAt: null }, { deletedAt: { lt: o.shopifyUpdatedAt } }],
        },
        data: { ...data, deletedAt: null },
      }),
    exists: async () =>
      (await tx.order.findUnique({ where: { shop_id: { shop, id: o.id } }, select: { id: true } })) !== null,
    create: () => tx.order.create({ data: { shop, id: o.id, ...data } }),
  });
}

/** Inserts or updates one order if `o.shopifyUpdatedAt` is newer than what is stored. */
export async function upsertOrderIfNewer(db: Db, shop: string, o: NormalizedOrder): Promise<ApplyResult> {
  assertShop(shop);
  validateOrder(o);
  return upsertOne(db, shop, o);
}

/** Every column of an order row written by the batch upsert (besides shop, id and timestamps). */
const ORDER_COLUMNS: ReadonlyArray<Column<NormalizedOrder>> = [
  { name: "customerId", type: "text", value: (o) => o.customerId },
  { name: "name", type: "text", value: (o) => o.name },
  { name: "processedAt", type: "timestamp", value: (o) => o.processedAt },
  { name: "shopifyCreatedAt", type: "timestamp", value: (o) => o.shopifyCreatedAt },
  { name: "shopifyUpdatedAt", type: "timestamp", value: (o) => o.shopifyUpdatedAt },
  { name: "cancelledAt", type: "timestamp", value: (o) => o.cancelledAt },
  { name: "test", type: "boolean", value: (o) => o.test },
  { name: "financialStatus", type: "text", value: (o) => o.financialStatus },
  { name: "currencyCode", type: "text", value: (o) => o.currencyCode },
  { name: "presentmentCurrencyCode", type: "text", value: (o) => o.presentmentCurrencyCode },
  { name: "subtotal", type: "float", value: (o) => o.subtotal },
  { name: "currentSubtotal", type: "float", value: (o) => o.currentSubtotal },
  { name: "total", type: "float", value: (o) => o.total },
  { name: "totalDiscounts", type: "float", value: (o) => o.totalDiscounts },
  { name: "totalRefunded", type: "float", value: (o) => o.totalRefunded },
  { name: "presentmentTotal", type: "float", value: (o) => o.presentmentTotal },
  { name: "sourceName", type: "text", value: (o) => o.sourceName },
  { name: "countryCode", type: "text", value: (o) => o.countryCode },
  { name: "discountCodes", type: "text", value: (o) => JSON.stringify(o.discountCodes) },
  { name: "productIds", type: "text", value: (o) => JSON.stringify(o.productIds) },
  { name: "lineItemCount", type: "int", value: (o) => o.lineItemCount },
];

/**
 * Batch variant for the backfill: one raw multi-row upsert per chunk (batch-upsert.server.ts)
 * whose `ON CONFLICT … DO UPDATE … WHERE` applies a row only if it is newer than the stored one
 * and than its tombstone — the same rule as `upsertOrderIfNewer`, atomic per row.
 */
export async function upsertOrdersIfNewer(
  db: Db,
  shop: string,
  orders: readonly NormalizedOrder[],
): Promise<BatchResult> {
  assertShop(shop);
  orders.forEach(validateOrder);
  const applied = await upsertShopObjects(db, "Order", shop, orders, {
    data: ORDER_COLUMNS,
    updatedAt: (o) => o.shopifyUpdatedAt.getTime(),
    newer:
      'excluded."shopifyUpdatedAt" > "Order"."shopifyUpdatedAt" AND ("Order"."deletedAt" IS NULL OR "Order"."deletedAt" < excluded."shopifyUpdatedAt")',
  });
  return { applied, skipped: orders.length - applied };
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
  if (!Number.isFinite(r.amount))
    throw new ValidationError(`refund ${r.id}: amount must be a finite number; got ${r.amount}`);
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
        (await tx.refund.findMany({ where: { shop, id: { in: part.map((r) => r.id) } }, select: { id: true } })).map(
          (r) => r.id,
        ),
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

/**
 * Ids of the shop's live (not deleted) orders created before `before` (Shopify's creation time, or
 * the processing time when unknown), optionally only those processed since `processedSince`.
 */
export async function listLiveOrderIdsCreatedBefore(
  db: Db,
  shop: string,
  before: Date,
  processedSince?: Date,
): Promise<string[]> {
  assertShop(shop);
  const rows = await db.order.findMany({
    where: {
      shop,
      deletedAt: null,
      OR: [{ shopifyCreatedAt: { lt: before } }, { shopifyCreatedAt: null, processedAt: { lt: before } }],
      ...(processedSince && { processedAt: { gte: processedSince } }),
    },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/**
 * The version of the shop's orders: count and latest write (any insert, edit, tombstone or delete
 * changes it); one index range over Order(shop, updatedAt).
 */
export async function ordersVersion(db: Db, shop: string): Promise<string> {
  assertShop(shop);
  const v = await db.order.aggregate({ where: { shop }, _count: true, _max: { updatedAt: true } });
  return `${v._count}|${v._max.updatedAt?.getTime() ?? 0}`;
}

/**
 * Every valid order of the shop (not test, cancelled or deleted, with a customer) as one string
 * "customerId|processedAt|currentSubtotal;…" (string_agg: PostgreSQL, and SQLite ≥ 3.44) — one
 * round trip and no per-row objects for the cohorts page. processedAt is the database's text
 * form of the timestamp (ISO on SQLite, "YYYY-MM-DD hh:mm:ss" on PostgreSQL). Empty: no orders.
 */
export async function validOrdersAsText(db: Db, shop: string): Promise<string> {
  assertShop(shop);
  const rows = await db.$queryRaw<Array<{ v: string | null }>>`
    SELECT string_agg("customerId" || '|' || CAST("processedAt" AS TEXT) || '|' || CAST("currentSubtotal" AS TEXT), ';') AS v
    FROM "Order"
    WHERE "shop" = ${shop} AND "test" = false AND "cancelledAt" IS NULL AND "deletedAt" IS NULL AND "customerId" IS NOT NULL`;
  return rows[0]?.v ?? "";
}

/** Customers who placed the shop's orders with these names ("#1001"), at most `take`. */
export async function customerIdsByOrderNames(
  db: Db,
  shop: string,
  names: readonly string[],
  take = 50,
): Promise<string[]> {
  assertShop(shop);
  const rows = await db.order.findMany({
    where: { shop, name: { in: [...names] }, customerId: { not: null } },
    select: { customerId: true },
    take,
  });
  return rows.flatMap((o) => (o.customerId ? [o.customerId] : []));
}

/** Every order of one customer, newest first: date and status fields only (counts, P(alive) history). */
export function listCustomerOrderDates(db: Db, shop: string, customerId: string) {
  assertShop(shop);
  return db.order.findMany({
    where: { shop, customerId },
    orderBy: [{ processedAt: "desc" }, { id: "desc" }],
    select: { processedAt: true, test: true, cancelledAt: true, deletedAt: true },
  });
}

/** A page of one customer's orders, newest first. */
export function listCustomerOrders(db: Db, shop: string, customerId: string, skip: number, take: number) {
  assertShop(shop);
  return db.order.findMany({
    where: { shop, customerId },
    orderBy: [{ processedAt: "desc" }, { id: "desc" }],
    skip,
    take,
  });
}

/** First and last processing date of the shop's valid orders with a customer (nulls when none). */
export async function validOrderDateSpan(db: Db, shop: string): Promise<{ first: Date | null; last: Date | null }> {
  assertShop(shop);
  const span = await db.order.aggregate({
    where: { shop, test: false, cancelledAt: null, deletedAt: null, customerId: { not: null } },
    _min: { processedAt: true },
    _max: { processedAt: true },
  });
  return { first: span._min.processedAt, last: span._max.processedAt };
}

/** Customers with at least one valid order in the shop, and how many of them have two or more. */
export async function countValidOrderCustomers(
  db: Db,
  shop: string,
): Promise<{ customers: number; repeatCustomers: number }> {
  assertShop(shop);
  const rows = await db.$queryRaw<Array<{ customers: bigint | number; repeaters: bigint | number | null }>>`
    SELECT COUNT(*) AS customers, SUM(CASE WHEN n > 1 THEN 1 ELSE 0 END) AS repeaters FROM (
      SELECT "customerId", COUNT(*) AS n FROM "Order"
      WHERE "shop" = ${shop} AND "test" = false AND "cancelledAt" IS NULL AND "deletedAt" IS NULL AND "customerId" IS NOT NULL
      GROUP BY "customerId") AS t`;
  return { customers: Number(rows[0]?.customers ?? 0), repeatCustomers: Number(rows[0]?.repeaters ?? 0) };
}

/** Orders per page of `listTrainingOrders`. */
const TRAINING_ORDERS_PER_PAGE = 2000;

/**
 * The shop's live, non-test orders with a customer, with the columns the trainer reads, in pages
 * of 2,000 by id with `between` after each page (on SQLite every read runs on the event loop: the
 * trainer yields there so a 250k-order read never blocks the process for long).
 */
export async function listTrainingOrders(db: Db, shop: string, between: () => Promise<void> = async () => undefined) {
  assertShop(shop);
  const page = (after: string | null) =>
    db.order.findMany({
      where: {
        shop,
        deletedAt: null,
        test: false,
        customerId: { not: null },
        ...(after !== null && { id: { gt: after } }),
      },
      select: {
        id: true,
        customerId: true,
        processedAt: true,
        subtotal: true,
        totalDiscounts: true,
        totalRefunded: true,
        cancelledAt: true,
        sourceName: true,
        countryCode: true,
        discountCodes: true,
        productIds: true,
      },
      orderBy: { id: "asc" },
      take: TRAINING_ORDERS_PER_PAGE,
    });
  const out: Awaited<ReturnType<typeof page>> = [];
  for (let after: string | null = null; ;) {
    const rows = await page(after);
    for (const r of rows) out.push(r);
    if (rows.length < TRAINING_ORDERS_PER_PAGE) return out;
    after = rows[rows.length - 1]!.id;
    await between();
  }
}

/** All of the shop's refunds: order, time and amount. */
export function listShopRefunds(db: Db, shop: string) {
  assertShop(shop);
  return db.refund.findMany({ where: { shop }, select: { orderId: true, processedAt: true, amount: true } });
}
