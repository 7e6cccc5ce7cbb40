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

/** Orders as columns: customer index (0…customers−1), month index (year × 12 + month − 1, UTC), revenue. */
export interface CohortColumns {
  customer: Int32Array;
  month: Int32Array;
  revenue: Float64Array;
  /** Number of distinct customers (the customer indexes are below it). */
  customers: number;
}

/**
 * Groups customers by the month of their first order and returns, per cohort, the average
 * cumulative revenue per customer and the share of customers ordering again, by months since that
 * first order. Months that have not fully elapsed by `asOf` are left out so incomplete periods
 * never look like a drop.
 */
export function cohortCurves(orders: Iterable<CohortOrder>, asOf: Date): Cohort[] {
  const index = new Map<string, number>();
  const customer: number[] = [];
  const month: number[] = [];
  const revenue: number[] = [];
  for (const o of orders) {
    let c = index.get(o.customerId);
    if (c === undefined) index.set(o.customerId, (c = index.size));
    customer.push(c);
    month.push(monthIndex(o.processedAt));
    revenue.push(o.revenue);
  }
  return cohortCurvesFromColumns(
    {
      customer: Int32Array.from(customer),
      month: Int32Array.from(month),
      revenue: Float64Array.from(revenue),
      customers: index.size,
    },
    monthIndex(asOf),
  );
}

/** `cohortCurves` on columns (linear in the orders, typed arrays only); `nowMonth` is asOf's month index. */
export function cohortCurvesFromColumns(cols: CohortColumns, nowMonth: number): Cohort[] {
  const n = cols.customer.length;
  const first = new Int32Array(cols.customers).fill(2 ** 31 - 1);
  for (let i = 0; i < n; i++) if (cols.month[i] < first[cols.customer[i]]) first[cols.customer[i]] = cols.month[i];
  let lo = 2 ** 31 - 1;
  for (let c = 0; c < cols.customers; c++) if (first[c] < lo) lo = first[c];
  if (cols.customers === 0) return [];
  const span = Math.max(0, nowMonth - lo) + 1;
  const size = new Float64Array(span);
  for (let c = 0; c < cols.customers; c++) if (first[c] - lo < span) size[first[c] - lo]++;
  // sums[cohort][age] and active[cohort][age] as flat span × span tables.
  const sums = new Float64Array(span * span);
  const active = new Float64Array(span * span);
  // A customer counts once per month they ordered in: (customer, age) pairs already counted.
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const c = cols.customer[i];
    const k = first[c] - lo;
    const age = cols.month[i] - first[c];
    if (k >= span || age >= span - k) continue;
    sums[k * span + age] += cols.revenue[i];
    const key = c * span + age;
    if (!seen.has(key)) {
      seen.add(key);
      active[k * span + age]++;
    }
  }
  const cohorts: Cohort[] = [];
  for (let k = 0; k < span; k++) {
    if (size[k] === 0) continue;
    const m = lo + k;
    // Completed months: age a is complete when m + a < nowMonth.
    const complete = Math.max(0, nowMonth - m);
    const cumulative: number[] = [];
    const retention: number[] = [];
    let run = 0;
    for (let a = 0; a < complete; a++) {
      run += sums[k * span + a];
      cumulative.push(run / size[k]);
      if (a > 0) retention.push(active[k * span + a] / size[k]);
    }
    cohorts.push({ month: monthLabel(m), customers: size[k], cumulative, retention });
  }
  return cohorts;
}

/** year × 12 + month − 1 (UTC). */
export function monthIndex(d: Date): number {
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function monthLabel(idx: number): string {
  const y = Math.floor(idx / 12);
  const m = (idx % 12) + 1;
  return `${y}-${String(m).padStart(2, "0")}`;
}
