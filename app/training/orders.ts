/**
 * Order records as the trainer sees them, and their columnar, point-in-time form.
 * Pure: no I/O. Amounts are in shop currency.
 *
 * Point-in-time rules (no leakage): an order counts only if `processedAt <= cutoff`; a refund
 * counts only if its own timestamp is `<= cutoff`; an order is "cancelled" only if `cancelledAt
 * <= cutoff`. So features computed at a cutoff never read anything that happened after it.
 */

/** One order of one customer. */
export interface OrderRecord {
  /** Customer id (any string; never a name or email). */
  customerId: string;
  /** When the order was placed: epoch milliseconds or a Date. */
  processedAt: number | Date;
  /** Gross order value after discounts, before refunds (Shopify subtotal). */
  amount: number;
  /** Discount amount on the order (>= 0). Default 0. */
  discount?: number;
  /** Refunds with their own timestamps; only those at or before the cutoff are used. */
  refunds?: Array<{ at: number | Date; amount: number }>;
  /** Refunded total without timestamps: treated as refunded at `processedAt`. Ignored if `refunds` is given. */
  refunded?: number;
  /** Cancellation time (epoch ms / Date), or `true` meaning cancelled at `processedAt`. */
  cancelled?: number | Date | boolean | null;
  /** Product ids in the order. */
  productIds?: string[];
  /** Sales channel (Shopify `sourceName`, e.g. "web", "pos"). */
  sourceName?: string | null;
  /** Shipping/billing country code of the order. */
  countryCode?: string | null;
  /** Discount codes used. */
  discountCodes?: string[];
}

/** Orders sorted by (customer, time), with per-customer row ranges. */
export interface OrderTable {
  customerIds: string[];
  /** Row range [start[c], start[c+1]) of customer c. Length customers + 1. */
  start: Int32Array;
  at: Float64Array;
  amount: Float64Array;
  discount: Float64Array;
  /** Refund amounts with timestamps, flattened per order: refundStart[i]..refundStart[i+1]. */
  refundStart: Int32Array;
  refundAt: Float64Array;
  refundAmount: Float64Array;
  /** Cancellation time (Infinity = never cancelled). */
  cancelledAt: Float64Array;
  productIds: string[][];
  sourceName: (string | null)[];
  countryCode: (string | null)[];
  discountCodeCount: Int32Array;
}

const toMs = (v: number | Date): number => (typeof v === "number" ? v : v.getTime());

/** Error for malformed order input: names the field and the (0-based) input row. */
export class OrderInputError extends Error {
  constructor(
    message: string,
    readonly row: number,
    readonly field: string,
  ) {
    super(`order row ${row}: ${field}: ${message}`);
    this.name = "OrderInputError";
  }
}

/** Validates and sorts order records into an `OrderTable`. Throws `OrderInputError` on bad input. */
export function buildOrderTable(orders: readonly OrderRecord[]): OrderTable {
  const n = orders.length;
  for (let i = 0; i < n; i++) {
    const o = orders[i];
    if (typeof o.customerId !== "string" || o.customerId === "")
      throw new OrderInputError("must be a non-empty string", i, "customerId");
    if (!Number.isFinite(toMs(o.processedAt))) throw new OrderInputError("must be a valid date", i, "processedAt");
    if (!Number.isFinite(o.amount)) throw new OrderInputError(`must be a finite number, got ${o.amount}`, i, "amount");
    if (o.discount !== undefined && !(Number.isFinite(o.discount) && o.discount >= 0))
      throw new OrderInputError("must be a finite number >= 0", i, "discount");
  }
  const idx = Array.from({ length: n }, (_, i) => i);
  const atRaw = orders.map((o) => toMs(o.processedAt));
  idx.sort((a, b) => {
    const ca = orders[a].customerId;
    const cb = orders[b].customerId;
    if (ca !== cb) return ca < cb ? -1 : 1;
    return atRaw[a] - atRaw[b] || a - b;
  });
  const customerIds: string[] = [];
  const starts: number[] = [];
  const at = new Float64Array(n);
  const amount = new Float64Array(n);
  const discount = new Float64Array(n);
  const cancelledAt = new Float64Array(n);
  const refundStart = new Int32Array(n + 1);
  const rAt: number[] = [];
  const rAmt: number[] = [];
  const productIds: string[][] = new Array(n);
  const sourceName: (string | null)[] = new Array(n);
  const countryCode: (string | null)[] = new Array(n);
  const discountCodeCount = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const o = orders[idx[k]];
    if (k === 0 || o.customerId !== customerIds[customerIds.length - 1]) {
      customerIds.push(o.customerId);
      starts.push(k);
    }
    at[k] = atRaw[idx[k]];
    amount[k] = o.amount;
    discount[k] = o.discount ?? 0;
    const c = o.cancelled;
    cancelledAt[k] = c === true ? at[k] : c === false || c === null || c === undefined ? Infinity : toMs(c);
    refundStart[k] = rAt.length;
    if (o.refunds) {
      for (const r of o.refunds) {
        rAt.push(toMs(r.at));
        rAmt.push(r.amount);
      }
    } else if (o.refunded) {
      rAt.push(at[k]);
      rAmt.push(o.refunded);
    }
    productIds[k] = o.productIds ?? [];
    sourceName[k] = o.sourceName ?? null;
    countryCode[k] = o.countryCode ?? null;
    discountCodeCount[k] = o.discountCodes?.length ?? 0;
  }
  refundStart[n] = rAt.length;
  starts.push(n);
  return {
    customerIds,
    start: Int32Array.from(starts),
    at,
    amount,
    discount,
    refundStart,
    refundAt: Float64Array.from(rAt),
    refundAmount: Float64Array.from(rAmt),
    cancelledAt,
    productIds,
    sourceName,
    countryCode,
    discountCodeCount,
  };
}

/** Refunded amount of order row `i` known at time `t`. */
export function refundedAsOf(tab: OrderTable, i: number, t: number): number {
  let s = 0;
  for (let r = tab.refundStart[i]; r < tab.refundStart[i + 1]; r++) if (tab.refundAt[r] <= t) s += tab.refundAmount[r];
  return s;
}

/** Net value of order row `i` as known at time `t` (0 if cancelled by then). */
export function netValueAsOf(tab: OrderTable, i: number, t: number): number {
  if (tab.cancelledAt[i] <= t) return 0;
  return Math.max(0, tab.amount[i] - refundedAsOf(tab, i, t));
}

/**
 * What each customer (by id) did in (cutoff, cutoff + horizonMs]: net spend valued as of the end
 * of the window (refunds/cancellations inside it netted), and 1 when they placed an order there
 * that was not cancelled within it (else 0). Unknown ids get 0.
 */
export function windowOutcome(
  tab: OrderTable,
  customerIds: readonly string[],
  cutoff: number,
  horizonMs: number,
): { spend: Float64Array; ordered: Float64Array } {
  const pos = new Map<string, number>();
  tab.customerIds.forEach((c, i) => pos.set(c, i));
  const end = cutoff + horizonMs;
  const spend = new Float64Array(customerIds.length),
    ordered = new Float64Array(customerIds.length);
  for (let k = 0; k < customerIds.length; k++) {
    const c = pos.get(customerIds[k]);
    if (c === undefined) continue;
    for (let i = tab.start[c]; i < tab.start[c + 1]; i++) {
      if (!(tab.at[i] > cutoff && tab.at[i] <= end)) continue;
      spend[k] += netValueAsOf(tab, i, end);
      if (!(tab.cancelledAt[i] <= end)) ordered[k] = 1;
    }
  }
  return { spend, ordered };
}

/** Labels: each customer's net spend in (cutoff, cutoff + horizonMs] (see windowOutcome). */
export function spendInWindow(
  tab: OrderTable,
  customerIds: readonly string[],
  cutoff: number,
  horizonMs: number,
): Float64Array {
  return windowOutcome(tab, customerIds, cutoff, horizonMs).spend;
}

/**
 * Order records from a plain transaction log (positional rows: customer, day number, amount), as
 * read by the CLI. Rows are timestamped at noon UTC of their day. A negative amount is a refund:
 * it is attached (with its own date) to the customer's most recent order on or before that day,
 * or dropped when there is none (counted in `droppedRefunds`).
 */
export function ordersFromTransactions(
  customerIds: readonly string[],
  days: ArrayLike<number>,
  amounts: ArrayLike<number>,
): { orders: OrderRecord[]; droppedRefunds: number } {
  const DAY = 86_400_000;
  const idx = Array.from({ length: customerIds.length }, (_, i) => i).sort((a, b) =>
    customerIds[a] !== customerIds[b]
      ? customerIds[a] < customerIds[b]
        ? -1
        : 1
      : days[a] - days[b] || (amounts[b] >= 0 ? 1 : 0) - (amounts[a] >= 0 ? 1 : 0) || a - b,
  );
  const orders: OrderRecord[] = [];
  let dropped = 0;
  let lastOfCustomer: OrderRecord | null = null;
  let prevId: string | null = null;
  for (const i of idx) {
    if (customerIds[i] !== prevId) {
      prevId = customerIds[i];
      lastOfCustomer = null;
    }
    const at = days[i] * DAY + DAY / 2;
    if (amounts[i] < 0) {
      if (lastOfCustomer) (lastOfCustomer.refunds ??= []).push({ at, amount: -amounts[i] });
      else dropped++;
      continue;
    }
    lastOfCustomer = { customerId: customerIds[i], processedAt: at, amount: amounts[i] };
    orders.push(lastOfCustomer);
  }
  return { orders, droppedRefunds: dropped };
}
