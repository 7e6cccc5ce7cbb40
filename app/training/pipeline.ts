/**
 * The whole per-shop training run, pure (no DB): plan windows → backtest every candidate →
 * champion rule → retrain the champion on all data → score every customer. The final fit reuses
 * the backtest's evaluation window as its training window and, by default, the backtest's best
 * epoch counts (`finalEpochs`, docs/decisions/0007-training-time.md).
 *
 * Outcomes (`status`):
 * - "promoted": the champion (a model that beat past spend in the backtest, or past spend itself
 *   when nothing did) has a finite final fit; its calibrated scores and artefact replace the
 *   shop's current model.
 * - "not-promoted": training ran but the champion's final fit diverged; the last good model keeps
 *   serving and `scores` holds past-spend scores for a shop that has no model yet.
 * - "fallback": too little data to backtest (reason says which threshold); past-spend scores,
 *   uncalibrated, labelled as such.
 */
import {
  backtestPastSpend,
  endOfDay,
  planWindows,
  runBacktest,
  type BacktestConfig,
  type BacktestResult,
} from "./backtest";
import { buildOrderTable, type OrderRecord, type OrderTable } from "./orders";
import {
  fallbackScores,
  finalFitAndScore,
  type BacktestReuse,
  type CustomerScores,
  type ModelArtefact,
  type TierRule,
} from "./score";
import type { ClvSettings } from "./btyd";
import { initTf } from "./tf";

export interface TrainShopOptions extends BacktestConfig {
  settings: ClvSettings;
  tiers?: TierRule[];
}

export interface TrainShopResult {
  status: "promoted" | "not-promoted" | "fallback";
  reason: string;
  champion: string;
  backtest: Omit<BacktestResult, never> | null;
  scores: CustomerScores;
  artefact: ModelArtefact;
  backend: string;
  timings: { backtestMs: number; finalMs: number; totalMs: number };
}

/** Trains, evaluates and scores one shop's customers. */
export async function trainShop(
  orders: readonly OrderRecord[] | OrderTable,
  o: TrainShopOptions,
): Promise<TrainShopResult> {
  const t0 = Date.now();
  const backend = await initTf();
  const tab = Array.isArray(orders) ? buildOrderTable(orders as readonly OrderRecord[]) : (orders as OrderTable);
  const plan = planWindows(tab, o);
  if ("fallback" in plan) {
    let last = -Infinity;
    for (const t of tab.at) if (t > last) last = t;
    const asOf = o.asOf ?? (Number.isFinite(last) ? endOfDay(last) : Date.now());
    const fb = fallbackScores(tab, asOf, o.settings, o.tiers, await backtestPastSpend(tab, asOf));
    return {
      status: "fallback",
      reason: `Past spend (scaled to the horizon) is served: ${plan.reason}.`,
      champion: "fallback",
      backtest: null,
      ...fb,
      backend,
      timings: { backtestMs: 0, finalMs: 0, totalMs: Date.now() - t0 },
    };
  }
  const bt = await runBacktest(tab, plan, o);
  const { fitted, yEval, evalFeatures, ...backtest } = bt;
  const reuse: BacktestReuse = { train: evalFeatures, yTrain: yEval, bestEpochs: {} };
  for (const [k, t] of Object.entries(fitted.deep) as ["dnn" | "lstm", NonNullable<(typeof fitted.deep)["dnn"]>][]) {
    if (!t.diverged) reuse.bestEpochs[k] = t.bestEpoch;
    t.model.dispose();
  }
  const t1 = Date.now();
  const notPromoted = (reason: string): TrainShopResult => {
    const fb = fallbackScores(tab, plan.asOf, o.settings, o.tiers);
    return {
      status: "not-promoted",
      reason,
      champion: backtest.champion ?? "none",
      backtest,
      ...fb,
      backend,
      timings: { backtestMs: t1 - t0, finalMs: 0, totalMs: Date.now() - t0 },
    };
  };
  if (!backtest.champion) return notPromoted(backtest.reason);
  const champ = backtest.metrics[backtest.champion];
  const fin = await finalFitAndScore(
    tab,
    plan,
    backtest.champion,
    backtest.ensembleWeights,
    o,
    o.settings,
    o.tiers,
    reuse,
    champ ? champ.serving : null,
  );
  if (fin.diverged)
    return notPromoted(`${backtest.champion} diverged in the final fit (non-finite loss or predictions); not promoted`);
  return {
    status: "promoted",
    reason: backtest.reason,
    champion: backtest.champion,
    backtest,
    scores: fin.scores,
    artefact: fin.artefact,
    backend,
    timings: { backtestMs: t1 - t0, finalMs: Date.now() - t1, totalMs: Date.now() - t0 },
  };
}
