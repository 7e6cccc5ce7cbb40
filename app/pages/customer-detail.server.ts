/**
 * Customer page service: one customer's prediction with its interval, P(alive) history, orders,
 * drivers in plain language and tier history. Everything is looked up by (shop, customer id), so a
 * customer id from another shop simply is not found. No names are stored; the page links to the
 * customer in Shopify instead.
 */
import type { Db } from "~/db.server";
import { getCustomer, parseStoredTags } from "~/models/customers.server";
import { findAliveModel, pAliveHistory, type PAliveHistoryPoint } from "~/presentation/palive-history";
import type { CustomerRow } from "./customer-list.server";
import { runIntervalLevel } from "~/aggregates/dashboard-aggregates.server";
import { countPredictions, getPrediction, listTierHistory } from "~/models/predictions.server";
import { listCustomerOrderDates, listCustomerOrders } from "~/models/orders.server";
import { getModelRun } from "~/models/runs.server";
import { intervalExplanation, intervalLabel, type IntervalLevel } from "~/presentation/interval-level";

/** A driver of the prediction, in plain language. */
export interface Driver {
  phrase: string;
  /** Signed contribution (positive raises the prediction). */
  weight: number;
}

/** Everything the customer page renders. */
export interface CustomerDetail {
  customerId: string;
  /** Link to the customer in the Shopify admin. */
  shopifyUrl: string;
  customer: {
    shopifyCreatedAt: string | null;
    state: string | null;
    countryCode: string | null;
    tags: string[];
    predictedSpendTier: string | null;
    deleted: boolean;
  } | null;
  prediction:
    | (Omit<CustomerRow, "customerId" | "lastOrderAt"> & {
        computedAt: string;
        /** The model's P(no order in the next 90 days) (null: derive it, churn-risk.ts). */
        churnProbability: number | null;
        /** Expected date of the next order (null: none expected within the horizon, or not computed). */
        nextOrderAt: string | null;
        lastOrderAt: string | null;
        modelRunId: number;
        champion: string | null;
        horizonDays: number | null;
        /** Level of the CLV interval of the prediction's run, with its labels. */
        interval: IntervalLevel | null;
        intervalLabel: string;
        intervalExplanation: string;
        /** Why the run's model serves (the trainer's reason). */
        modelReason: string | null;
      })
    | null;
  drivers: Driver[];
  orders: Array<{
    id: string;
    name: string | null;
    processedAt: string;
    revenue: number;
    total: number;
    refunded: number;
    currencyCode: string;
    status: string;
    lineItemCount: number;
  }>;
  /** The order table's page (1-based), page count and page size. */
  ordersPage: { page: number; pageCount: number; pageSize: number };
  /**
   * How the order counts on the page relate: every order Shopify has for the customer; the valid
   * ones (not cancelled, test or deleted); the distinct days of valid orders (what the models count:
   * several orders on one day are one purchase).
   */
  orderCounts: { recorded: number; valid: number; purchaseDays: number };
  tierHistory: Array<{ tier: string; clv: number; changedAt: string; modelRunId: number }>;
  pAliveHistory: PAliveHistoryPoint[];
  /** Why there is no P(alive) history, when there is none. */
  pAliveUnavailable: string | null;
}

/** Orders per page of the customer's order table (newest first). */
export const ORDERS_PAGE_SIZE = 20;

/** Admin URL of a customer ("https://admin.shopify.com/store/<handle>/customers/<id>"). */
export function shopifyCustomerUrl(shop: string, customerId: string): string {
  const handle = shop.replace(/\.myshopify\.com$/i, "");
  return `https://admin.shopify.com/store/${encodeURIComponent(handle)}/customers/${encodeURIComponent(customerId)}`;
}

/** Parses a prediction's drivers JSON, strongest first; malformed entries are skipped. */
export function parseDrivers(json: string | null | undefined): Driver[] {
  if (!json) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(
      (d): d is { phrase: string; weight?: unknown } =>
        !!d && typeof d === "object" && typeof (d as { phrase?: unknown }).phrase === "string",
    )
    .map((d) => ({
      phrase: d.phrase,
      weight: typeof d.weight === "number" && Number.isFinite(d.weight) ? d.weight : 0,
    }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
}

function orderStatus(o: {
  cancelledAt: Date | null;
  test: boolean;
  financialStatus: string | null;
  deletedAt: Date | null;
}): string {
  if (o.deletedAt) return "deleted";
  if (o.test) return "test";
  if (o.cancelledAt) return "cancelled";
  return (o.financialStatus ?? "unknown").toLowerCase();
}

/** Loads one customer of the shop; null when the shop has no trace of that id. */
export async function getCustomerDetail(
  db: Db,
  shop: string,
  customerId: string,
  asOf = new Date(),
  ordersPage = 1,
): Promise<CustomerDetail | null> {
  const [customer, prediction, allOrders, tiers] = await Promise.all([
    getCustomer(db, shop, customerId),
    getPrediction(db, shop, customerId),
    // Every order's date and status (a few fields): counts and P(alive) history need them all.
    listCustomerOrderDates(db, shop, customerId),
    listTierHistory(db, shop, customerId),
  ]);
  if (!customer && !prediction && allOrders.length === 0) return null;
  const pageCount = Math.max(1, Math.ceil(allOrders.length / ORDERS_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(ordersPage) || 1), pageCount);
  const orders = await listCustomerOrders(db, shop, customerId, (page - 1) * ORDERS_PAGE_SIZE, ORDERS_PAGE_SIZE);
  const run = prediction ? await getModelRun(db, shop, prediction.modelRunId) : null;
  const interval = run ? await runIntervalLevel(db, shop, run.id, () => countPredictions(db, shop)) : null;

  let history: PAliveHistoryPoint[] = [];
  let unavailable: string | null = null;
  const purchases = allOrders.filter((o) => !o.test && !o.cancelledAt && !o.deletedAt).map((o) => o.processedAt);
  const purchaseDays = new Set(purchases.map((d) => d.toISOString().slice(0, 10))).size;
  if (!run) unavailable = "No trained model for this customer yet.";
  else if (!purchases.length) unavailable = "This customer has no valid orders.";
  else {
    let artefact: unknown = null;
    try {
      artefact = run.artefact ? JSON.parse(run.artefact) : null;
    } catch {
      artefact = null;
    }
    const model = findAliveModel(artefact, run.champion);
    if (model) history = pAliveHistory(model, purchases, asOf);
    else unavailable = "The current model does not define P(alive) over time (no BTYD fit in this run).";
  }

  return {
    customerId,
    shopifyUrl: shopifyCustomerUrl(shop, customerId),
    customer: customer && {
      shopifyCreatedAt: customer.shopifyCreatedAt?.toISOString() ?? null,
      state: customer.state,
      countryCode: customer.countryCode,
      tags: parseStoredTags(customer.tags),
      predictedSpendTier: customer.predictedSpendTier,
      deleted: Boolean(customer.deletedAt),
    },
    prediction: prediction && {
      clv: prediction.clv,
      clvLow: prediction.clvLow,
      clvHigh: prediction.clvHigh,
      pAlive: prediction.pAlive,
      expectedOrders: prediction.expectedOrders,
      historicSpend: prediction.historicSpend,
      orderCount: prediction.orderCount,
      tier: prediction.tier,
      computedAt: prediction.computedAt.toISOString(),
      churnProbability: prediction.churnProbability,
      nextOrderAt: prediction.nextOrderAt?.toISOString() ?? null,
      lastOrderAt: prediction.lastOrderAt?.toISOString() ?? null,
      modelRunId: prediction.modelRunId,
      champion: run?.champion ?? null,
      horizonDays: run?.horizonDays ?? null,
      interval,
      intervalLabel: intervalLabel(interval),
      intervalExplanation: intervalExplanation(interval),
      modelReason: run?.reason ?? null,
    },
    drivers: parseDrivers(prediction?.drivers).slice(0, 6),
    orders: orders.map((o) => ({
      id: o.id,
      name: o.name,
      processedAt: o.processedAt.toISOString(),
      revenue: o.currentSubtotal,
      total: o.total,
      refunded: o.totalRefunded,
      currencyCode: o.currencyCode,
      status: orderStatus(o),
      lineItemCount: o.lineItemCount,
    })),
    ordersPage: { page, pageCount, pageSize: ORDERS_PAGE_SIZE },
    orderCounts: { recorded: allOrders.length, valid: purchases.length, purchaseDays },
    tierHistory: tiers.map((t) => ({
      tier: t.tier,
      clv: t.clv,
      changedAt: t.changedAt.toISOString(),
      modelRunId: t.modelRunId,
    })),
    pAliveHistory: history,
    pAliveUnavailable: unavailable,
  };
}
