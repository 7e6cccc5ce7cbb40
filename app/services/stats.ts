/**
 * Pure summaries for the admin pages (no I/O): CLV histogram, revenue-concentration (Lorenz)
 * curve and realised-LTV cohort curves. Inputs are plain arrays/typed arrays so the services can
 * feed them straight from a database query.
 */

/** One bar of the CLV distribution. */
export interface HistogramBin {
  /** Inclusive lower edge (shop currency). */
  from: number;
  /** Exclusive upper edge; the last bin includes its upper edge. */
  to: number;
  count: number;
}

/**
 * Histogram of non-negative values with `bins` equal-width bins between 0 and the 99th
 * percentile; everything above the 99th percentile falls into a final open "p99+" bin so a few
 * whales do not squash the chart. `sorted` must be ascending.
 */
export function clvHistogram(
  sorted: ArrayLike<number>,
  bins = 20,
): { bins: HistogramBin[]; overflow: HistogramBin | null } {
  const n = sorted.length;
  if (n === 0) return { bins: [], overflow: null };
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const max = sorted[n - 1];
  const p99 = quantileSorted(sorted, 0.99);
  const top = p99 > 0 ? p99 : max > 0 ? max : 1;
  const width = top / bins;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({
    from: i * width,
    to: (i + 1) * width,
    count: 0,
  }));
  let overflow = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.max(0, sorted[i]);
    if (v > top) overflow++;
    else out[Math.min(bins - 1, Math.floor(v / width))].count++;
  }
  return { bins: out, overflow: overflow > 0 ? { from: top, to: max, count: overflow } : null };
}

/** Linear-interpolated quantile of an ascending array (type 7, like numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (q <= 0) return sorted[0];
  if (q >= 1) return sorted[n - 1];
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * (sorted[Math.min(n - 1, lo + 1)] - sorted[lo]);
}

/** A point of the Lorenz curve: the top `customerShare` of customers hold `valueShare` of value. */
export interface LorenzPoint {
  customerShare: number;
  valueShare: number;
}

/**
 * Revenue-concentration curve ordered from the most valuable customer down ("the top 20% of
 * customers hold 65% of predicted value"), sampled at `points` evenly spaced customer shares,
 * plus the Gini coefficient of the values. `sorted` must be ascending and non-negative.
 */
export function concentrationCurve(sorted: ArrayLike<number>, points = 50): { curve: LorenzPoint[]; gini: number } {
  const n = sorted.length;
  if (n === 0) return { curve: [], gini: 0 };
  // Cumulative sums from the top (descending order).
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + Math.max(0, sorted[n - 1 - i]);
  const total = cum[n];
  const curve: LorenzPoint[] = [];
  for (let k = 0; k <= points; k++) {
    const share = k / points;
    const idx = share * n;
    const lo = Math.floor(idx);
    const frac = idx - lo;
    const value = lo >= n ? total : cum[lo] + frac * (cum[lo + 1] - cum[lo]);
    curve.push({ customerShare: share, valueShare: total > 0 ? value / total : share });
  }
  // Gini from the ascending order: G = (2 Σ i·x_i) / (n Σ x) − (n + 1) / n, i = 1..n.
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * Math.max(0, sorted[i]);
  const gini = total > 0 ? (2 * weighted) / (n * total) - (n + 1) / n : 0;
  return { curve, gini };
}

/** One order as needed for cohorts. */
export interface CohortOrder {
  customerId: string;
  processedAt: Date;
  /** Revenue of the order (shop currency, net of returns). */
  revenue: number;
}

/** Realised LTV of one first-order-month cohort. */
export interface Cohort {
  /** "YYYY-MM" of the customers' first order (UTC). */
  month: string;
  customers: number;
  /** Average cumulative revenue per customer at the end of month 0, 1, 2, … since the first order; only months fully observed. */
  cumulative: number[];
}

/**
 * Groups customers by the month of their first order and returns, per cohort, the average
 * cumulative revenue per customer by months since that first order. Months that have not fully
 * elapsed by `asOf` are left out so incomplete periods never look like a drop.
 */
export function cohortCurves(orders: Iterable<CohortOrder>, asOf: Date): Cohort[] {
  const first = new Map<string, number>();
  const list: CohortOrder[] = [];
  for (const o of orders) {
    list.push(o);
    const m = monthIndex(o.processedAt);
    const prev = first.get(o.customerId);
    if (prev === undefined || m < prev) first.set(o.customerId, m);
  }
  const nowIdx = monthIndex(asOf);
  const sums = new Map<number, Float64Array>();
  const sizes = new Map<number, number>();
  for (const m of first.values()) sizes.set(m, (sizes.get(m) ?? 0) + 1);
  for (const m of sizes.keys()) sums.set(m, new Float64Array(Math.max(0, nowIdx - m) + 1));
  for (const o of list) {
    const c = first.get(o.customerId)!;
    const arr = sums.get(c)!;
    const age = monthIndex(o.processedAt) - c;
    if (age < arr.length) arr[age] += o.revenue;
  }
  const cohorts: Cohort[] = [];
  for (const m of [...sizes.keys()].sort((a, b) => a - b)) {
    const size = sizes.get(m)!;
    const arr = sums.get(m)!;
    // Completed months: age a is complete when m + a < nowIdx.
    const complete = Math.max(0, nowIdx - m);
    const cumulative: number[] = [];
    let run = 0;
    for (let a = 0; a < complete; a++) {
      run += arr[a];
      cumulative.push(run / size);
    }
    cohorts.push({ month: monthLabel(m), customers: size, cumulative });
  }
  return cohorts;
}

function monthIndex(d: Date): number {
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function monthLabel(idx: number): string {
  const y = Math.floor(idx / 12);
  const m = (idx % 12) + 1;
  return `${y}-${String(m).padStart(2, "0")}`;
}
