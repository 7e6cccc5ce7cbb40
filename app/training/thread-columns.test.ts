import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import {
  OrderColumnsBuilder,
  ordersFromColumns,
  parseStoredList,
  scoresToColumns,
  stringAt,
  toStringColumn,
  transferablesOf,
  type OrderColumnRow,
  type StringColumn,
} from "./thread-columns";
import type { CustomerScores } from "./score";

const rows: OrderColumnRow[] = [
  {
    customerId: "gid://shopify/Customer/1",
    processedAt: Date.UTC(2026, 0, 2),
    amount: 40.5,
    discount: 2,
    refunded: 9,
    refunds: [
      { at: Date.UTC(2026, 0, 5), amount: 5 },
      { at: Date.UTC(2026, 1, 1), amount: 1.25 },
    ],
    cancelledAt: null,
    sourceName: "web",
    countryCode: "DE",
    discountCodesJson: '["WELCOME10"]',
    productIdsJson: '["p1","p2"]',
  },
  {
    // an id with a newline, a tab and non-ASCII text: texts travel as offsets, not separators
    customerId: "odd\nid\twith ü",
    processedAt: Date.UTC(2026, 2, 3),
    amount: 0,
    discount: 0,
    refunded: 3.5,
    cancelledAt: Date.UTC(2026, 2, 4),
    sourceName: null,
    countryCode: "",
    discountCodesJson: null,
    productIdsJson: "not json",
  },
  {
    customerId: "3",
    processedAt: Date.UTC(2026, 3, 1),
    amount: 12,
    discount: 0,
    refunded: 0,
    refunds: [],
    cancelledAt: Date.UTC(2026, 3, 1),
    sourceName: "pos",
    countryCode: null,
    discountCodesJson: "[]",
    productIdsJson: '{"not":"a list"}',
  },
];

/** Every row of a string column, null rows as `ifNull`. */
const rowsOf = (c: StringColumn, ifNull = "") => Array.from(c.end, (_, i) => stringAt(c, i) ?? ifNull);

function build(list: OrderColumnRow[]) {
  const b = new OrderColumnsBuilder(list.length);
  for (const r of list) b.add(r);
  return b.build();
}

describe("training-thread columns", () => {
  it("orders come back as the trainer's records, field for field", () => {
    expect(ordersFromColumns(build(rows))).toEqual([
      {
        customerId: "gid://shopify/Customer/1",
        processedAt: Date.UTC(2026, 0, 2),
        amount: 40.5,
        discount: 2,
        refunds: [
          { at: Date.UTC(2026, 0, 5), amount: 5 },
          { at: Date.UTC(2026, 1, 1), amount: 1.25 },
        ],
        cancelled: null,
        sourceName: "web",
        countryCode: "DE",
        discountCodes: ["WELCOME10"],
        productIds: ["p1", "p2"],
      },
      {
        customerId: "odd\nid\twith ü",
        processedAt: Date.UTC(2026, 2, 3),
        amount: 0,
        discount: 0,
        refunded: 3.5,
        cancelled: Date.UTC(2026, 2, 4),
        sourceName: null,
        countryCode: "",
        discountCodes: [],
        productIds: [],
      },
      {
        customerId: "3",
        processedAt: Date.UTC(2026, 3, 1),
        amount: 12,
        discount: 0,
        refunds: [],
        cancelled: Date.UTC(2026, 3, 1),
        sourceName: "pos",
        countryCode: null,
        discountCodes: [],
        productIds: [],
      },
    ]);
  });

  it("the builder refuses more or fewer rows than it was sized for", () => {
    const b = new OrderColumnsBuilder(1);
    expect(() => b.build()).toThrow(/0 orders added, 1 expected/);
    b.add(rows[0]!);
    expect(() => b.add(rows[1]!)).toThrow(/more than 1 orders/);
  });

  it("string columns keep nulls, empty strings and any character", () => {
    const values = ["a", null, "", "x\ny", "€", undefined];
    const c = toStringColumn(values);
    expect(values.map((_, i) => stringAt(c, i))).toEqual(["a", null, "", "x\ny", "€", null]);
    expect(rowsOf(c, "?")).toEqual(["a", "?", "", "x\ny", "€", "?"]);
    expect(parseStoredList('[1,"b"]')).toEqual(["1", "b"]);
  });

  it("scores become columns: numbers as computed, drivers as each customer's JSON", () => {
    const s: CustomerScores = {
      customerIds: ["a", "b"],
      clv: Float64Array.of(1.5, 2),
      clvLow: Float64Array.of(1, 1),
      clvHigh: Float64Array.of(2, 3),
      pAlive: Float64Array.of(0.5, 0.9),
      churnProbability: Float64Array.of(NaN, 0.1),
      nextOrderAt: Float64Array.of(NaN, 5),
      expectedOrders: Float64Array.of(1, 2),
      orderValue: Float64Array.of(10, 20),
      historicSpend: Float64Array.of(3, 4),
      orderCount: Int32Array.of(1, 2),
      firstAt: Float64Array.of(1, 2),
      lastAt: Float64Array.of(1, 2),
      tier: ["gold", "bronze"],
      drivers: [[{ phrase: "Ordered 3 times", weight: 0.4 } as never], []],
      interval: { lower: 0.1, upper: 0.9, method: "ziln" } as never,
    };
    const c = scoresToColumns(s);
    expect(rowsOf(c.customerId)).toEqual(["a", "b"]);
    expect(rowsOf(c.tier)).toEqual(["gold", "bronze"]);
    expect(rowsOf(c.driversJson).map((j) => JSON.parse(j))).toEqual(s.drivers);
    expect(c.clv).toBe(s.clv);
    expect(c.interval).toEqual(s.interval);
  });

  it("a message moves the columns' buffers (each once) instead of copying them", () => {
    const cols = build(rows);
    const buffers = transferablesOf(cols);
    // 9 typed arrays of orders (incl. refunds) + 3 per string column (bytes, ends, nulls) × 5
    expect(buffers).toHaveLength(9 + 3 * 5);
    expect(new Set(buffers).size).toBe(buffers.length);
    const shared = new Float64Array(8);
    expect(transferablesOf({ a: shared.subarray(0, 4), b: shared.subarray(4) })).toEqual([shared.buffer]);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(cols, buffers);
    expect(cols.amount.byteLength).toBe(0); // moved: the sender's view is detached
    const got = receiveMessageOnPort(port2)!.message as typeof cols;
    expect(ordersFromColumns(got)).toEqual(ordersFromColumns(build(rows)));
    port1.close();
  });
});
