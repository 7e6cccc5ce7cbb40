import { describe, expect, it } from "vitest";
import { planHistoryFolds } from "./folds";

const DAY = 86_400_000;

describe("earlier rolling-origin folds", () => {
  it("a 12-month history gets two earlier folds of the backtest horizon, a month apart", () => {
    // 365 days of history, h = 215, evaluation cutoff 150 days after the first order
    const f = planHistoryFolds(0, 150 * DAY, 215, 90);
    expect(f.map((x) => x.cutoff / DAY)).toEqual([120, 90]);
    expect(f.every((x) => x.days === 215)).toBe(true);
  });

  it("a long history gets non-overlapping folds (step = horizon)", () => {
    const f = planHistoryFolds(0, 5 * 365 * DAY, 365, 90);
    expect(f.map((x) => x.cutoff / DAY)).toEqual([4 * 365, 3 * 365]);
  });

  it("no room before the evaluation fold: no earlier folds", () => {
    expect(planHistoryFolds(0, 100 * DAY, 200, 90)).toEqual([]);
  });
});
