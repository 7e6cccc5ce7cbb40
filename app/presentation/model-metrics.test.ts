import { describe, expect, it } from "vitest";
import { parseModelMetrics, servedCoverageSentence, servingScaleSentence } from "./model-metrics";

describe("parseModelMetrics", () => {
  it("reads the trainer's format: candidates keyed by name, engine decile tables", () => {
    const rows = Array.from({ length: 10 }, (_, b) => ({
      bucket: b,
      count: 10,
      predMean: b * 10,
      labelMean: b * 9,
      decileMape: 0.1,
    }));
    const json = JSON.stringify({
      status: "promoted",
      candidates: {
        bgnbd_gg: {
          gini: 0.6,
          decileMape: 0.2,
          spearman: 0.5,
          mae: 12,
          topDecileCapture: 0.4,
          deciles: { rows, method: "qcut" },
        },
        ziln: null,
        baseline: {
          gini: 0.5,
          decileMape: 0.3,
          spearman: 0.45,
          mae: 14,
          topDecileCapture: 0.35,
          deciles: { rows, method: "qcut" },
        },
      },
    });
    const v = parseModelMetrics(json, "bgnbd_gg");
    expect(v.problem).toBeNull();
    expect(v.candidates.map((c) => [c.name, c.isChampion, c.isBaseline])).toEqual([
      ["bgnbd_gg", true, false],
      ["baseline", false, true],
    ]);
    expect(v.decilesModel).toBe("bgnbd_gg");
    expect(v.deciles[0]).toEqual({ decile: 1, predicted: 90, actual: 81 }); // highest bucket first
    expect(v.deciles).toHaveLength(10);
  });
  it("reads calibration, interval coverage, folds and churn metrics, with plain model names", () => {
    const json = JSON.stringify({
      candidates: {
        baseline: {
          gini: 0.7,
          mae: 3,
          predictedTotal: 90,
          actualTotal: 100,
          scale: 0.5,
          intervalCoverage: 0.79,
          intervalNominal: 0.8,
          serving: { scale: 0.62, interval: null },
          servedInterval: {
            coverage: 0.78,
            nominal: 0.8,
            customers: 500,
            shapeFold: "2024-12-01",
            levelFold: "2024-12-01",
            measuredFold: "2025-01-01",
            shapeDays: 365,
            levelDays: 31,
            overlapDays: 0,
          },
          calibration: { ratio: 0.9, deciles: [{ decile: 1, ratio: 1.1 }] },
          folds: [{ role: "validation", cutoff: "2025-01-01", days: 60, gini: 0.6, rawTotalRatio: 2 }],
        },
      },
      churn: { auc: 0.8, brier: 0.1, observedChurnRate: 0.7, meanChurnProbability: 0.68, windowDays: 90 },
    });
    const v = parseModelMetrics(json, "baseline");
    expect(v.candidates[0]).toMatchObject({
      label: "past spend",
      totalRatio: 0.9,
      scale: 0.5,
      intervalCoverage: 0.79,
      intervalNominal: 0.8,
      servingScale: 0.62,
      servedInterval: {
        coverage: 0.78,
        nominal: 0.8,
        shapeFold: "2024-12-01",
        levelFold: "2024-12-01",
        measuredFold: "2025-01-01",
        shapeDays: 365,
        levelDays: 31,
        overlapDays: 0,
      },
    });
    expect(servedCoverageSentence(v.candidates[0])).toBe(
      "The 80 % range (past spend) contained the actual spend of 78 % of customers in the backtest: the range was " +
        "built the way the one in use is, one period earlier — shaped on the 365-day period from 2024-12-01, its " +
        "width set on the 31-day period from 2024-12-01 — and checked on the period from 2025-01-01, which it never saw.",
    );
    const si = v.candidates[0].servedInterval!;
    const overlapping = { ...si, shapeDays: 31, overlapDays: 20 };
    expect(servedCoverageSentence({ label: "x", servedInterval: overlapping })).toMatch(
      /fitted on the 31-day period from 2024-12-01 — .* never saw \(those periods overlap by 20 days\)\.$/,
    );
    expect(servingScaleSentence(v.candidates[0])).toMatch(
      /^past spend: predictions are multiplied by 0\.62× in use\..*used 0\.50×/,
    );
    // older runs without the served figures read as "not recorded"
    const old = parseModelMetrics(JSON.stringify({ candidates: { baseline: { gini: 0.7, scale: 0.5 } } }), "baseline");
    expect(old.candidates[0]).toMatchObject({ scale: 0.5, servingScale: null, servedInterval: null });
    expect(servedCoverageSentence(old.candidates[0])).toBeNull();
    expect(servingScaleSentence(old.candidates[0])).toBeNull();
    expect(v.candidates[0].folds).toEqual([
      { role: "validation", cutoff: "2025-01-01", days: 60, gini: 0.6, rawTotalRatio: 2 },
    ]);
    expect(v.calibration).toEqual([{ decile: 1, ratio: 1.1 }]);
    expect(v.churn).toMatchObject({ auc: 0.8, observedRate: 0.7, meanForecast: 0.68 });
  });
  it("explains what is wrong instead of throwing", () => {
    expect(parseModelMetrics("{oops", null).problem).toMatch(/not valid JSON/);
    expect(parseModelMetrics(null, null).problem).toMatch(/no metrics/);
    expect(parseModelMetrics("[]", null).problem).toMatch(/not an object/);
    expect(parseModelMetrics("{}", null).problem).toMatch(/no candidate scores/);
  });
});
