/**
 * Customers list service: server-side sort, tier / at-risk filter, search by customer id or order
 * name, pagination and CSV export. Every query is scoped by `shop`. Query-string parsing lives in
 * customer-list-query.ts (pure) so routes stay thin and bad input gets a clear message.
 */
import type { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import { csvRow } from "~/clv/csv";
import { AT_RISK_P_ALIVE, type CustomerListQuery } from "./customer-list-query";
import { CHURN_HIGH } from "~/presentation/churn-risk";
import { getSettings } from "~/settings/shop-settings.server";
import { countPredictions, findPredictions, hasPredictionInTier } from "~/models/predictions.server";
import { customerIdsByOrderNames } from "~/models/orders.server";
import { PREDICTION_FIGURES_SELECT, type PredictionFigures } from "~/models/prediction-figures";
import type { ValueSettings } from "~/presentation/value-view";

/** One row of the customers table. */
export interface CustomerRow extends PredictionFigures {
  customerId: string;
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
  /** The filter's tier when it is not one of the shop's tiers (then ignored: all tiers are shown). */
  unknownTier: string | null;
  /** Horizon of the predictions in days (from the shop's settings), for the churn-risk rule. */
  horizonDays: number;
  /** Horizon, margin and discount rate: the revenue / profit views (value-view.ts). */
  valueSettings: ValueSettings;
}

const rowSelect = {
  customerId: true,
  ...PREDICTION_FIGURES_SELECT,
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
 * The search box as a condition: customers whose id starts with the text (numeric id or GID, so
 * "1234" finds 1234, 12345, …) or who placed the order with that name ("#1001" or "1001", exact).
 * Null when there is no search. It combines with the tier and at-risk filters (the page says so).
 */
async function searchWhere(db: Db, shop: string, q: string | undefined): Promise<Prisma.PredictionWhereInput | null> {
  if (!q) return null;
  const bare = q.replace(/^gid:\/\/shopify\/Customer\//i, "").replace(/^#/, "");
  const names = q.startsWith("#") ? [q] : [q, `#${q}`];
  const byOrder = await customerIdsByOrderNames(db, shop, names);
  const or: Prisma.PredictionWhereInput[] = [];
  // Ids are digits (or the demo's/Shopify's id characters); wildcards never reach LIKE.
  if (/^[0-9A-Za-z_-]+$/.test(bare) && !/[%_]/.test(bare)) or.push({ customerId: { startsWith: bare } });
  if (byOrder.length) or.push({ customerId: { in: byOrder } });
  return or.length ? { OR: or } : { customerId: { in: [] } };
}

/** At risk: the model's churn probability is High; for runs without one, P(alive) below the threshold. */
const AT_RISK_WHERE: Prisma.PredictionWhereInput = {
  OR: [{ churnProbability: { gte: CHURN_HIGH } }, { churnProbability: null, pAlive: { lt: AT_RISK_P_ALIVE } }],
};

/** The query's filter (the repository adds the shop). */
async function whereFor(db: Db, shop: string, query: CustomerListQuery): Promise<Prisma.PredictionWhereInput> {
  const and: Prisma.PredictionWhereInput[] = [];
  if (query.tier) and.push({ tier: query.tier });
  if (query.atRisk) and.push(AT_RISK_WHERE);
  if (query.id) and.push({ customerId: query.id });
  const search = await searchWhere(db, shop, query.q);
  if (search) and.push(search);
  return and.length ? { AND: and } : {};
}

function orderFor(query: CustomerListQuery, reverse = false): Prisma.PredictionOrderByWithRelationInput[] {
  const flip = (d: "asc" | "desc"): "asc" | "desc" => (reverse ? (d === "asc" ? "desc" : "asc") : d);
  const dir = flip(query.direction);
  // Tie-break on customerId so pages are stable.
  return query.sort === "customerId" ? [{ customerId: dir }] : [{ [query.sort]: dir }, { customerId: flip("asc") }];
}

/** One page of the shop's customers for the given (validated) query. */
export async function listCustomers(db: Db, shop: string, requested: CustomerListQuery): Promise<CustomerPage> {
  // Tier names come from the shop's tier rules (a full scan of predictions per request would cost
  // ~100k index entries at 100k customers). A tier in the URL that is neither one of them nor on any
  // prediction (one indexed probe) is reported and ignored, never shown as selected; a tier only on
  // predictions (rules renamed since the last run) stays selectable.
  const settings = await getSettings(db, shop);
  const tiers = settings.tierRules.map((r) => r.name);
  let unknownTier: string | null = null;
  if (requested.tier && !tiers.includes(requested.tier)) {
    if (await hasPredictionInTier(db, shop, requested.tier)) tiers.push(requested.tier);
    else unknownTier = requested.tier;
  }
  const query = unknownTier ? { ...requested, tier: undefined } : requested;
  const where = await whereFor(db, shop, query);
  const total = await countPredictions(db, shop, where);
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(query.page, pageCount);
  // Pages in the second half are read from the other end (reversed order, smaller OFFSET), so the
  // deepest page costs no more than the middle one.
  const start = (page - 1) * query.pageSize;
  const end = Math.min(total, start + query.pageSize);
  const fromEnd = start > total / 2;
  const rows = await findPredictions(db, shop, {
    where,
    orderBy: orderFor(query, fromEnd),
    skip: fromEnd ? total - end : start,
    take: Math.max(0, end - start),
    select: rowSelect,
  });
  if (fromEnd) rows.reverse();
  return {
    rows: rows.map(toRow),
    total,
    page,
    pageCount,
    tiers,
    unknownTier,
    horizonDays: Math.round(settings.horizonMonths * 30.4375),
    valueSettings: {
      horizonMonths: settings.horizonMonths,
      grossMargin: settings.grossMargin,
      annualDiscountRate: settings.annualDiscountRate,
    },
  };
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
  "churn_probability_90d",
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
    const batch = await findPredictions(db, shop, {
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
          r.churnProbability === null ? "" : round4(r.churnProbability),
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
