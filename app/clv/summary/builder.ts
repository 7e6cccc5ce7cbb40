/**
 * Incremental, order-independent collection of transaction rows in typed arrays (16 bytes per row
 * plus one string per customer) and the `summarize` convenience over arrays.
 */
import { buildSummaries } from "./calibration";
import { resolveOptions, type CustomerSummaries, type SummaryOptions } from "./options";

/**
 * Incremental builder: push rows in any order with `add`, then `build()`.
 * `add` validates its arguments and throws a clear error; nothing already added is lost.
 */
export class SummaryBuilder {
  private cust = new Int32Array(1024);
  private day = new Int32Array(1024);
  private amt = new Float64Array(1024);
  private n = 0;
  private minDay = Infinity;
  private maxDay = -Infinity;
  private readonly index = new Map<string, number>();
  private readonly ids: string[] = [];
  private lastId: string | null = null;
  private lastIdx = -1;
  private readonly opts: Partial<SummaryOptions>;

  /** `options` may be given here or (completed or overridden) at `build`. Validated at `build`. */
  constructor(options: Partial<SummaryOptions> = {}) {
    if (options.calibrationEnd !== undefined) resolveOptions(options as SummaryOptions);
    this.opts = { ...options };
  }

  /** Number of rows added so far. */
  get rows(): number {
    return this.n;
  }

  /** Latest day added (−Infinity when empty). */
  get lastDay(): number {
    return this.maxDay;
  }

  /** Earliest day added (Infinity when empty). */
  get firstDay(): number {
    return this.minDay;
  }

  /**
   * Adds one transaction row. `day` is a day number (see csv.ts `parseDay`), `amount` may be
   * negative (refund). Throws (with the row's 1-based `line` when given) on a non-integer day, a
   * non-finite amount or an empty id; rows already added are kept.
   */
  add(customerId: string, day: number, amount: number, line?: number): void {
    if (!Number.isInteger(day) || Math.abs(day) > 1e7)
      throw new Error(`${where(line)}day must be an integer day number, got ${day}`);
    if (!Number.isFinite(amount)) throw new Error(`${where(line)}amount must be a finite number, got ${amount}`);
    if (customerId === "") throw new Error(`${where(line)}customer id is empty`);
    // Consecutive rows of one customer (sorted input) skip the hash lookup.
    let c = customerId === this.lastId ? this.lastIdx : this.index.get(customerId);
    if (c === undefined) {
      c = this.ids.length;
      // Own copy: an id sliced out of a large input chunk would otherwise keep that chunk alive.
      const own = customerId.length >= 13 ? (customerId + " ").slice(0, -1) : customerId;
      this.index.set(own, c);
      this.ids.push(own);
    }
    this.lastId = customerId;
    this.lastIdx = c;
    if (this.n === this.cust.length) this.grow();
    this.cust[this.n] = c;
    this.day[this.n] = day;
    this.amt[this.n] = amount;
    this.n++;
    if (day < this.minDay) this.minDay = day;
    if (day > this.maxDay) this.maxDay = day;
  }

  private grow(): void {
    const cap = this.cust.length * 2;
    const c = new Int32Array(cap);
    c.set(this.cust);
    const d = new Int32Array(cap);
    d.set(this.day);
    const a = new Float64Array(cap);
    a.set(this.amt);
    this.cust = c;
    this.day = d;
    this.amt = a;
  }

  /** Copies of the raw rows in insertion order (for consumers that need more than summaries). */
  rawRows(): { customerIds: string[]; days: Int32Array; amounts: Float64Array } {
    const ids = this.ids;
    return {
      customerIds: Array.from(this.cust.subarray(0, this.n), (c) => ids[c]),
      days: this.day.slice(0, this.n),
      amounts: this.amt.slice(0, this.n),
    };
  }

  /**
   * Builds the summaries with the constructor's options overridden by `options`; the builder may
   * keep receiving rows and be built again.
   */
  build(options: Partial<SummaryOptions> = {}): CustomerSummaries {
    const o = resolveOptions({ ...this.opts, ...options } as SummaryOptions);
    return buildSummaries(
      this.cust.subarray(0, this.n),
      this.day.subarray(0, this.n),
      this.amt.subarray(0, this.n),
      this.ids,
      o,
    );
  }
}

function where(line?: number): string {
  return line === undefined ? "" : `line ${line}: `;
}

/** Convenience: summaries from arrays of rows (customer ids, day numbers, amounts). */
export function summarize(
  customerIds: ArrayLike<string>,
  days: ArrayLike<number>,
  amounts: ArrayLike<number> | null,
  options: SummaryOptions,
): CustomerSummaries {
  if (customerIds.length !== days.length || (amounts && amounts.length !== days.length)) {
    throw new Error("summarize: customerIds, days and amounts must have the same length");
  }
  const b = new SummaryBuilder(options);
  for (let i = 0; i < days.length; i++) b.add(customerIds[i], days[i], amounts ? amounts[i] : 0, i + 1);
  return b.build();
}
