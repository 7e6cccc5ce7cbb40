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

/** The smallest "round" step (1, 2, 2.5 or 5 × 10^k) at least `x` (x > 0). */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/**
 * Re-bins a fine histogram (many equal bins, from `clvHistogram`) into about `target` bins with
 * round edges ($0–$25, $25–$50, …) after multiplying every value by `factor` (e.g. profit →
 * revenue). Each fine bin's customers go to the round bin holding its midpoint, so counts are
 * exact up to half a fine bin. Values above the fine bins' top stay in the open last bin.
 */
export function niceHistogram(
  fine: { bins: HistogramBin[]; overflow: HistogramBin | null },
  factor: number,
  target = 20,
): { bins: HistogramBin[]; overflow: HistogramBin | null } {
  if (fine.bins.length === 0) return { bins: [], overflow: null };
  const top = fine.bins[fine.bins.length - 1].to * factor;
  const width = niceStep(top / target);
  const n = Math.max(1, Math.ceil(top / width - 1e-9));
  const bins: HistogramBin[] = Array.from({ length: n }, (_, i) => ({
    from: i * width,
    to: (i + 1) * width,
    count: 0,
  }));
  for (const b of fine.bins) {
    const mid = ((b.from + b.to) / 2) * factor;
    bins[Math.min(n - 1, Math.max(0, Math.floor(mid / width)))].count += b.count;
  }
  const overflow = fine.overflow
    ? { from: n * width, to: Math.max(n * width, fine.overflow.to * factor), count: fine.overflow.count }
    : null;
  return { bins, overflow };
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

/** Realised LTV and retention of one first-order-month cohort. */
export interface Cohort {
  /** "YYYY-MM" of the customers' first order (UTC). */
  month: string;
  customers: number;
  /** Average cumulative revenue per customer at the end of month 0, 1, 2, … since the first order; only months fully observed. */
  cumulative: number[];
  /**
   * Share of the cohort's customers who ordered in month 1, 2, … after the month of their first
   * order (index 0 = month 1); only months fully observed.
   */
  retention: number[];
}

/**
 * Groups customers by the month of their first order and returns, per cohort, the average
 * cumulative revenue per customer and the share of customers ordering again, by months since that
 * first order. Months that have not fully elapsed by `asOf` are left out so incomplete periods
 * never look like a drop. Linear in the orders (typed arrays; ~70k orders in a few ms).
 */
export function cohortCurves(orders: Iterable<CohortOrder>, asOf: Date): Cohort[] {
  const cust: string[] = [];
  const month: number[] = [];
  const revenue: number[] = [];
  const first = new Map<string, number>();
  for (const o of orders) {
    const m = monthIndex(o.processedAt);
    cust.push(o.customerId);
    month.push(m);
    revenue.push(o.revenue);
    const prev = first.get(o.customerId);
    if (prev === undefined || m < prev) first.set(o.customerId, m);
  }
  const nowIdx = monthIndex(asOf);
  const sizes = new Map<number, number>();
  for (const m of first.values()) sizes.set(m, (sizes.get(m) ?? 0) + 1);
  const sums = new Map<number, Float64Array>();
  const active = new Map<number, Float64Array>();
  for (const m of sizes.keys()) {
    const len = Math.max(0, nowIdx - m) + 1;
    sums.set(m, new Float64Array(len));
    active.set(m, new Float64Array(len));
  }
  // A customer counts once per month they ordered in: remember the last (customer, age) counted.
  const seen = new Set<string>();
  for (let i = 0; i < cust.length; i++) {
    const c = first.get(cust[i])!;
    const age = month[i] - c;
    const arr = sums.get(c)!;
    if (age >= arr.length) continue;
    arr[age] += revenue[i];
    const key = `${cust[i]}\u0000${age}`;
    if (!seen.has(key)) {
      seen.add(key);
      active.get(c)![age] += 1;
    }
  }
  const cohorts: Cohort[] = [];
  for (const m of [...sizes.keys()].sort((a, b) => a - b)) {
    const size = sizes.get(m)!;
    const arr = sums.get(m)!;
    const act = active.get(m)!;
    // Completed months: age a is complete when m + a < nowIdx.
    const complete = Math.max(0, nowIdx - m);
    const cumulative: number[] = [];
    const retention: number[] = [];
    let run = 0;
    for (let a = 0; a < complete; a++) {
      run += arr[a];
      cumulative.push(run / size);
      if (a > 0) retention.push(act[a] / size);
    }
    cohorts.push({ month: monthLabel(m), customers: size, cumulative, retention });
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
