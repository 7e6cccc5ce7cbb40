/**
 * Dashboard service: the base's predicted value with its range, tiers, the CLV distribution,
 * revenue concentration, sync/training status and the "not enough data" verdict. Scoped by shop.
 * Everything derived from the predictions comes from the cached aggregates (aggregates.server.ts),
 * so a request is a handful of small reads whatever the number of customers.
 */
import type { Db } from "~/db.server";
import { getShopStatus, type ShopStatus } from "./status.server";
import { parseModelMetrics, type CandidateScore } from "./model-metrics";
import { getAggregates, runIntervalLevel, type PredictionAggregates } from "./aggregates.server";
import { getDataSufficiency, type DataSufficiency } from "./data-sufficiency.server";
import { intervalExplanation, intervalLabel, type IntervalLevel } from "./interval-level";

export { DATA_REQUIREMENTS, getDataSufficiency, type DataSufficiency } from "./data-sufficiency.server";
export type { TierSummary } from "./aggregates.server";

/** A model run as the dashboard describes it. */
export interface DashboardModel {
  id: number;
  champion: string | null;
  reason: string | null;
  finishedAt: string | null;
  champ: CandidateScore | null;
  baseline: CandidateScore | null;
}

/** The prediction-derived figures the dashboard shows (see PredictionAggregates). */
type Figures = Omit<PredictionAggregates, "version" | "modelRunId" | "data" | "builtAt">;

/** Figures of a shop without predictions. */
const NO_FIGURES: Figures = {
  predictions: 0,
  totalValue: 0,
  totalLow: 0,
  totalHigh: 0,
  historicSpend: 0,
  tiers: [],
  histogram: { bins: [], overflow: null },
  lorenz: [],
  gini: 0,
  top20Share: null,
};

/** Everything the dashboard renders. */
export interface DashboardData extends Figures {
  horizonMonths: number;
  status: ShopStatus;
  /** The run whose predictions are shown (without predictions: the latest finished run). */
  lastModel: DashboardModel | null;
  /** A later finished run that was not promoted (its reason says why), if any. */
  newerRun: { id: number; champion: string | null; reason: string | null } | null;
  /** Level of the per-customer intervals of the shown predictions, with its labels. */
  interval: IntervalLevel | null;
  intervalLabel: string;
  intervalExplanation: string;
  /** When the aggregates were computed from the predictions (null without predictions). */
  aggregatesAt: string | null;
  data: DataSufficiency;
}

const FINISHED = ["succeeded", "completed"];
const runSelect = { id: true, champion: true, reason: true, finishedAt: true, metrics: true } as const;

/** Loads the dashboard for a shop. */
export async function getDashboard(db: Db, shop: string): Promise<DashboardData> {
  const [settings, agg, status, latest] = await Promise.all([
    db.settings.findUnique({ where: { shop }, select: { horizonMonths: true } }),
    getAggregates(db, shop),
    getShopStatus(db, shop),
    db.modelRun.findFirst({ where: { shop, status: { in: FINISHED } }, orderBy: { id: "desc" }, select: runSelect }),
  ]);
  const servingId = agg?.modelRunId ?? null;
  const [serving, interval, data] = await Promise.all([
    servingId === null || servingId === latest?.id
      ? latest
      : db.modelRun.findFirst({ where: { shop, id: servingId }, select: runSelect }),
    servingId === null ? null : runIntervalLevel(db, shop, servingId, async () => agg!.predictions),
    agg ? agg.data : getDataSufficiency(db, shop),
  ]);
  const metrics = serving ? parseModelMetrics(serving.metrics, serving.champion) : null;
  return {
    horizonMonths: settings?.horizonMonths ?? 12,
    ...NO_FIGURES,
    ...(agg && {
      predictions: agg.predictions,
      totalValue: agg.totalValue,
      totalLow: agg.totalLow,
      totalHigh: agg.totalHigh,
      historicSpend: agg.historicSpend,
      tiers: agg.tiers,
      histogram: agg.histogram,
      lorenz: agg.lorenz,
      gini: agg.gini,
      top20Share: agg.top20Share,
    }),
    status,
    lastModel: serving && {
      id: serving.id,
      champion: serving.champion,
      reason: serving.reason,
      finishedAt: serving.finishedAt?.toISOString() ?? null,
      champ: metrics?.candidates.find((c) => c.isChampion) ?? null,
      baseline: metrics?.candidates.find((c) => c.isBaseline) ?? null,
    },
    newerRun:
      latest && serving && latest.id > serving.id
        ? { id: latest.id, champion: latest.champion, reason: latest.reason }
        : null,
    interval,
    intervalLabel: intervalLabel(interval),
    intervalExplanation: intervalExplanation(interval),
    aggregatesAt: agg?.builtAt ?? null,
    data,
  };
}
