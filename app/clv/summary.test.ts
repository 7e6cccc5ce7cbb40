import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dayNumber, parseCsv, parseDay } from "./csv";
import {
  SummaryBuilder,
  compareIds,
  summarize,
  weekOfDay,
  type CustomerSummaries,
  type SummaryOptions,
} from "./summary";

const FIX = path.resolve(__dirname, "../../test/fixtures/clv");
const d = (s: string) => parseDay(s, "date", 0);

/** UT.2 rows (id, date, value), all 2015. */
const UT2: Array<[string, string, number]> = [
  ["1", "2015-01-01", 1],
  ["1", "2015-02-06", 2],
  ["2", "2015-01-01", 2],
  ["3", "2015-01-01", 3],
  ["3", "2015-01-02", 1],
  ["3", "2015-01-05", 5],
  ["4", "2015-01-16", 6],
  ["4", "2015-02-02", 3],
  ["4", "2015-02-05", 3],
  ["5", "2015-01-16", 3],
  ["5", "2015-01-17", 1],
  ["5", "2015-01-18", 8],
  ["6", "2015-02-02", 5],
];

function run(rows: Array<[string, string, number]>, o: SummaryOptions): CustomerSummaries {
  return summarize(
    rows.map((r) => r[0]),
    rows.map((r) => d(r[1])),
    rows.map((r) => r[2]),
    o,
  );
}
const triple = (s: CustomerSummaries) => s.customerIds.map((_, i) => [s.frequency[i], s.recency[i], s.T[i]]);

describe("summaries: lifetimes utility tests (docs/reference/clv-engine.md §3.6)", () => {
  it("UT.1 frequency, recency, T in days", () => {
    const rows: Array<[string, string, number]> = [
      ["1", "2015-02-01", 0],
      ["1", "2015-02-06", 0],
      ["2", "2015-01-01", 0],
      ["3", "2015-01-01", 0],
      ["3", "2015-01-02", 0],
      ["3", "2015-01-05", 0],
    ];
    const s = run(rows, { calibrationEnd: d("2015-02-07"), unit: "day" });
    expect(s.customerIds).toEqual(["1", "2", "3"]);
    expect(triple(s)).toEqual([
      [1, 5, 6],
      [0, 0, 37],
      [2, 4, 37],
    ]);
  });

  it("UT.2 with monetary values (first purchase excluded, same-day summed)", () => {
    const s = run(UT2, { calibrationEnd: d("2015-02-07"), unit: "day" });
    expect(triple(s)).toEqual([
      [1, 36, 37],
      [0, 0, 37],
      [2, 4, 37],
      [2, 20, 22],
      [2, 2, 22],
      [0, 0, 5],
    ]);
    expect(Array.from(s.monetary)).toEqual([2, 0, 3, 3, 4.5, 0]);
    expect(Array.from(s.calibrationSpend)).toEqual([3, 2, 9, 12, 12, 5]);
  });

  it("UT.2 weekly case: calendar weeks (Mon–Sun) collapse into one purchase", () => {
    const s = run(UT2, { calibrationEnd: d("2015-02-07"), unit: "week", period: "calendar-week" });
    expect(triple(s)).toEqual([
      [1, 5, 5],
      [0, 0, 5],
      [1, 1, 5],
      [1, 3, 3],
      [0, 0, 3],
      [0, 0, 0],
    ]);
    // 2015-01-05 was a Monday, 2015-01-04 a Sunday.
    expect(weekOfDay(d("2015-01-05"))).toBe(weekOfDay(d("2015-01-11")));
    expect(weekOfDay(d("2015-01-04"))).toBe(weekOfDay(d("2015-01-05")) - 1);
  });

  it("a calendar week straddling the calibration end is split between calibration and holdout", () => {
    // 2015-02-01 is a Sunday: calibration ends mid-week (Wednesday 2015-02-04)
    const rows: Array<[string, string, number]> = [
      ["a", "2015-01-05", 1],
      ["a", "2015-02-02", 2], // Monday, calibration
      ["a", "2015-02-05", 4], // Thursday, same week, holdout
    ];
    const s = run(rows, {
      calibrationEnd: d("2015-02-04"),
      holdoutEnd: d("2015-02-28"),
      unit: "week",
      period: "calendar-week",
    });
    expect([s.frequency[0], s.recency[0], s.T[0], s.holdoutFrequency[0], s.holdoutSpend[0]]).toEqual([1, 4, 4, 1, 4]);
  });

  it("UT.3 unordered input gives the same result; monetary excludes the first purchase", () => {
    const rows: Array<[string, string, number]> = [
      ["a", "2014-05-21", 25],
      ["a", "2014-03-14", 10],
      ["a", "2014-04-09", 20],
    ];
    const s = run(rows, { calibrationEnd: d("2014-12-31"), unit: "day" });
    expect(s.monetary[0]).toBe(22.5);
    const shuffled = [
      UT2[7],
      UT2[12],
      UT2[0],
      UT2[5],
      UT2[3],
      UT2[10],
      UT2[1],
      UT2[9],
      UT2[2],
      UT2[11],
      UT2[4],
      UT2[8],
      UT2[6],
    ];
    const a = run(UT2, { calibrationEnd: d("2015-02-01"), holdoutEnd: d("2015-02-07"), unit: "day" });
    const b = run(shuffled, { calibrationEnd: d("2015-02-01"), holdoutEnd: d("2015-02-07"), unit: "day" });
    expect(b).toEqual(a);
  });

  it("UT.4 calibration/holdout split", () => {
    const s = run(UT2, { calibrationEnd: d("2015-02-01"), holdoutEnd: d("2015-02-07"), unit: "day" });
    expect(s.customerIds).toEqual(["1", "2", "3", "4", "5"]); // id 6 starts after calibration end
    expect(s.stats.customersExcluded).toBe(1);
    expect(Array.from(s.holdoutFrequency)).toEqual([1, 0, 0, 2, 0]);
    expect(Array.from(s.monetary)).toEqual([0, 0, 3, 0, 4.5]);
    const hoMean = Array.from(s.holdoutSpend).map((v, i) => (s.holdoutFrequency[i] ? v / s.holdoutFrequency[i] : 0));
    expect(hoMean).toEqual([2, 0, 0, 3, 0]);
    expect(s.holdoutLength).toBe(6);
    const s2 = run(UT2, { calibrationEnd: d("2015-02-01"), holdoutEnd: d("2015-02-04"), unit: "day" });
    expect(s2.holdoutFrequency[0]).toBe(0);
    expect(s2.holdoutFrequency[3]).toBe(1);
    expect(s2.stats.rowsAfterEnd).toBe(2);
  });

  it('"all-mean" monetary includes the first purchase', () => {
    const s = run(UT2, { calibrationEnd: d("2015-02-07"), unit: "day", monetary: "all-mean" });
    expect(Array.from(s.monetary)).toEqual([1.5, 2, 3, 4, 4, 5]);
  });
});

describe("refund rule", () => {
  const o: SummaryOptions = { calibrationEnd: d("2015-03-31"), holdoutEnd: d("2015-06-30"), unit: "day" };
  it("nets refunds into their period; a fully refunded period is no purchase", () => {
    const s = run(
      [
        ["a", "2015-01-01", 10],
        ["a", "2015-01-05", 30],
        ["a", "2015-01-05", -30], // cancelled same day
        ["a", "2015-01-09", 20],
        ["a", "2015-01-09", -5], // partial refund same day
      ],
      o,
    );
    expect([s.frequency[0], s.recency[0], s.monetary[0], s.calibrationSpend[0]]).toEqual([1, 8, 15, 25]);
    expect(s.stats.refundRows).toBe(2);
    expect(s.stats.cancelledPeriods).toBe(1);
  });

  it("carries a later refund back to the latest earlier purchase, within its window only", () => {
    const s = run(
      [
        ["a", "2015-01-01", 10],
        ["a", "2015-02-01", 40],
        ["a", "2015-02-10", -40], // cancels the 02-01 order
        ["a", "2015-03-01", 25],
        ["a", "2015-03-20", -5], // reduces 03-01 to 20
        ["a", "2015-04-10", 7],
        ["a", "2015-04-11", -100], // holdout refund: cancels the holdout order only
        ["b", "2015-01-01", 0], // free order: still a purchase
        ["b", "2015-01-03", 0],
      ],
      o,
    );
    expect([s.frequency[0], s.recency[0], s.monetary[0], s.calibrationSpend[0]]).toEqual([1, 59, 20, 30]);
    expect([s.holdoutFrequency[0], s.holdoutSpend[0]]).toEqual([0, 0]);
    expect(s.stats.unmatchedRefundTotal).toBe(93);
    expect([s.frequency[1], s.recency[1], s.monetary[1]]).toEqual([1, 2, 0]);
  });

  it("a refund with nothing before it is dropped and does not start the customer's history", () => {
    const s = run(
      [
        ["a", "2015-01-01", -20],
        ["a", "2015-01-10", 15],
        ["a", "2015-01-17", 5],
      ],
      o,
    );
    expect([s.frequency[0], s.recency[0], s.firstPurchaseDay[0]]).toEqual([1, 7, d("2015-01-10")]);
    expect(s.stats.unmatchedRefundTotal).toBe(20);
  });

  it("excludes a customer whose only calibration purchase was refunded", () => {
    const s = run(
      [
        ["a", "2015-01-01", 10],
        ["a", "2015-01-02", -10],
        ["b", "2015-01-01", 5],
      ],
      o,
    );
    expect(s.customerIds).toEqual(["b"]);
    expect(s.stats.customersExcluded).toBe(1);
  });
});

describe("builder", () => {
  it("rejects bad rows with the line and keeps what was added", () => {
    const b = new SummaryBuilder({ calibrationEnd: 100, unit: "day" });
    b.add("x", 10, 5, 2);
    expect(() => b.add("x", 10.5, 5, 3)).toThrow(/line 3: day/);
    expect(() => b.add("x", 11, Number.NaN, 4)).toThrow(/line 4: amount/);
    expect(() => b.add("", 11, 1, 5)).toThrow(/line 5: customer id/);
    expect(b.rows).toBe(1);
    expect(b.build().customerIds).toEqual(["x"]);
  });

  it("validates options", () => {
    expect(() => new SummaryBuilder({ calibrationEnd: 10, holdoutEnd: 5 })).toThrow(/holdoutEnd/);
    expect(() => new SummaryBuilder({ calibrationEnd: 10, unit: "day", period: "calendar-week" })).toThrow(
      /calendar-week/,
    );
  });

  it("orders ids naturally or by first sight", () => {
    expect(["10", "9", "b", "a", "009", "0"].sort(compareIds)).toEqual(["0", "009", "9", "10", "a", "b"]);
    const s = summarize(["b", "a"], [1, 2], [1, 1], { calibrationEnd: 5, order: "first-seen" });
    expect(s.customerIds).toEqual(["b", "a"]);
  });
});

describe("CDNOW (docs/reference/clv-engine.md §1.2–1.3)", () => {
  const rows = parseCsv(readFileSync(path.join(FIX, "CDNOW_sample.txt"), "utf8"), { delimiter: "whitespace" });
  const build = () => {
    const b = new SummaryBuilder({
      calibrationEnd: dayNumber(1997, 9, 30),
      holdoutEnd: dayNumber(1998, 6, 30),
      unit: "week",
    });
    for (const r of rows)
      b.add(String(Number(r.fields[1])), parseDay(r.fields[2], "date", r.line), Number(r.fields[4]), r.line);
    return b.build();
  };
  const s = build();

  it("reproduces the summary statistics", () => {
    expect(rows.length).toBe(6919);
    expect(s.customerIds.length).toBe(2357);
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
    expect(sum(s.frequency)).toBe(2457);
    expect(s.frequency.filter((x) => x === 0).length).toBe(1411);
    expect(sum(s.holdoutFrequency)).toBe(1882);
    expect(sum(s.holdoutSpend)).toBeCloseTo(70976.39, 6);
    expect(Math.min(...s.T)).toBe(27);
    expect(Math.max(...s.T)).toBeCloseTo(38.857143, 6);
    expect(s.holdoutLength).toBe(39);
    const m = Array.from(s.monetary).filter((_, i) => s.frequency[i] > 0);
    expect(m.length).toBe(946);
    const mean = m.reduce((a, b) => a + b, 0) / m.length;
    const sd = Math.sqrt(m.reduce((a, b) => a + (b - mean) ** 2, 0) / (m.length - 1));
    const sorted = [...m].sort((a, b) => a - b);
    expect(mean).toBeCloseTo(35.078, 3);
    expect(sd).toBeCloseTo(30.284, 3);
    expect(sorted[0]).toBeCloseTo(2.99, 10);
    expect((sorted[472] + sorted[473]) / 2).toBeCloseTo(27.4975, 10);
    expect(sorted[945]).toBeCloseTo(299.634, 3);
    const counts = Array.from({ length: 12 }, (_, k) => s.frequency.filter((x) => x === k).length);
    expect(counts).toEqual([1411, 439, 214, 100, 62, 38, 29, 23, 7, 5, 5, 5]);
  });

  it("equals BTYD's cdnowSummary cbs (x, x.star exact; t_x, T 5e-14; m.x 5e-13)", () => {
    const cbs = parseCsv(readFileSync(path.join(FIX, "btyd_cdnowSummary_cbs.csv"), "utf8")).slice(1);
    expect(cbs.length).toBe(2357);
    let maxT = 0;
    let maxM = 0;
    cbs.forEach((r, i) => {
      expect(s.customerIds[i]).toBe(r.fields[0]);
      expect(s.frequency[i]).toBe(Number(r.fields[1]));
      expect(s.holdoutFrequency[i]).toBe(Number(r.fields[4]));
      maxT = Math.max(maxT, Math.abs(s.recency[i] - Number(r.fields[2])), Math.abs(s.T[i] - Number(r.fields[3])));
      maxM = Math.max(maxM, Math.abs(s.monetary[i] - Number(r.fields[5])));
    });
    expect(maxT).toBeLessThan(5e-14);
    expect(maxM).toBeLessThan(5e-13);
  });

  it("matches the rounded lifetimes summary C", () => {
    const c = parseCsv(readFileSync(path.join(FIX, "cdnow_customers_summary.csv"), "utf8")).slice(1);
    c.forEach((r, i) => {
      expect(s.frequency[i]).toBe(Number(r.fields[1]));
      expect(Math.abs(s.recency[i] - Number(r.fields[2]))).toBeLessThan(0.0043);
      expect(Math.abs(s.T[i] - Number(r.fields[3]))).toBeLessThan(0.0043);
    });
  });

  it("is independent of row order (reversed input)", () => {
    const b = new SummaryBuilder({
      calibrationEnd: dayNumber(1997, 9, 30),
      holdoutEnd: dayNumber(1998, 6, 30),
      unit: "week",
    });
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i];
      b.add(String(Number(r.fields[1])), parseDay(r.fields[2], "date", r.line), Number(r.fields[4]));
    }
    const r = b.build();
    expect(r.customerIds).toEqual(s.customerIds);
    expect(r.frequency).toEqual(s.frequency);
    expect(r.monetary).toEqual(s.monetary);
    expect(r.holdoutSpend).toEqual(s.holdoutSpend);
  });
});
