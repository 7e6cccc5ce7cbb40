import { describe, expect, it } from "vitest";
import { createTranslator } from "~/i18n/i18n";
import { intervalExplanation, intervalLabel, intervalLevelOf } from "./interval-level";

const base = {
  format: "horizon-model-v1",
  featureVersion: "f",
  horizonDays: 365,
  spec: null,
  deep: {},
  btyd: null,
  ensembleWeights: null,
};
const btyd = (cov: boolean) => ({
  bg: { params: {}, logParamCovariance: cov ? [[1]] : null },
  gg: { params: {}, logParamCovariance: cov ? [[1]] : null },
  meanValue: 1,
});

describe("intervalLevelOf", () => {
  it("BTYD with covariances: 5–95 %, bootstrap up to 20k customers, delta above", () => {
    expect(intervalLevelOf({ ...base, champion: "btyd", btyd: btyd(true) }, 20_000)).toEqual({
      lower: 0.05,
      upper: 0.95,
      method: "bootstrap",
    });
    expect(intervalLevelOf({ ...base, champion: "btyd", btyd: btyd(true) }, 20_001)).toEqual({
      lower: 0.05,
      upper: 0.95,
      method: "delta",
    });
    expect(intervalLevelOf({ ...base, champion: "btyd", btyd: btyd(false) }, 100)?.method).toBe("none");
  });
  it("deep champions: ZILN 10/90 %; an ensemble only when a deep component has weight", () => {
    expect(intervalLevelOf({ ...base, champion: "dnn", deep: { dnn: {} } }, 10)).toEqual({
      lower: 0.1,
      upper: 0.9,
      method: "ziln",
    });
    expect(
      intervalLevelOf(
        { ...base, champion: "ensemble", deep: { lstm: {} }, ensembleWeights: { lstm: 0.4, btyd: 0.6 } },
        10,
      )?.method,
    ).toBe("ziln");
    expect(
      intervalLevelOf({ ...base, champion: "ensemble", deep: { lstm: {} }, ensembleWeights: { lstm: 0, btyd: 1 } }, 10)
        ?.method,
    ).toBe("none");
  });
  it("fallback and baseline have none; a recorded level wins; unknown formats are unknown", () => {
    expect(intervalLevelOf({ ...base, champion: "fallback" }, 10)?.method).toBe("none");
    expect(intervalLevelOf({ ...base, champion: "baseline" }, 10)?.method).toBe("none");
    expect(
      intervalLevelOf(
        { ...base, champion: "dnn", deep: { dnn: {} }, interval: { lower: 0.025, upper: 0.975, method: "ziln" } },
        10,
      ),
    ).toEqual({ lower: 0.025, upper: 0.975, method: "ziln" });
    expect(intervalLevelOf({ unit: "week", models: [] }, 10)).toBeNull();
    expect(intervalLevelOf(null, 10)).toBeNull();
  });
  it("labels say the level", () => {
    expect(intervalLabel({ lower: 0.05, upper: 0.95, method: "delta" })).toBe("90 % interval");
    expect(intervalLabel({ lower: 0.1, upper: 0.9, method: "ziln" })).toBe("80 % interval");
    expect(intervalLabel({ lower: null, upper: null, method: "none" })).toBe("no interval");
    expect(intervalLabel(null)).toMatch(/not recorded/);
    expect(intervalExplanation({ lower: 0.05, upper: 0.95, method: "bootstrap" })).toMatch(
      /5th–95th percentile .*parametric bootstrap/,
    );
    expect(intervalExplanation({ lower: 0.1, upper: 0.9, method: "ziln" })).toMatch(/10th–90th percentile .*ZILN/);
  });
  it("in the shop's language when a page passes its translator", () => {
    const de = createTranslator("de-DE");
    const level = { lower: 0.025, upper: 0.975, method: "delta" } as const;
    expect(intervalLabel(level, de)).toBe("95 %-Intervall");
    expect(intervalExplanation(level, de)).toBe(
      "95 %-Intervall: das 2,5. bis 97,5. Perzentil des CLV unter der Parameterunsicherheit von BG/NBD und Gamma-Gamma (Delta-Methode).",
    );
    expect(intervalLabel(null, de)).toBe("Modellintervall (Niveau nicht erfasst)");
  });
});
