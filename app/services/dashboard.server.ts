/**
 * Dashboard service: the base's predicted value with its range, tiers, the CLV distribution,
 * revenue concentration, sync/training status and the "not enough data" verdict. Scoped by shop.
 */
import type { Db } from "~/db.server";
import { clvHistogram, concentrationCurve, type HistogramBin, type LorenzPoint } from "./stats";
import { getShopStatus, type ShopStatus } from "./status.server";
import { parseModelMetrics, type CandidateScore } from "./model-metrics";

/**
 * Minimum history for trustworthy per-customer predictions — the trainer's thresholds
 * (app/training/backtest.ts: below them it serves the labelled fallback). Below them the dashboard
 * shows the "not enough data" state.
 */
export const DATA_REQUIREMENTS = {
  /** Customers with at least one valid order. */
  customers: 200,
  /** Days between the first and the last valid order. */
  historyDays: 180,
  /** Customers with two or more orders. */
  repeatCustomers: 50,
} as const;

/** How much usable history the shop has, against DATA_REQUIREMENTS. */
export interface DataSufficiency {
  customers: number;
  repeatCustomers: number;
  historyDays: number;
  enough: boolean;
  /** One plain sentence per unmet requirement. */
  missing: string[];
}

/** Tier summary row. */
export interface TierSummary {
  tier: string;
  customers: number;
  value: number;
  /** Share of total predicted value (0–1). */
  valueShare: number;
}

/** Everything the dashboard renders. */
export interface DashboardData {
  horizonMonths: number;
  predictions: number;
  /** Sum of predicted CLV over the base. */
  totalValue: number;
  /** Sum of the customers' interval bounds (a conservative range for the total). */
  totalLow: number;
  totalHigh: number;
  historicSpend: number;
  tiers: TierSummary[];
  histogram: { bins: HistogramBin[]; overflow: HistogramBin | null };
  lorenz: LorenzPoint[];
  gini: number;
  /** Share of predicted value held by the top 20% of customers. */
  top20Share: number | null;
  status: ShopStatus;
  lastModel: {
    id: number;
    champion: string | null;
    reason: string | null;
    finishedAt: string | null;
    champ: CandidateScore | null;
    baseline: CandidateScore | null;
  } | null;
  data: DataSufficiency;
}

/** Counts usable history: customers with valid orders, repeaters and the span of order dates. */
export async function getDataSufficiency(db: Db, shop: string): Promise<DataSufficiency> {
  const valid = { shop, test: false, cancelledAt: null, deletedAt: null, customerId: { not: null } };
  const [span, rows] = await Promise.all([
    db.order.aggregate({ where: valid, _min: { processedAt: true }, _max: { processedAt: true } }),
    db.$queryRaw<Array<{ customers: bigint | number; repeaters: bigint | number | null }>>`
      SELECT COUNT(*) AS customers, SUM(CASE WHEN n > 1 THEN 1 ELSE 0 END) AS repeaters FROM (
        SELECT "customerId", COUNT(*) AS n FROM "Order"
        WHERE "shop" = ${shop} AND "test" = false AND "cancelledAt" IS NULL AND "deletedAt" IS NULL AND "customerId" IS NOT NULL
        GROUP BY "customerId") AS t`,
  ]);
  const customers = Number(rows[0]?.customers ?? 0);
  const repeatCustomers = Number(rows[0]?.repeaters ?? 0);
  const first = span._min.processedAt;
  const last = span._max.processedAt;
  const historyDays = first && last ? Math.floor((last.getTime() - first.getTime()) / 86_400_000) : 0;
  const r = DATA_REQUIREMENTS;
  const missing: string[] = [];
  if (customers < r.customers) missing.push(`${customers.toLocaleString("en-US")} customers with orders; at least ${r.customers} are needed.`);
  if (historyDays < r.historyDays) missing.push(`${historyDays} days of order history; at least ${r.historyDays} are needed.`);
  if (repeatCustomers < r.repeatCustomers) missing.push(`${repeatCustomers} repeat customers; at least ${r.repeatCustomers} are needed.`);
  return { customers, repeatCustomers, historyDays, enough: missing.length === 0, missing };
}

/** Loads the dashboard for a shop. */
export async function getDashboard(db: Db, shop: string): Promise<DashboardData> {
  const [settings, agg, tiers, values, status, lastRun, data] = await Promise.all([
    db.settings.findUnique({ where: { shop } }),
    db.prediction.aggregate({ where: { shop }, _sum: { clv: true, clvLow: true, clvHigh: true, historicSpend: true }, _count: true }),
    db.prediction.groupBy({ by: ["tier"], where: { shop }, _count: true, _sum: { clv: true } }),
    db.prediction.findMany({ where: { shop }, select: { clv: true }, orderBy: { clv: "asc" } }),
    getShopStatus(db, shop),
    db.modelRun.findFirst({ where: { shop, status: { in: ["succeeded", "completed"] } }, orderBy: { id: "desc" } }),
    getDataSufficiency(db, shop),
  ]);
  const total = agg._sum.clv ?? 0;
  const sorted = Float64Array.from(values, (v) => v.clv);
  const { curve, gini } = concentrationCurve(sorted, 50);
  const at20 = curve.find((p) => Math.abs(p.customerShare - 0.2) < 1e-9);
  const metrics = lastRun ? parseModelMetrics(lastRun.metrics, lastRun.champion) : null;
  return {
    horizonMonths: settings?.horizonMonths ?? 12,
    predictions: agg._count,
    totalValue: total,
    totalLow: agg._sum.clvLow ?? 0,
    totalHigh: agg._sum.clvHigh ?? 0,
    historicSpend: agg._sum.historicSpend ?? 0,
    tiers: tiers
      .map((t) => ({ tier: t.tier, customers: t._count, value: t._sum.clv ?? 0, valueShare: total > 0 ? (t._sum.clv ?? 0) / total : 0 }))
      .sort((a, b) => b.value - a.value),
    histogram: clvHistogram(sorted, 24),
    lorenz: curve,
    gini,
    top20Share: sorted.length ? (at20?.valueShare ?? null) : null,
    status,
    lastModel: lastRun && {
      id: lastRun.id,
      champion: lastRun.champion,
      reason: lastRun.reason,
      finishedAt: lastRun.finishedAt?.toISOString() ?? null,
      champ: metrics?.candidates.find((c) => c.isChampion) ?? null,
      baseline: metrics?.candidates.find((c) => c.isBaseline) ?? null,
    },
    data,
  };
}
