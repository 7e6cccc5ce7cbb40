import { describe, expect, it } from "vitest";
import { parseModelMetrics } from "./model-metrics";

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
  it("explains what is wrong instead of throwing", () => {
    expect(parseModelMetrics("{oops", null).problem).toMatch(/not valid JSON/);
    expect(parseModelMetrics(null, null).problem).toMatch(/no metrics/);
    expect(parseModelMetrics("[]", null).problem).toMatch(/not an object/);
    expect(parseModelMetrics("{}", null).problem).toMatch(/no candidate scores/);
  });
});
