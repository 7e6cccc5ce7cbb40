/**
 * What crosses to and from the training thread, as columns (issue 11).
 *
 * `postMessage` / `workerData` copy with the structured clone algorithm, on the sending and on
 * the receiving thread. Handing 158,876 order objects (each with its own lists) to the training
 * thread cost the web process's main thread a 468 ms stall, and receiving 100,000 customers' scores
 * with per-customer driver objects 225 ms. As columns, numbers travel in typed arrays and texts as
 * UTF-8 bytes with end offsets; every buffer is transferred (moved, not copied), so neither thread
 * pays per object or per character. Nothing here does I/O.
 */
import type { OrderRecord } from "./orders";
import type { CustomerScores } from "./score";

/**
 * Strings of one column as UTF-8 bytes: row i is `bytes[end[i - 1] ?? 0 .. end[i])`, `nulls[i]` = 1
 * marks null. Bytes, not one JS string, so the column is transferred like the numbers: a string
 * is copied when a message is received (a 24-million-character drivers text held the receiving
 * thread for 140 ms), a transferred buffer is not.
 */
export interface StringColumn {
  bytes: Uint8Array;
  end: Int32Array;
  nulls: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Appends strings (or nulls) row by row into a growing UTF-8 buffer. */
export class StringColumnBuilder {
  private bytes = new Uint8Array(1024);
  private readonly end: Int32Array;
  private readonly nulls: Uint8Array;
  private length = 0;
  private rows = 0;

  constructor(readonly capacity: number) {
    this.end = new Int32Array(capacity);
    this.nulls = new Uint8Array(capacity);
  }

  add(value: string | null | undefined): void {
    if (this.rows >= this.capacity) throw new Error(`StringColumnBuilder: more than ${this.capacity} rows`);
    if (value === null || value === undefined) this.nulls[this.rows] = 1;
    else {
      // UTF-8 needs at most 3 bytes per UTF-16 code unit
      const need = this.length + value.length * 3;
      if (need > this.bytes.length) {
        const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
        grown.set(this.bytes.subarray(0, this.length));
        this.bytes = grown;
      }
      this.length += encoder.encodeInto(value, this.bytes.subarray(this.length)).written;
    }
    this.end[this.rows++] = this.length;
  }

  build(): StringColumn {
    if (this.rows !== this.capacity)
      throw new Error(`StringColumnBuilder: ${this.rows} rows added, ${this.capacity} expected`);
    return { bytes: this.bytes.slice(0, this.length), end: this.end, nulls: this.nulls };
  }
}

/** Row i of a string column (null where marked). */
export function stringAt(c: StringColumn, i: number): string | null {
  if (c.nulls[i]) return null;
  return decoder.decode(c.bytes.subarray(i === 0 ? 0 : c.end[i - 1], c.end[i]));
}

/** A string column from an array (every row non-null unless the array holds null). */
export function toStringColumn(values: readonly (string | null | undefined)[]): StringColumn {
  const b = new StringColumnBuilder(values.length);
  for (const v of values) b.add(v);
  return b.build();
}

/** Orders as columns; lists (discount codes, product ids) stay as stored: JSON text per order. */
export interface OrderColumns {
  count: number;
  customerId: StringColumn;
  processedAt: Float64Array;
  amount: Float64Array;
  discount: Float64Array;
  /** Refunded total counted at the order time; used only where the order has no timestamped refunds. */
  refunded: Float64Array;
  /** 1 = the order's refunds are the timestamped ones in refundAt/refundAmount. */
  hasRefunds: Uint8Array;
  /** Refunds of order i: [refundStart[i], refundStart[i + 1]). Length count + 1. */
  refundStart: Int32Array;
  refundAt: Float64Array;
  refundAmount: Float64Array;
  /** Cancellation time in epoch ms; NaN = not cancelled. */
  cancelledAt: Float64Array;
  sourceName: StringColumn;
  countryCode: StringColumn;
  discountCodesJson: StringColumn;
  productIdsJson: StringColumn;
}

/** One order as the builder takes it (what the Order table stores). */
export interface OrderColumnRow {
  customerId: string;
  processedAt: number;
  amount: number;
  discount: number;
  refunded: number;
  /** Timestamped refunds; when given, `refunded` is ignored. */
  refunds?: ReadonlyArray<{ at: number; amount: number }>;
  cancelledAt: number | null;
  sourceName: string | null;
  countryCode: string | null;
  discountCodesJson: string | null;
  productIdsJson: string | null;
}

/** Builds `OrderColumns` for a known number of orders, one `add` at a time (callers yield between). */
export class OrderColumnsBuilder {
  private readonly c: Omit<
    OrderColumns,
    "customerId" | "sourceName" | "countryCode" | "discountCodesJson" | "productIdsJson" | "refundAt" | "refundAmount"
  >;
  private readonly strings: Record<
    "customerId" | "sourceName" | "countryCode" | "discountCodesJson" | "productIdsJson",
    StringColumnBuilder
  >;
  private readonly refundAt: number[] = [];
  private readonly refundAmount: number[] = [];
  private rows = 0;

  constructor(readonly count: number) {
    this.c = {
      count,
      processedAt: new Float64Array(count),
      amount: new Float64Array(count),
      discount: new Float64Array(count),
      refunded: new Float64Array(count),
      hasRefunds: new Uint8Array(count),
      refundStart: new Int32Array(count + 1),
      cancelledAt: new Float64Array(count),
    };
    const s = () => new StringColumnBuilder(count);
    this.strings = {
      customerId: s(),
      sourceName: s(),
      countryCode: s(),
      discountCodesJson: s(),
      productIdsJson: s(),
    };
  }

  add(o: OrderColumnRow): void {
    const i = this.rows++;
    if (i >= this.count) throw new Error(`OrderColumnsBuilder: more than ${this.count} orders`);
    const c = this.c;
    c.processedAt[i] = o.processedAt;
    c.amount[i] = o.amount;
    c.discount[i] = o.discount;
    c.refunded[i] = o.refunded;
    c.cancelledAt[i] = o.cancelledAt ?? NaN;
    c.refundStart[i] = this.refundAt.length;
    if (o.refunds) {
      c.hasRefunds[i] = 1;
      for (const r of o.refunds) {
        this.refundAt.push(r.at);
        this.refundAmount.push(r.amount);
      }
    }
    this.strings.customerId.add(o.customerId);
    this.strings.sourceName.add(o.sourceName);
    this.strings.countryCode.add(o.countryCode);
    this.strings.discountCodesJson.add(o.discountCodesJson);
    this.strings.productIdsJson.add(o.productIdsJson);
  }

  build(): OrderColumns {
    if (this.rows !== this.count)
      throw new Error(`OrderColumnsBuilder: ${this.rows} orders added, ${this.count} expected`);
    this.c.refundStart[this.count] = this.refundAt.length;
    return {
      ...this.c,
      refundAt: Float64Array.from(this.refundAt),
      refundAmount: Float64Array.from(this.refundAmount),
      customerId: this.strings.customerId.build(),
      sourceName: this.strings.sourceName.build(),
      countryCode: this.strings.countryCode.build(),
      discountCodesJson: this.strings.discountCodesJson.build(),
      productIdsJson: this.strings.productIdsJson.build(),
    };
  }
}

/** A stored list (JSON text of an array); anything else reads as an empty list. */
export function parseStoredList(s: string | null | undefined): string[] {
  if (!s) return [];
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** The trainer's records from order columns (run on the training thread). */
export function ordersFromColumns(c: OrderColumns): OrderRecord[] {
  const out = new Array<OrderRecord>(c.count);
  for (let i = 0; i < c.count; i++) {
    const r0 = c.refundStart[i];
    const r1 = c.refundStart[i + 1];
    const refunds: Array<{ at: number; amount: number }> = [];
    for (let r = r0; r < r1; r++) refunds.push({ at: c.refundAt[r], amount: c.refundAmount[r] });
    out[i] = {
      customerId: stringAt(c.customerId, i) ?? "",
      processedAt: c.processedAt[i],
      amount: c.amount[i],
      discount: c.discount[i],
      ...(c.hasRefunds[i] ? { refunds } : { refunded: c.refunded[i] }),
      cancelled: Number.isNaN(c.cancelledAt[i]) ? null : c.cancelledAt[i],
      sourceName: stringAt(c.sourceName, i),
      countryCode: stringAt(c.countryCode, i),
      discountCodes: parseStoredList(stringAt(c.discountCodesJson, i)),
      productIds: parseStoredList(stringAt(c.productIdsJson, i)),
    };
  }
  return out;
}

/** Scores as columns: the numbers as computed, ids, tiers and drivers (JSON per customer) as text. */
export type ScoreColumns = Omit<CustomerScores, "customerIds" | "tier" | "drivers"> & {
  customerId: StringColumn;
  tier: StringColumn;
  driversJson: StringColumn;
};

/** Scores to columns (run on the training thread: the drivers' JSON is written there). */
export function scoresToColumns(s: CustomerScores): ScoreColumns {
  const { customerIds, tier, drivers, ...numbers } = s;
  const d = new StringColumnBuilder(customerIds.length);
  for (let i = 0; i < customerIds.length; i++) d.add(JSON.stringify(drivers[i] ?? []));
  return { ...numbers, customerId: toStringColumn(customerIds), tier: toStringColumn(tier), driversJson: d.build() };
}

/** True for scores in column form. */
export function isScoreColumns(s: CustomerScores | ScoreColumns): s is ScoreColumns {
  return "driversJson" in s;
}

/**
 * The buffers to transfer with a message holding these values: every typed array's buffer, once
 * (a buffer shared by several views is listed once; SharedArrayBuffers are shared, not moved).
 */
export function transferablesOf(...values: unknown[]): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number) => {
    if (v === null || typeof v !== "object" || depth > 3) return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) found.add(v.buffer);
      return;
    }
    if (Array.isArray(v)) return;
    for (const x of Object.values(v)) visit(x, depth + 1);
  };
  for (const v of values) visit(v, 0);
  return [...found];
}
