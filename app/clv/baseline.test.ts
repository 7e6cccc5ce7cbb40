import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pastSpendBaseline } from "./baseline";
import { dayNumber, parseCsv, parseDay } from "./csv";
import { evaluate } from "./metrics";
import { SummaryBuilder } from "./summary";

describe("past-spend baseline", () => {
  it("scales calibration spend by horizon / calibration window, or not at all", () => {
    const s = { calibrationSpend: Float64Array.from([10, 0, -3]), calibrationLength: 20 };
    expect(Array.from(pastSpendBaseline(s, { horizon: 10 }))).toEqual([5, 0, 0]);
    expect(Array.from(pastSpendBaseline(s, { horizon: 10, scaling: "none" }))).toEqual([10, 0, 0]);
    expect(() => pastSpendBaseline(s, { horizon: -1 })).toThrow(/horizon/);
    expect(() => pastSpendBaseline({ ...s, calibrationLength: 0 }, { horizon: 1 })).toThrow(/zero length/);
  });

  it("reproduces the CDNOW reference ranking: Gini ≈ 0.680, Spearman ≈ 0.393 (docs/reference/clv-engine.md §2.9)", () => {
    const rows = parseCsv(readFileSync(path.resolve(__dirname, "../../test/fixtures/clv/CDNOW_sample.txt"), "utf8"), {
      delimiter: "whitespace",
    });
    const b = new SummaryBuilder({
      calibrationEnd: dayNumber(1997, 9, 30),
      holdoutEnd: dayNumber(1998, 6, 30),
      unit: "week",
    });
    for (const r of rows) b.add(r.fields[1], parseDay(r.fields[2], "date", r.line), Number(r.fields[4]));
    const s = b.build();
    const pred = pastSpendBaseline(s, { horizon: s.holdoutLength });
    const m = evaluate(pred, s.holdoutSpend);
    // the reference range over all tie orders is 0.6792–0.6814; our tie rule averages over them
    expect(m.gini).toBeGreaterThan(0.6792);
    expect(m.gini).toBeLessThan(0.6814);
    expect(m.gini).toBeCloseTo(0.68, 2);
    expect(m.spearman).toBeCloseTo(0.393, 3);
    expect(m.actualTotal).toBeCloseTo(70976.39, 6);
    expect(s.calibrationLength).toBeCloseTo(272 / 7, 12);
  });
});
