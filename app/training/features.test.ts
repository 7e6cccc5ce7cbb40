import { describe, expect, it } from "vitest";
import { computeFeatures, fitFeatureSpec, standardise, STATIC_FEATURES, SEQ_LEN, SEQ_DIMS } from "./features";
import { buildOrderTable, OrderInputError, spendInWindow, type OrderRecord } from "./orders";

const D = (s: string) => Date.parse(s + "T12:00:00Z");
const cutoff = Date.parse("2024-06-30T23:59:59.999Z");

const base: OrderRecord[] = [
  {
    customerId: "a",
    processedAt: D("2024-01-05"),
    amount: 100,
    discount: 10,
    productIds: ["p1", "p2"],
    sourceName: "web",
    countryCode: "DE",
    discountCodes: ["X"],
  },
  { customerId: "a", processedAt: D("2024-01-05"), amount: 20, productIds: ["p3"] },
  {
    customerId: "a",
    processedAt: D("2024-03-01"),
    amount: 50,
    refunds: [{ at: D("2024-03-10"), amount: 10 }],
    productIds: ["p1"],
  },
  { customerId: "a", processedAt: D("2024-06-01"), amount: 70, refunds: [{ at: D("2024-07-10"), amount: 70 }] },
  { customerId: "b", processedAt: D("2023-02-01"), amount: 40, sourceName: "pos" },
  { customerId: "b", processedAt: D("2023-05-01"), amount: 60, cancelled: D("2023-05-02") },
];
const future: OrderRecord[] = [
  { customerId: "a", processedAt: D("2024-07-05"), amount: 500 },
  { customerId: "b", processedAt: D("2024-08-01"), amount: 30, refunds: [{ at: D("2024-08-02"), amount: 5 }] },
  { customerId: "c", processedAt: D("2024-09-01"), amount: 80 },
];
const col = (name: string) => STATIC_FEATURES.indexOf(name);

describe("point-in-time features", () => {
  it("computes the BTYD summary with same-day merge and point-in-time refunds", () => {
    const fs = computeFeatures(buildOrderTable(base), cutoff);
    expect(fs.customerIds).toEqual(["a", "b"]);
    const a = 0;
    expect(fs.rft.frequency[a]).toBe(2); // 3 distinct days
    expect(fs.rft.recency[a]).toBeCloseTo((Date.UTC(2024, 5, 1) - Date.UTC(2024, 0, 5)) / 864e5 / 7, 10);
    // 2024-06-01 refund is after the cutoff, so the order still counts 70; March is 50-10.
    expect(fs.rft.monetary[a]).toBeCloseTo((40 + 70) / 2, 10);
    expect(fs.rft.pastSpend[a]).toBeCloseTo(120 + 40 + 70, 10);
    const b = 1;
    expect(fs.rft.frequency[b]).toBe(0); // the second order was cancelled
    expect(fs.static[b * STATIC_FEATURES.length + col("cancel_rate")]).toBeCloseTo(0.5, 6);
    expect(fs.static[a * STATIC_FEATURES.length + col("discount_share")]).toBeCloseTo(10 / 250, 6);
    expect(fs.static[a * STATIC_FEATURES.length + col("log_distinct_products")]).toBeCloseTo(Math.log1p(3), 6);
    // last month of the sequence holds the June order.
    const last = (a * SEQ_LEN + SEQ_LEN - 1) * SEQ_DIMS;
    expect(fs.seq[last]).toBeCloseTo(Math.log1p(70), 5);
  });

  it("never changes when orders, refunds or cancellations after the cutoff are added (no leakage)", () => {
    const before = computeFeatures(buildOrderTable(base), cutoff);
    const withFuture = computeFeatures(buildOrderTable([...base, ...future]), cutoff);
    expect(withFuture.customerIds).toEqual(before.customerIds);
    expect(Array.from(withFuture.static)).toEqual(Array.from(before.static));
    expect(Array.from(withFuture.seq)).toEqual(Array.from(before.seq));
    for (const k of Object.keys(before.rft) as (keyof typeof before.rft)[])
      expect(Array.from(withFuture.rft[k])).toEqual(Array.from(before.rft[k]));
    // A later cancellation of a pre-cutoff order is also invisible at the cutoff.
    const late = base.map((o, i) => (i === 0 ? { ...o, cancelled: D("2024-12-01") } : o));
    expect(Array.from(computeFeatures(buildOrderTable(late), cutoff).static)).toEqual(Array.from(before.static));
  });

  it("labels are net spend in (cutoff, cutoff + horizon]", () => {
    const tab = buildOrderTable([...base, ...future]);
    const y = spendInWindow(tab, ["a", "b", "zz"], cutoff, 60 * 864e5);
    expect(Array.from(y)).toEqual([500, 25, 0]); // b: 30 minus a 5 refund inside the window
  });

  it("standardises with stats fitted on training rows only", () => {
    const fs = computeFeatures(buildOrderTable(base), cutoff);
    const spec = fitFeatureSpec(fs, [0]);
    const z = standardise(fs, spec, [0]);
    for (let j = 0; j < STATIC_FEATURES.length; j++) expect(z.static[j]).toBeCloseTo(0, 6);
    expect(() => standardise(fs, { ...spec, version: "old" })).toThrow(/feature version mismatch/);
  });

  it("rejects bad input naming the row and field", () => {
    expect(() => buildOrderTable([{ customerId: "a", processedAt: new Date("nope"), amount: 1 }])).toThrow(
      OrderInputError,
    );
    expect(() => buildOrderTable([{ customerId: "a", processedAt: 0, amount: Number.NaN }])).toThrow(/row 0: amount/);
  });
});
