/**
 * Purchase periods of one customer: week keys, order-independent period totals and the refund
 * rule (rules 1–3 in ../summary.ts) applied to a window of periods.
 */
import type { SummaryStats } from "./options";

/** Monday-based week index of a day number (day 0 = 1970-01-01 was a Thursday). */
export function weekOfDay(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** In-place ascending insertion sort (small arrays). */
export function insertionSort(a: Float64Array): void {
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

/** Sum of the first n values in ascending order (sorts them in place): independent of input row order. */
export function sumSorted(a: Float64Array, n: number): number {
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
export function applyRefunds(
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
