/**
 * Dashboard service: the base's predicted value with its range, tiers, the CLV distribution,
 * revenue concentration, sync/training status and the "not enough data" verdict. Scoped by shop.
 * Everything derived from the predictions comes from the cached aggregates (app/aggregates/dashboard-aggregates.server.ts),
 * so a request is a handful of small reads whatever the number of customers.
 */
import type { Db } from "~/db.server";
import { getShopStatus, type ShopStatus } from "~/lifecycle/job-progress.server";
import { parseModelMetrics, type CandidateScore } from "~/presentation/model-metrics";
import { getAggregates, runIntervalLevel, type PredictionAggregates } from "~/aggregates/dashboard-aggregates.server";
import { getDataSufficiency, type DataSufficiency } from "~/aggregates/data-sufficiency.server";
import { intervalExplanation, intervalLabel, type IntervalLevel } from "~/presentation/interval-level";
import { niceHistogram, type HistogramBin } from "~/presentation/stats";
import { totalInterval } from "~/presentation/total-interval";
import { viewFactors, type ValueView } from "~/presentation/value-view";
import { COMPLETED_RUN_STATUS, findModelRunBrief } from "~/models/runs.server";
import { readValueSettings } from "~/models/shops.server";

export { DATA_REQUIREMENTS, getDataSufficiency, type DataSufficiency } from "~/aggregates/data-sufficiency.server";

/** A model run as the dashboard describes it. */
export interface DashboardModel {
  id: number;
  champion: string | null;
  reason: string | null;
  finishedAt: string | null;
  champ: CandidateScore | null;
  baseline: CandidateScore | null;
}

/** A tier row in the chosen view (revenue or profit), with the tier total's own interval. */
export interface DashboardTier {
  tier: string;
  customers: number;
  value: number;
  /** Interval of the tier's total (total-interval.ts); null when the model gives none. */
  range: { low: number; high: number } | null;
  valueShare: number;
}

/** The prediction-derived figures the dashboard shows, in the chosen view (see PredictionAggregates). */
interface Figures {
  predictions: number;
  /** Predicted value of every customer over the horizon (revenue or profit, see `view`). */
  totalValue: number;
  /** Interval of the total itself (not a sum of per-customer intervals); null without intervals. */
  totalRange: { low: number; high: number } | null;
  /** Recorded revenue (profit view: × gross margin). */
  historicValue: number;
  tiers: DashboardTier[];
  histogram: { bins: HistogramBin[]; overflow: HistogramBin | null };
  lorenz: PredictionAggregates["lorenz"];
  gini: number;
  top20Share: number | null;
}

/** Figures of a shop without predictions. */
const NO_FIGURES: Figures = {
  predictions: 0,
  totalValue: 0,
  totalRange: null,
  historicValue: 0,
  tiers: [],
  histogram: { bins: [], overflow: null },
  lorenz: [],
  gini: 0,
  top20Share: null,
};

/** Everything the dashboard renders. */
export interface DashboardData extends Figures {
  horizonMonths: number;
  /** Revenue (default) or profit; the settings that convert one into the other. */
  view: ValueView;
  grossMargin: number;
  annualDiscountRate: number;
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

const FINISHED = [COMPLETED_RUN_STATUS];

/** Loads the dashboard for a shop. */
export async function getDashboard(db: Db, shop: string, view: ValueView = "revenue"): Promise<DashboardData> {
  const [settingsRow, agg, status, latest] = await Promise.all([
    readValueSettings(db, shop),
    getAggregates(db, shop),
    getShopStatus(db, shop),
    findModelRunBrief(db, shop, { statuses: FINISHED }),
  ]);
  const servingId = agg?.modelRunId ?? null;
  const [serving, interval, data] = await Promise.all([
    servingId === null || servingId === latest?.id ? latest : findModelRunBrief(db, shop, { id: servingId }),
    servingId === null ? null : runIntervalLevel(db, shop, servingId, async () => agg!.predictions),
    agg ? agg.data : getDataSufficiency(db, shop),
  ]);
  const metrics = serving ? parseModelMetrics(serving.metrics, serving.champion) : null;
  const settings = {
    horizonMonths: settingsRow?.horizonMonths ?? 12,
    grossMargin: settingsRow?.grossMargin ?? 0.3,
    annualDiscountRate: settingsRow?.annualDiscountRate ?? 0.1,
  };
  const f = viewFactors(view, settings);
  const scaled = (r: { low: number; high: number } | null) =>
    r && { low: r.low * f.predicted, high: r.high * f.predicted };
  return {
    ...settings,
    view,
    ...NO_FIGURES,
    ...(agg && {
      predictions: agg.predictions,
      totalValue: agg.totalValue * f.predicted,
      totalRange: scaled(totalInterval(agg.totalValue, agg.sumSquaredWidths, interval)),
      historicValue: agg.historicSpend * f.historic,
      tiers: agg.tiers.map((t) => ({
        tier: t.tier,
        customers: t.customers,
        value: t.value * f.predicted,
        range: scaled(totalInterval(t.value, t.sumSquaredWidths, interval)),
        valueShare: t.valueShare,
      })),
      histogram: niceHistogram(agg.histogram, f.predicted, 20),
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
