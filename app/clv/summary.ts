/**
 * Transactions → per-customer calibration/holdout summaries (clv-reference §1.2, §3.6 UT.1–UT.5).
 *
 * Pure: rows are pushed into a `SummaryBuilder` (any order, sorted or not) and `build()` returns
 * positional typed arrays plus a parallel `customerIds` array. Memory: 16 bytes per row
 * (customer index, day, amount in growable typed arrays) plus one string per customer.
 *
 * Definitions (lifetimes' `calibration_and_holdout_data`, freq="D"):
 * - Dates are whole days (day numbers, days since 1970-01-01). Calibration = first purchase …
 *   `calibrationEnd` inclusive; holdout = the day after `calibrationEnd` … `holdoutEnd` inclusive.
 *   Rows after `holdoutEnd` are ignored (counted in `stats.rowsAfterEnd`).
 * - Purchase periods (`period`): "day" (default) merges all rows of a customer on one calendar
 *   day into one purchase; "calendar-week" merges Monday–Sunday weeks (lifetimes freq="W").
 * - Time unit (`unit`): "day", or "week" = days/7 at day resolution (lifetimes freq="D",
 *   freq_multiplier=7, the CDNOW setting). With period "calendar-week" times are whole weeks
 *   between the periods' Mondays.
 * - frequency x = number of purchase periods in calibration − 1; recency t_x = last − first
 *   purchase period; T = calibrationEnd's period − first purchase period.
 * - holdoutFrequency = number of purchase periods in the holdout (no "− 1"); holdoutSpend = their
 *   total. Customers whose first purchase is after `calibrationEnd` are excluded (counted).
 * - Monetary value (`monetary`): "repeat-mean" (default; lifetimes and Gamma-Gamma) = mean of the
 *   repeat purchase-period totals, first purchase excluded, 0 when x = 0; "all-mean" = mean of all
 *   calibration purchase-period totals including the first.
 * - calibrationSpend = total of all calibration purchase periods (first purchase included): the
 *   past-spend baseline's input.
 *
 * Refunds / cancellations (negative amounts), applied separately inside calibration and inside
 * the holdout (a holdout refund never changes calibration features, so no leakage):
 * 1. Rows in the same customer and period are netted (summed).
 * 2. A period without negative rows is always a purchase, even when its total is 0 (free orders
 *    count, as in lifetimes; CDNOW has $0 rows).
 * 3. A period containing a refund whose net total is ≤ 0 is not a purchase. Its negative excess
 *    (net < 0: a refund booked on a later day) is carried back to the customer's most recent
 *    earlier purchase period in the same window, reducing its total; a period reduced to ≤ 0 is
 *    cancelled (no longer a purchase) and any remaining excess moves further back. Excess with
 *    nothing left to cancel is dropped and reported in `stats.unmatchedRefundTotal`.
 */

/** Options of the summary builder. */
export interface SummaryOptions {
  /** Last day (inclusive, day number) of the calibration period; T is measured to it. */
  calibrationEnd: number;
  /** Last day (inclusive) of the holdout period. Default: `calibrationEnd` (no holdout). */
  holdoutEnd?: number;
  /** Time unit of recency and T: "day" or "week" (default "week"). */
  unit?: TimeUnit;
  /** What collapses into one purchase: "day" (default) or "calendar-week" (Mon–Sun; needs unit "week"). */
  period?: PurchasePeriod;
  /** Monetary definition (default "repeat-mean"). See the module comment. */
  monetary?: MonetaryDefinition;
  /** Output customer order: "id" (default; natural order, numbers by value) or "first-seen". */
  order?: "id" | "first-seen";
}

export type TimeUnit = "day" | "week";
export type PurchasePeriod = "day" | "calendar-week";
export type MonetaryDefinition = "repeat-mean" | "all-mean";

/** Per-customer summaries, positional; `customerIds[i]` belongs to row i of every array. */
export interface CustomerSummaries {
  customerIds: string[];
  /** Repeat purchase periods in calibration (x). */
  frequency: Float64Array;
  /** t_x in `unit`s. */
  recency: Float64Array;
  /** Age T in `unit`s. */
  T: Float64Array;
  /** Monetary value per `options.monetary`. */
  monetary: Float64Array;
  /** Total calibration spend including the first purchase. */
  calibrationSpend: Float64Array;
  /** Purchase periods in the holdout. */
  holdoutFrequency: Float64Array;
  /** Total holdout spend. */
  holdoutSpend: Float64Array;
  /** Day number of each customer's first purchase. */
  firstPurchaseDay: Int32Array;
  /** Day number of the last calibration purchase. */
  lastPurchaseDay: Int32Array;
  /** Length of the holdout window in `unit`s (0 when there is none). */
  holdoutLength: number;
  /** Length of the calibration window (earliest first purchase → calibrationEnd) in `unit`s. */
  calibrationLength: number;
  options: Required<SummaryOptions>;
  stats: SummaryStats;
}

/** Bookkeeping of what the builder saw and dropped. */
export interface SummaryStats {
  rows: number;
  customersSeen: number;
  /** Customers with no calibration purchase (first purchase after calibrationEnd, or all refunded). */
  customersExcluded: number;
  rowsAfterEnd: number;
  refundRows: number;
  /** Purchase periods cancelled by refunds (netted to ≤ 0). */
  cancelledPeriods: number;
  /** Refund amount (positive number) that had no earlier purchase to cancel. */
  unmatchedRefundTotal: number;
}

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
    if (!Number.isInteger(day) || Math.abs(day) > 1e7) throw new Error(`${where(line)}day must be an integer day number, got ${day}`);
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
    return buildSummaries(this.cust.subarray(0, this.n), this.day.subarray(0, this.n), this.amt.subarray(0, this.n), this.ids, o);
  }
}

function where(line?: number): string {
  return line === undefined ? "" : `line ${line}: `;
}

function resolveOptions(o: SummaryOptions): Required<SummaryOptions> {
  if (!Number.isInteger(o.calibrationEnd)) throw new Error("calibrationEnd must be an integer day number (set it in the constructor or at build)");
  const holdoutEnd = o.holdoutEnd ?? o.calibrationEnd;
  if (!Number.isInteger(holdoutEnd) || holdoutEnd < o.calibrationEnd) {
    throw new Error("holdoutEnd must be an integer day number on or after calibrationEnd");
  }
  const unit = o.unit ?? "week";
  const period = o.period ?? "day";
  if (unit !== "day" && unit !== "week") throw new Error(`unit must be "day" or "week", got ${String(unit)}`);
  if (period !== "day" && period !== "calendar-week") throw new Error(`period must be "day" or "calendar-week", got ${String(period)}`);
  if (period === "calendar-week" && unit !== "week") throw new Error('period "calendar-week" needs unit "week"');
  const monetary = o.monetary ?? "repeat-mean";
  if (monetary !== "repeat-mean" && monetary !== "all-mean") throw new Error(`monetary must be "repeat-mean" or "all-mean"`);
  return { calibrationEnd: o.calibrationEnd, holdoutEnd, unit, period, monetary, order: o.order ?? "id" };
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

/** Monday-based week index of a day number (day 0 = 1970-01-01 was a Thursday). */
export function weekOfDay(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** Natural id comparison: digit-only ids by numeric value, otherwise code-unit order. */
export function compareIds(a: string, b: string): number {
  const da = /^\d+$/.test(a);
  const db = /^\d+$/.test(b);
  if (da && db) {
    const sa = a.replace(/^0+(?=\d)/, "");
    const sb = b.replace(/^0+(?=\d)/, "");
    if (sa.length !== sb.length) return sa.length - sb.length;
    if (sa !== sb) return sa < sb ? -1 : 1;
  } else if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts customer indices by `compareIds` order. Digit-only ids are compared through precomputed
 * keys (length without leading zeros, then text) so no regex runs inside the comparator.
 */
function sortByIdInPlace(idx: number[], ids: readonly string[]): void {
  const digits = new Uint8Array(ids.length);
  const stripped: string[] = new Array(ids.length);
  for (const c of idx) {
    const id = ids[c];
    let all = id.length > 0;
    for (let k = 0; k < id.length && all; k++) {
      const ch = id.charCodeAt(k);
      if (ch < 48 || ch > 57) all = false;
    }
    digits[c] = all ? 1 : 0;
    if (all) {
      let z = 0;
      while (z < id.length - 1 && id.charCodeAt(z) === 48) z++;
      stripped[c] = z ? id.slice(z) : id;
    }
  }
  idx.sort((a, b) => {
    const da = digits[a];
    if (da !== digits[b]) return da ? -1 : 1;
    if (da) {
      const sa = stripped[a];
      const sb = stripped[b];
      if (sa.length !== sb.length) return sa.length - sb.length;
      if (sa !== sb) return sa < sb ? -1 : 1;
    }
    const x = ids[a];
    const y = ids[b];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

function buildSummaries(
  cust: Int32Array,
  day: Int32Array,
  amt: Float64Array,
  ids: readonly string[],
  o: Required<SummaryOptions>,
): CustomerSummaries {
  const n = cust.length;
  const nc = ids.length;
  const calEnd = o.calibrationEnd;
  const hoEnd = o.holdoutEnd;
  const weekly = o.period === "calendar-week";
  const daysPerUnit = o.unit === "week" && !weekly ? 7 : 1; // divide (as lifetimes does), do not multiply by 1/7
  const pkey = weekly ? weekOfDay : (d: number) => d;
  const calEndP = pkey(calEnd);

  // Counting sort by customer.
  const start = new Int32Array(nc + 1);
  for (let i = 0; i < n; i++) start[cust[i] + 1]++;
  for (let c = 0; c < nc; c++) start[c + 1] += start[c];
  const fill = start.slice(0, nc);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[cust[i]]++] = i;

  // Per-customer outputs in first-seen order; reordered at the end.
  const freq = new Float64Array(nc);
  const rec = new Float64Array(nc);
  const age = new Float64Array(nc);
  const mon = new Float64Array(nc);
  const calSpend = new Float64Array(nc);
  const hoFreq = new Float64Array(nc);
  const hoSpend = new Float64Array(nc);
  const firstDay = new Int32Array(nc);
  const lastDay = new Int32Array(nc);
  const keep = new Uint8Array(nc);

  const stats: SummaryStats = {
    rows: n,
    customersSeen: nc,
    customersExcluded: 0,
    rowsAfterEnd: 0,
    refundRows: 0,
    cancelledPeriods: 0,
    unmatchedRefundTotal: 0,
  };

  // Scratch buffers for one customer: sort keys and periods.
  let keys = new Float64Array(64);
  let pk = new Int32Array(64); // period key
  let pd = new Int32Array(64); // first day of the period seen (for day outputs)
  let pt = new Float64Array(64); // period net total
  let pneg = new Uint8Array(64); // period has a negative row
  let ga = new Float64Array(64); // amounts of the open period
  const SHIFT = 4194304; // 2^22 rows per customer max for the packed sort key

  for (let c = 0; c < nc; c++) {
    const s = start[c];
    const e = start[c + 1];
    const m = e - s;
    if (m > SHIFT) throw new Error(`customer ${ids[c]} has more than ${SHIFT} rows`);
    if (keys.length < m) {
      const cap = Math.max(m, keys.length * 2);
      keys = new Float64Array(cap);
      pk = new Int32Array(cap);
      pd = new Int32Array(cap);
      pt = new Float64Array(cap);
      pneg = new Uint8Array(cap);
      ga = new Float64Array(cap);
    }
    // Sort this customer's rows by day (stable via the packed local index); skip if sorted.
    let sorted = true;
    for (let j = 0; j < m; j++) {
      const r = order[s + j];
      keys[j] = day[r] * SHIFT + j;
      if (j > 0 && day[r] < day[order[s + j - 1]]) sorted = false;
    }
    const ks = keys.subarray(0, m);
    if (!sorted) {
      if (m <= 32) insertionSort(ks);
      else ks.sort();
    }
    // Collapse into periods. Amounts of one period are summed in ascending order so the total
    // does not depend on the input row order (floating-point addition is not associative).
    let np = 0;
    let g = 0; // rows in the open period
    for (let j = 0; j < m; j++) {
      const r = order[s + (sorted ? j : ks[j] - Math.floor(ks[j] / SHIFT) * SHIFT)];
      const d = day[r];
      if (d > hoEnd) {
        stats.rowsAfterEnd++;
        continue;
      }
      const a = amt[r];
      if (a < 0) stats.refundRows++;
      const k = pkey(d);
      // Same period and same window (a calendar week straddling calibrationEnd is split).
      if (np > 0 && pk[np - 1] === k && pd[np - 1] <= calEnd === d <= calEnd) {
        ga[g++] = a;
        if (a < 0) pneg[np - 1] = 1;
      } else {
        if (np > 0) pt[np - 1] = sumSorted(ga, g);
        pk[np] = k;
        pd[np] = d;
        pneg[np] = a < 0 ? 1 : 0;
        ga[0] = a;
        g = 1;
        np++;
      }
    }
    if (np > 0) pt[np - 1] = sumSorted(ga, g);
    // Apply the refund rule within calibration and within holdout; compacts in place.
    let nCal = 0;
    while (nCal < np && pd[nCal] <= calEnd) nCal++;
    const keptCal = applyRefunds(pk, pd, pt, pneg, 0, nCal, stats);
    const keptHo = applyRefunds(pk, pd, pt, pneg, nCal, np, stats);
    if (keptCal === 0) continue; // no calibration purchase: excluded
    keep[c] = 1;
    const firstP = pk[0];
    const lastP = pk[keptCal - 1];
    freq[c] = keptCal - 1;
    firstDay[c] = pd[0];
    lastDay[c] = pd[keptCal - 1];
    if (weekly) {
      rec[c] = lastP - firstP;
      age[c] = calEndP - firstP;
    } else {
      rec[c] = (lastP - firstP) / daysPerUnit;
      age[c] = (calEnd - firstP) / daysPerUnit;
    }
    let total = 0;
    for (let j = 0; j < keptCal; j++) total += pt[j];
    calSpend[c] = total;
    if (o.monetary === "all-mean") mon[c] = total / keptCal;
    else if (keptCal > 1) {
      let rep = 0;
      for (let j = 1; j < keptCal; j++) rep += pt[j];
      mon[c] = rep / (keptCal - 1);
    }
    let hs = 0;
    for (let j = nCal; j < nCal + keptHo; j++) hs += pt[j];
    hoFreq[c] = keptHo;
    hoSpend[c] = hs;
  }

  // Output order.
  const outIdx: number[] = [];
  for (let c = 0; c < nc; c++) if (keep[c]) outIdx.push(c);
  stats.customersExcluded = nc - outIdx.length;
  if (o.order === "id") sortByIdInPlace(outIdx, ids);
  const k = outIdx.length;
  const pick = (src: Float64Array) => {
    const out = new Float64Array(k);
    for (let i = 0; i < k; i++) out[i] = src[outIdx[i]];
    return out;
  };
  const pickI = (src: Int32Array) => {
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) out[i] = src[outIdx[i]];
    return out;
  };
  let minFirst = Infinity;
  for (const c of outIdx) if (firstDay[c] < minFirst) minFirst = firstDay[c];
  const calibrationLength = k === 0 ? 0 : weekly ? calEndP - pkey(minFirst) : (calEnd - minFirst) / daysPerUnit;
  const holdoutLength = weekly ? pkey(hoEnd) - calEndP : (hoEnd - calEnd) / daysPerUnit;
  return {
    customerIds: outIdx.map((c) => ids[c]),
    frequency: pick(freq),
    recency: pick(rec),
    T: pick(age),
    monetary: pick(mon),
    calibrationSpend: pick(calSpend),
    holdoutFrequency: pick(hoFreq),
    holdoutSpend: pick(hoSpend),
    firstPurchaseDay: pickI(firstDay),
    lastPurchaseDay: pickI(lastDay),
    holdoutLength,
    calibrationLength,
    options: o,
    stats,
  };
}

function insertionSort(a: Float64Array): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

function sumSorted(a: Float64Array, n: number): number {
  if (n === 1) return a[0];
  const v = a.subarray(0, n);
  if (n <= 32) insertionSort(v);
  else v.sort();
  let t = 0;
  for (let i = 0; i < n; i++) t += v[i];
  return t;
}

/**
 * Refund rule on periods [from, to) (sorted by period): keeps purchases, cancels refunded ones
 * and compacts the kept periods to the front of the range. Returns the number kept.
 */
function applyRefunds(
  pk: Int32Array,
  pd: Int32Array,
  pt: Float64Array,
  pneg: Uint8Array,
  from: number,
  to: number,
  stats: SummaryStats,
): number {
  let top = from; // kept periods are [from, top)
  for (let j = from; j < to; j++) {
    if (!pneg[j] || pt[j] > 0) {
      pk[top] = pk[j];
      pd[top] = pd[j];
      pt[top] = pt[j];
      top++;
      continue;
    }
    stats.cancelledPeriods++;
    let excess = pt[j]; // ≤ 0
    while (excess < 0 && top > from) {
      const t = pt[top - 1] + excess;
      if (t > 0) {
        pt[top - 1] = t;
        excess = 0;
      } else {
        top--;
        stats.cancelledPeriods++;
        excess = t;
      }
    }
    if (excess < 0) stats.unmatchedRefundTotal -= excess;
  }
  return top - from;
}

/** The recency/frequency/age part as the models' `RFTData` (shares the arrays, no copy). */
export function toRFT(s: CustomerSummaries): { frequency: Float64Array; recency: Float64Array; T: Float64Array } {
  return { frequency: s.frequency, recency: s.recency, T: s.T };
}
