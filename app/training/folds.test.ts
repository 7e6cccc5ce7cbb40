import { describe, expect, it } from "vitest";
import { planHistoryFolds, servedIntervalCheck } from "./folds";
import { Rng } from "~/clv/rng";

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

describe("measured coverage of the served interval's procedure", () => {
  // Simulated folds with a known answer: actual = 2 × μ × lognormal noise (half the customers spend
  // nothing); the model predicts μ, so it under-predicts 2× on every fold.
  const fold = (n: number, seed: number, sd: number, cutoff: number, days: number, mult = 4) => {
    const rng = new Rng(seed);
    const pred = new Float64Array(n),
      actual = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      pred[i] = Math.exp(rng.normal() + 3);
      actual[i] = rng.uniform() < 0.5 ? 0 : pred[i] * mult * Math.exp(sd * rng.normal() - (sd * sd) / 2);
    }
    return { pred, actual, cutoff, days, gini: 0 };
  };

  it("replays the procedure one fold earlier and measures it on the evaluation fold it never saw (overlapping folds only: says so)", () => {
    const ev = fold(20_000, 3, 0.8, 400 * DAY, 215);
    const r1 = fold(20_000, 2, 0.8, 370 * DAY, 215),
      r2 = fold(20_000, 1, 0.8, 340 * DAY, 215);
    const c = servedIntervalCheck(400 * DAY, ev.pred, ev.actual, 215, [r1, r2], null)!;
    // stationary folds: the replayed 80 % interval covers 80 % ± 3 points of the evaluation fold
    expect(Math.abs(c.coverage - 0.8)).toBeLessThan(0.03);
    expect(c).toMatchObject({ nominal: 0.8, customers: 20_000, shapeFold: "1970-12-07", levelFold: "1971-01-06" });
    expect(c.measuredFold).toBe("1971-02-05");
    expect(c.overlapDays).toBe(185);
  });

  it("spend that jumps after the level fold shows as under-coverage (it is measured, not assumed)", () => {
    const ev = fold(20_000, 3, 0.5, 400 * DAY, 215, 12);
    const r1 = fold(20_000, 2, 0.5, 370 * DAY, 215);
    const c = servedIntervalCheck(400 * DAY, ev.pred, ev.actual, 215, [r1], null)!;
    expect(c.coverage).toBeLessThan(0.72);
    expect(c.shapeFold).toBe(c.levelFold);
  });

  it("sets the level on a fold whose spend window ends by the measured cutoff, not on an overlapping one", () => {
    const ev = fold(20_000, 3, 0.8, 400 * DAY, 215);
    const overlapping = fold(20_000, 2, 0.8, 370 * DAY, 215);
    const val = fold(20_000, 4, 0.8, 340 * DAY, 60);
    const c = servedIntervalCheck(400 * DAY, ev.pred, ev.actual, 215, [overlapping], val)!;
    expect(c).toMatchObject({ levelFold: "1970-12-07", shapeFold: "1971-01-06", levelDays: 60, shapeDays: 215 });
    expect(c.overlapDays).toBe(0);
    expect(Math.abs(c.coverage - 0.8)).toBeLessThan(0.04);
    // a long history: earlier folds of the full horizon end by the cutoff; the newest sets the level
    const r1 = fold(20_000, 5, 0.8, 185 * DAY, 215),
      r2 = fold(20_000, 6, 0.8, -30 * DAY, 215);
    const l = servedIntervalCheck(400 * DAY, ev.pred, ev.actual, 215, [r1, r2], null)!;
    expect(l).toMatchObject({ levelFold: "1970-07-05", shapeFold: "1969-12-02", overlapDays: 0 });
    expect(Math.abs(l.coverage - 0.8)).toBeLessThan(0.03);
  });

  it("uses the validation fold (disjoint from the evaluation fold) without earlier folds; null with neither", () => {
    const ev = fold(5_000, 3, 0.8, 400 * DAY, 215);
    const val = fold(5_000, 4, 0.8, 340 * DAY, 60);
    const c = servedIntervalCheck(400 * DAY, ev.pred, ev.actual, 215, [], val)!;
    expect(c.overlapDays).toBe(0);
    expect(Math.abs(c.coverage - 0.8)).toBeLessThan(0.04);
    expect(servedIntervalCheck(400 * DAY, ev.pred, ev.actual, 215, [], null)).toBeNull();
  });
});
