import { beforeAll, describe, expect, it } from "vitest";
import { initTf } from "./tf";
import { buildOrderTable } from "./orders";
import { syntheticShopOrders } from "./synthetic";
import { planWindows, runBacktest, type WindowPlan } from "./backtest";
import { discountedMonths, finalFitAndScore, type BacktestReuse } from "./score";
import { loadDeep, predictLogits } from "./deep";
import { computeFeatures, standardise } from "./features";
import { toInputs } from "./candidates";
import { SIGMA_CAP, zilnMean, zilnParams } from "./ziln";

const settings = { horizonMonths: 12, annualDiscountRate: 0.1, grossMargin: 0.3 };
const small = {
  deep: { epochs: 4, batchSize: 128, hidden: [16, 8] },
  lstm: { epochs: 3, rnnUnits: 4, maxTrainRows: 300 },
};

describe("final fit reuses the backtest", () => {
  const tab = buildOrderTable(syntheticShopOrders({ customers: 500, seed: 11 }));
  let plan: WindowPlan;
  let reuse: BacktestReuse;
  beforeAll(async () => {
    await initTf();
    const p = planWindows(tab, {});
    if ("fallback" in p) throw new Error(p.reason);
    plan = p;
    const bt = await runBacktest(tab, plan, { ...small, candidates: ["dnn", "lstm", "btyd"] });
    reuse = {
      train: bt.evalFeatures,
      yTrain: bt.yEval,
      bestEpochs: { dnn: bt.fitted.deep.dnn!.bestEpoch, lstm: bt.fitted.deep.lstm!.bestEpoch },
    };
    for (const t of Object.values(bt.fitted.deep)) t?.model.dispose();
  });

  const epochsRun = async (
    finalEpochs: "backtest" | "search",
    weights: Record<string, number>,
    bestEpochs = reuse.bestEpochs,
  ) => {
    const runs: Record<string, number> = {};
    let stage = "";
    const hooks = {
      onStage: (s: string) => void (stage = s),
      onEpoch: () => void (runs[stage] = (runs[stage] ?? 0) + 1),
    };
    const fin = await finalFitAndScore(
      tab,
      plan,
      "ensemble",
      weights,
      { ...small, finalEpochs, hooks },
      settings,
      undefined,
      { ...reuse, bestEpochs },
    );
    return { runs, fin };
  };

  it("its evaluation window is the final fit's training window", () => {
    expect(reuse.train.cutoff).toBe(plan.asOf - plan.horizonDays * 86_400_000);
    expect(reuse.yTrain.length).toBe(reuse.train.customerIds.length);
  });

  it("trains each deep model for the backtest's best epoch count (backtest), or searches again (search)", async () => {
    expect(reuse.bestEpochs.dnn).toBeGreaterThan(0);
    expect(reuse.bestEpochs.lstm).toBeGreaterThan(0);
    const w = { dnn: 0.5, lstm: 0.3, btyd: 0.2 };
    const { runs, fin } = await epochsRun("backtest", w);
    expect(runs).toEqual({ "training dnn": reuse.bestEpochs.dnn, "training lstm": reuse.bestEpochs.lstm });
    expect(fin.diverged).toBe(false);
    expect(Object.keys(fin.artefact.deep).sort()).toEqual(["dnn", "lstm"]);
    const one = await epochsRun("backtest", w, { dnn: 1, lstm: 1 });
    expect(one.runs).toEqual({ "training dnn": 1, "training lstm": 1 });
    // "search": early stopping with the DNN's default patience 3 cannot stop before the cap of 4 epochs.
    const s = await epochsRun("search", w, { dnn: 1, lstm: 1 });
    expect(s.runs["training dnn"]).toBe(4);
    // Without a reusable count for every deep model, all of them search again.
    const partial = await epochsRun("backtest", w, { dnn: 1 });
    expect(partial.runs["training dnn"]).toBe(4);
  });

  it("does not retrain zero-weight ensemble components", async () => {
    const { runs, fin } = await epochsRun("backtest", { dnn: 0.7, lstm: 0, btyd: 0.3 });
    expect(Object.keys(runs)).toEqual(["training dnn"]);
    expect(Object.keys(fin.artefact.deep)).toEqual(["dnn"]);
    expect(fin.artefact.ensembleWeights).toEqual({ dnn: 0.7, btyd: 0.3 });
    expect(fin.scores.clv.every(Number.isFinite)).toBe(true);
  });

  it("is deterministic with a fixed seed", async () => {
    const a = await epochsRun("backtest", { dnn: 0.6, btyd: 0.4 });
    const b = await epochsRun("backtest", { dnn: 0.6, btyd: 0.4 });
    expect(Array.from(a.fin.scores.clv)).toEqual(Array.from(b.fin.scores.clv));
  });

  it("scores an LSTM champion through its cached embedding exactly as the full network does", async () => {
    const fin = await finalFitAndScore(tab, plan, "lstm", null, small, settings, undefined, reuse);
    const model = loadDeep(fin.artefact.deep.lstm!);
    const x = toInputs(standardise(computeFeatures(tab, plan.asOf), fin.artefact.spec!));
    const spend = zilnMean(zilnParams(predictLogits(model, "lstm", x), SIGMA_CAP));
    model.dispose();
    const perWindow = discountedMonths(settings) / (plan.horizonDays / (365.25 / 12));
    for (let i = 0; i < spend.length; i++) expect(fin.scores.clv[i]).toBeCloseTo(spend[i] * perWindow, 3);
    expect(fin.scores.drivers.every((d) => d.length > 0)).toBe(true);
  });
});
