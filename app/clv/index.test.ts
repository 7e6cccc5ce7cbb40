import { describe, expect, it } from "vitest";
import * as clv from "./index";

describe("engine public surface", () => {
  it("exports summaries, models, CLV, uncertainty, metrics, baseline, CSV, RNG and simulator", () => {
    for (const name of [
      "SummaryBuilder",
      "summarize",
      "toRFT",
      "readCsv",
      "parseDay",
      "csvCell",
      "fitBgNbd",
      "fitMbgNbd",
      "fitParetoNbd",
      "fitBgBb",
      "fitGammaGamma",
      "fittedToJSON",
      "fittedFromJSON",
      "customerLifetimeValue",
      "expectedPurchasesFor",
      "clvPredictionInterval",
      "evaluate",
      "normalizedGini",
      "spearman",
      "decileTable",
      "pastSpendBaseline",
      "Rng",
      "simulateTransactions",
    ])
      expect(typeof (clv as Record<string, unknown>)[name], name).toBe("function");
  });

  it("runs a simulated shop end to end through the index only", () => {
    const sim = clv.simulateTransactions({
      customers: 3000,
      seed: 5,
      process: { model: "bgnbd", r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      spend: { p: 6.25, q: 3.74, v: 15.44 },
      startDay: 9862,
      endDay: 9862 + 545,
    });
    const s = clv.summarize(Array.from(sim.customer, String), sim.day, sim.amount, {
      calibrationEnd: 9862 + 272,
      holdoutEnd: 9862 + 545,
      unit: "week",
    });
    const fit = clv.fitBgNbd(clv.toRFT(s));
    expect(fit.diagnostics.converged).toBe(true);
    const pred = clv.expectedPurchasesFor(fit, s.frequency, s.recency, s.T)(s.holdoutLength);
    const m = clv.evaluate(pred, s.holdoutFrequency);
    expect(m.gini).toBeGreaterThan(0.3);
    expect(Math.abs(m.totalErrorRelative)).toBeLessThan(0.25);
    const base = clv.evaluate(clv.pastSpendBaseline(s, { horizon: s.holdoutLength }), s.holdoutSpend);
    expect(base.n).toBe(s.customerIds.length);
  });
});
