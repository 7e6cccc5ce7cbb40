/**
 * The trainer's side of `horizon-clv evaluate --models dnn,lstm,ensemble` (contract in
 * app/cli/deep-hook.ts). Trains on data up to `calibrationEnd` only: the deep models learn from
 * features at an earlier cutoff with labels up to `calibrationEnd` (backtest.ts
 * `trainingWindow`), then predict spend in (calibrationEnd, holdoutEnd] for each customer.
 * Customers without an order by `calibrationEnd` get 0. Predictions are calibrated like the
 * trainer's candidates: × Σ actual ÷ Σ predicted on the model's held-out validation rows of the
 * calibration period (docs/models/backtest-and-champion.md), so totals are comparable.
 */
import type { DeepEvaluationRequest, DeepModelPredictions } from "~/cli/deep-hook";
import { computeFeatures } from "./features";
import { buildOrderTable, ordersFromTransactions, spendInWindow } from "./orders";
import { endOfDay, trainingWindow } from "./backtest";
import { fitCandidates, validationRows, type CandidateName } from "./candidates";
import { totalScale } from "./calibration";
import { initTf } from "./tf";

const DAY = 86_400_000;

/** Trains the requested deep models on the calibration period and predicts the holdout spend. */
export async function evaluateDeep(req: DeepEvaluationRequest): Promise<DeepModelPredictions[]> {
  const t0 = performance.now();
  await initTf();
  const { orders } = ordersFromTransactions(
    req.transactions.customerIds,
    req.transactions.days,
    req.transactions.amounts,
  );
  const tab = buildOrderTable(orders);
  const cutoff = endOfDay(req.calibrationEnd * DAY);
  const h = req.holdoutEnd - req.calibrationEnd;
  let dataStart = Infinity;
  for (const a of tab.at) dataStart = Math.min(dataStart, a);
  const w = trainingWindow(dataStart, cutoff, h);
  if (w.trainDays < 30)
    throw new Error(
      `the calibration period is too short to train deep models (need ≥ 120 days before ${new Date(cutoff).toISOString().slice(0, 10)})`,
    );
  const train = computeFeatures(tab, w.trainCutoff);
  const yTrain = spendInWindow(tab, train.customerIds, w.trainCutoff, w.trainDays * DAY);
  const target = computeFeatures(tab, cutoff);
  const names = new Set<CandidateName>(req.models);
  if (names.has("ensemble")) ["dnn", "lstm", "btyd"].forEach((n) => names.add(n as CandidateName));
  const t1 = performance.now();
  const fitted = await fitCandidates(
    { train, yTrain, trainDays: w.trainDays, target, targetDays: h },
    { names: [...names], seed: req.seed },
  );
  const fitMs = performance.now() - t1;
  for (const t of Object.values(fitted.deep)) t?.model.dispose();
  const pos = new Map(target.customerIds.map((c, i) => [c, i]));
  return req.models.map((name) => {
    const p = fitted.preds.get(name);
    if (!p) throw new Error(`model ${name} could not be fitted (the ensemble needs at least two working components)`);
    if (p.diverged) throw new Error(`model ${name} diverged (${p.note ?? "non-finite loss"})`);
    const val = validationRows(fitted, name, yTrain);
    const scale = val ? totalScale(val.pred, val.actual) : 1;
    const predictions = Float64Array.from(req.customerIds, (c) => {
      const i = pos.get(c);
      return i === undefined ? 0 : p.spend[i] * scale;
    });
    return {
      name,
      predictions,
      calibrationScale: scale,
      timingsMs: { train: p.trainMs, fitAll: fitMs, total: performance.now() - t0 },
    };
  });
}
