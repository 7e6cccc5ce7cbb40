/**
 * Customers list service: server-side sort, tier / at-risk filter, search by customer id or order
 * name, pagination and CSV export. Every query is scoped by `shop`. Query-string parsing lives in
 * customers-query.ts (pure) so routes stay thin and bad input gets a clear message.
 */
import type { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import { csvRow } from "~/clv/csv";
import { AT_RISK_P_ALIVE, type CustomerListQuery } from "./customers-query";
import { getSettings } from "./settings.server";

/** One row of the customers table. */
export interface CustomerRow {
  customerId: string;
  clv: number;
  clvLow: number;
  clvHigh: number;
  pAlive: number;
  expectedOrders: number;
  historicSpend: number;
  orderCount: number;
  lastOrderAt: string | null;
  tier: string;
}

/** A page of customers plus what the page needs to render pagination and filters. */
export interface CustomerPage {
  rows: CustomerRow[];
  /** Customers matching the filter (all pages). */
  total: number;
  page: number;
  pageCount: number;
  /** The shop's tier names, highest first (for the filter). */
  tiers: string[];
}

const rowSelect = {
  customerId: true,
  clv: true,
  clvLow: true,
  clvHigh: true,
  pAlive: true,
  expectedOrders: true,
  historicSpend: true,
  orderCount: true,
  lastOrderAt: true,
  tier: true,
} satisfies Prisma.PredictionSelect;

type SelectedRow = Prisma.PredictionGetPayload<{ select: typeof rowSelect }>;

function toRow(p: SelectedRow): CustomerRow {
  return { ...p, lastOrderAt: p.lastOrderAt ? p.lastOrderAt.toISOString() : null };
}

/**
 * Resolves the search box to customer ids: a customer id (numeric or GID) or an order name
 * ("#1001" or "1001"). Returns null when there is no search.
 */
async function searchIds(db: Db, shop: string, q: string | undefined): Promise<string[] | null> {
  if (!q) return null;
  const ids = new Set<string>();
  const bare = q.replace(/^gid:\/\/shopify\/Customer\//i, "");
  ids.add(bare);
  const names = q.startsWith("#") ? [q] : [q, `#${q}`];
  const orders = await db.order.findMany({
    where: { shop, name: { in: names }, customerId: { not: null } },
    select: { customerId: true },
    take: 50,
  });
  for (const o of orders) if (o.customerId) ids.add(o.customerId);
  return [...ids];
}

async function whereFor(db: Db, shop: string, query: CustomerListQuery): Promise<Prisma.PredictionWhereInput> {
  const where: Prisma.PredictionWhereInput = { shop };
  if (query.tier) where.tier = query.tier;
  if (query.atRisk) where.pAlive = { lt: AT_RISK_P_ALIVE };
  const ids = await searchIds(db, shop, query.q);
  if (ids) where.customerId = { in: ids };
  return where;
}

function orderFor(query: CustomerListQuery, reverse = false): Prisma.PredictionOrderByWithRelationInput[] {
  const flip = (d: "asc" | "desc"): "asc" | "desc" => (reverse ? (d === "asc" ? "desc" : "asc") : d);
  const dir = flip(query.direction);
  // Tie-break on customerId so pages are stable.
  return query.sort === "customerId" ? [{ customerId: dir }] : [{ [query.sort]: dir }, { customerId: flip("asc") }];
}

/** One page of the shop's customers for the given (validated) query. */
export async function listCustomers(db: Db, shop: string, query: CustomerListQuery): Promise<CustomerPage> {
  const where = await whereFor(db, shop, query);
  // Tier names come from the shop's tier rules (a full scan of predictions per request would cost
  // ~100k index entries at 100k customers); a filtered tier not in the rules is kept selectable.
  const [total, settings] = await Promise.all([db.prediction.count({ where }), getSettings(db, shop)]);
  const tiers = settings.tierRules.map((r) => r.name);
  if (query.tier && !tiers.includes(query.tier)) tiers.push(query.tier);
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(query.page, pageCount);
  // Pages in the second half are read from the other end (reversed order, smaller OFFSET), so the
  // deepest page costs no more than the middle one.
  const start = (page - 1) * query.pageSize;
  const end = Math.min(total, start + query.pageSize);
  const fromEnd = start > total / 2;
  const rows = await db.prediction.findMany({
    where,
    orderBy: orderFor(query, fromEnd),
    skip: fromEnd ? total - end : start,
    take: Math.max(0, end - start),
    select: rowSelect,
  });
  if (fromEnd) rows.reverse();
  return { rows: rows.map(toRow), total, page, pageCount, tiers };
}

/** Header of the CSV export, in column order. */
export const CUSTOMER_CSV_HEADER = [
  "customer_id",
  "tier",
  "predicted_clv",
  "clv_low",
  "clv_high",
  "p_alive",
  "expected_orders",
  "historic_spend",
  "order_count",
  "last_order_at",
] as const;

/**
 * Streams the CSV export of every customer matching the query (all pages, in the chosen sort
 * order), in batches so 100k customers never sit in memory at once. Cells are escaped against
 * spreadsheet formula injection by the shared CSV writer.
 */
export async function* exportCustomersCsv(
  db: Db,
  shop: string,
  query: CustomerListQuery,
  batchSize = 5000,
): AsyncGenerator<string> {
  const where = await whereFor(db, shop, query);
  yield csvRow([...CUSTOMER_CSV_HEADER]) + "\r\n";
  for (let skip = 0; ; skip += batchSize) {
    const batch = await db.prediction.findMany({
      where,
      orderBy: orderFor(query),
      skip,
      take: batchSize,
      select: rowSelect,
    });
    if (batch.length === 0) return;
    let chunk = "";
    for (const r of batch) {
      chunk +=
        csvRow([
          r.customerId,
          r.tier,
          round2(r.clv),
          round2(r.clvLow),
          round2(r.clvHigh),
          round4(r.pAlive),
          round4(r.expectedOrders),
          round2(r.historicSpend),
          r.orderCount,
          r.lastOrderAt ? r.lastOrderAt.toISOString() : "",
        ]) + "\r\n";
    }
    yield chunk;
    if (batch.length < batchSize) return;
  }
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const round4 = (v: number) => Math.round(v * 10000) / 10000;
