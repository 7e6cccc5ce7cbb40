/**
 * Point-in-time customer features for the trainer (pure, typed arrays, no I/O).
 *
 * `computeFeatures(table, cutoff)` reads only orders with `processedAt <= cutoff` (and refunds /
 * cancellations known by then, see orders.ts), for every customer whose first order is at or
 * before the cutoff. The cutoff is an inclusive instant (epoch ms). Time units: BTYD summaries in
 * weeks at day resolution (UTC days, same-day orders merged, as in lifetimes), everything else in
 * days. Money features are log1p-transformed before standardisation.
 *
 * Feature definitions are versioned by `FEATURE_VERSION`; a saved model records the version and
 * the standardisation stats (`FeatureSpec`), fitted on training rows only (`fitFeatureSpec`).
 */
import { type OrderTable, netValueAsOf, refundedAsOf } from "./orders";

/** Bump whenever a definition below changes; saved models with another version are refused. */
export const FEATURE_VERSION = "pit-4";

const DAY = 86_400_000;
const MONTH = (365.25 / 12) * DAY;
/** Length of the monthly sequence (months before the cutoff, oldest first). */
export const SEQ_LEN = 24;
/** Per month: log1p(net spend), log1p(order count), 1 if the customer already existed. */
export const SEQ_DIMS = 3;
const CHANNEL_BUCKETS = 4;
const COUNTRY_BUCKETS = 8;

/** Names of the static features, in column order. */
export const STATIC_FEATURES: readonly string[] = [
  "log_repeat_days", // 0 BTYD x (log1p)
  "recency_weeks", // 1 t_x
  "tenure_weeks", // 2 T
  "days_since_last", // 3
  "log_past_spend", // 4
  "log_order_count", // 5
  "log_aov", // 6
  "aov_trend", // 7 log1p(AOV last 365 d) - log1p(AOV before)
  "ipt_mean_days", // 8
  "ipt_std_days", // 9
  "log_repeat_mean_value", // 10 Gamma-Gamma m
  "discount_share", // 11
  "discount_code_order_share", // 12
  "refund_rate", // 13
  "cancel_rate", // 14
  "log_distinct_products", // 15
  "products_per_order", // 16
  "log_first_order_value", // 17
  "first_order_discounted", // 18
  "log_spend_90d", // 19
  "log_spend_365d", // 20
  "log_orders_365d", // 21
  "weekend_share", // 22
  "q1_share",
  "q2_share",
  "q3_share",
  "q4_share", // 23..26
  // 27..29: cutoff-invariant rates (transfer between a young training window and an older target window)
  "log_spend_per_week", // past spend / max(T, 1 week)
  "log_repeat_days_per_week", // x / max(T, 1 week)
  "recency_ratio", // t_x / T (1 = bought at the cutoff)
  ...Array.from({ length: CHANNEL_BUCKETS }, (_, i) => `first_channel_h${i}`),
  ...Array.from({ length: COUNTRY_BUCKETS }, (_, i) => `first_country_h${i}`),
];
const NS = STATIC_FEATURES.length;
const HASH0 = 30; // first hashed categorical column

/** Per-customer BTYD / RFM summary at the cutoff (weeks at day resolution; money in shop currency). */
export interface RftSummary {
  /** Repeat purchase days x. */
  frequency: Float64Array;
  /** t_x in weeks. */
  recency: Float64Array;
  /** T in weeks. */
  T: Float64Array;
  /** Mean net value of the repeat purchase days (0 when x = 0). */
  monetary: Float64Array;
  /** Net spend up to the cutoff, first purchase included (the "past spend" baseline). */
  pastSpend: Float64Array;
  /** Epoch ms of first / last (non-cancelled) order. */
  firstAt: Float64Array;
  lastAt: Float64Array;
  /** Orders up to the cutoff (including cancelled ones). */
  orderCount: Int32Array;
}

/** Features of every customer known at `cutoff`. Rows are positional; ids in `customerIds`. */
export interface FeatureSet {
  version: string;
  cutoff: number;
  customerIds: string[];
  /** Row-major n × STATIC_FEATURES.length, raw (not standardised). */
  static: Float32Array;
  /** Row-major n × SEQ_LEN × SEQ_DIMS, raw. */
  seq: Float32Array;
  rft: RftSummary;
}

/** Standardisation stats and shape of the features a model was trained on (no per-customer data). */
export interface FeatureSpec {
  version: string;
  names: string[];
  mean: number[];
  std: number[];
  seqLen: number;
  seqDims: number;
  seqMean: number[];
  seqStd: number[];
  /** Training range per static column / sequence dim: inputs are clamped to it (no extrapolation). */
  min: number[];
  max: number[];
  seqMin: number[];
  seqMax: number[];
}

/** FNV-1a 32-bit hash, for hashing categorical values into buckets. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Computes point-in-time features for all customers with an order at or before `cutoff`. */
export function computeFeatures(tab: OrderTable, cutoff: number): FeatureSet {
  if (!Number.isFinite(cutoff)) throw new Error(`computeFeatures: cutoff must be a finite epoch ms, got ${cutoff}`);
  const rows: number[] = [];
  const ends: number[] = [];
  for (let c = 0; c < tab.customerIds.length; c++) {
    let e = tab.start[c];
    while (e < tab.start[c + 1] && tab.at[e] <= cutoff) e++;
    if (e > tab.start[c]) {
      rows.push(c);
      ends.push(e);
    }
  }
  const n = rows.length;
  const st = new Float32Array(n * NS);
  const seq = new Float32Array(n * SEQ_LEN * SEQ_DIMS);
  const rft: RftSummary = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetary: new Float64Array(n),
    pastSpend: new Float64Array(n),
    firstAt: new Float64Array(n),
    lastAt: new Float64Array(n),
    orderCount: new Int32Array(n),
  };
  const cutoffDay = Math.floor(cutoff / DAY);
  const products = new Set<string>();
  for (let r = 0; r < n; r++) {
    const c = rows[r];
    const s = tab.start[c];
    const e = ends[r];
    const f = st.subarray(r * NS, (r + 1) * NS);
    products.clear();
    // Pass 1: per-order values, day merge, windows.
    let spend = 0,
      valid = 0,
      cancelled = 0,
      disc = 0,
      gross = 0,
      refunded = 0,
      codeOrders = 0,
      weekend = 0,
      nProdOrders = 0;
    let spend90 = 0,
      spend365 = 0,
      orders365 = 0,
      recentSum = 0,
      recentN = 0,
      earlySum = 0,
      earlyN = 0;
    const q = [0, 0, 0, 0];
    let firstDay = -1,
      lastDay = -1,
      days = 0,
      repeatSum = 0,
      curDayVal = 0,
      firstValidAt = NaN,
      lastValidAt = NaN;
    let iptSum = 0,
      iptSq = 0;
    for (let i = s; i < e; i++) {
      const t = tab.at[i];
      const isCancelled = tab.cancelledAt[i] <= cutoff;
      const v = netValueAsOf(tab, i, cutoff);
      gross += tab.amount[i] + tab.discount[i];
      disc += tab.discount[i];
      refunded += isCancelled ? 0 : refundedAsOf(tab, i, cutoff);
      if (tab.discountCodeCount[i] > 0) codeOrders++;
      for (const p of tab.productIds[i]) products.add(p);
      if (tab.productIds[i].length > 0) nProdOrders++;
      const m = Math.floor((cutoff - t) / MONTH);
      if (m < SEQ_LEN) {
        const b = (r * SEQ_LEN + (SEQ_LEN - 1 - m)) * SEQ_DIMS;
        seq[b] += v; // summed now, log1p below
        if (!isCancelled) seq[b + 1] += 1;
      }
      if (isCancelled) {
        cancelled++;
        continue;
      }
      valid++;
      spend += v;
      const age = cutoff - t;
      if (age <= 90 * DAY) spend90 += v;
      if (age <= 365 * DAY) {
        spend365 += v;
        orders365++;
        recentSum += v;
        recentN++;
      } else {
        earlySum += v;
        earlyN++;
      }
      const d = new Date(t);
      const wd = d.getUTCDay();
      if (wd === 0 || wd === 6) weekend++;
      q[Math.floor(d.getUTCMonth() / 3)]++;
      const day = Math.floor(t / DAY);
      if (firstDay < 0) {
        firstDay = day;
        firstValidAt = t;
        f[17] = Math.log1p(v);
        f[18] = tab.discount[i] > 0 || tab.discountCodeCount[i] > 0 ? 1 : 0;
        const ch = tab.sourceName[i];
        if (ch) f[HASH0 + (fnv1a(ch.toLowerCase()) % CHANNEL_BUCKETS)] = 1;
        const cc = tab.countryCode[i];
        if (cc) f[HASH0 + CHANNEL_BUCKETS + (fnv1a(cc.toUpperCase()) % COUNTRY_BUCKETS)] = 1;
        days = 1;
        curDayVal = v;
      } else if (day !== lastDay) {
        if (days > 1) repeatSum += curDayVal;
        const gap = day - lastDay;
        iptSum += gap;
        iptSq += gap * gap;
        days++;
        curDayVal = v;
      } else curDayVal += v;
      lastDay = day;
      lastValidAt = t;
    }
    if (days > 1) repeatSum += curDayVal;
    const total = e - s;
    const x = Math.max(0, days - 1);
    if (firstDay < 0) {
      // Only cancelled orders so far: a customer with no purchase yet.
      firstDay = Math.floor(tab.at[s] / DAY);
      lastDay = firstDay;
      firstValidAt = lastValidAt = tab.at[s];
    }
    rft.frequency[r] = x;
    rft.recency[r] = (lastDay - firstDay) / 7;
    rft.T[r] = (cutoffDay - firstDay) / 7;
    rft.monetary[r] = x > 0 ? repeatSum / x : 0;
    rft.pastSpend[r] = spend;
    rft.firstAt[r] = firstValidAt;
    rft.lastAt[r] = lastValidAt;
    rft.orderCount[r] = total;
    const iptMean = x > 0 ? iptSum / x : 0;
    f[0] = Math.log1p(x);
    f[1] = rft.recency[r];
    f[2] = rft.T[r];
    f[3] = cutoffDay - lastDay;
    f[4] = Math.log1p(spend);
    f[5] = Math.log1p(total);
    f[6] = valid > 0 ? Math.log1p(spend / valid) : 0;
    f[7] = recentN > 0 && earlyN > 0 ? Math.log1p(recentSum / recentN) - Math.log1p(earlySum / earlyN) : 0;
    f[8] = iptMean;
    f[9] = x > 1 ? Math.sqrt(Math.max(0, iptSq / x - iptMean * iptMean)) : 0;
    f[10] = Math.log1p(rft.monetary[r]);
    f[11] = gross > 0 ? disc / gross : 0;
    f[12] = codeOrders / total;
    const kept = spend + refunded;
    f[13] = kept > 0 ? refunded / kept : 0;
    f[14] = cancelled / total;
    f[15] = Math.log1p(products.size);
    f[16] = nProdOrders > 0 ? products.size / nProdOrders : 0;
    f[19] = Math.log1p(spend90);
    f[20] = Math.log1p(spend365);
    f[21] = Math.log1p(orders365);
    f[22] = valid > 0 ? weekend / valid : 0;
    for (let k = 0; k < 4; k++) f[23 + k] = valid > 0 ? q[k] / valid : 0;
    const weeks = Math.max(1, rft.T[r]);
    f[27] = Math.log1p(spend / weeks);
    f[28] = Math.log1p(x / weeks);
    f[29] = rft.T[r] > 0 ? rft.recency[r] / rft.T[r] : 1;
    // Sequence: log-transform and mark months at/after the first order as "existing".
    const firstMonth = Math.floor((cutoff - tab.at[s]) / MONTH);
    for (let k = 0; k < SEQ_LEN; k++) {
      const b = (r * SEQ_LEN + k) * SEQ_DIMS;
      seq[b] = Math.log1p(seq[b]);
      seq[b + 1] = Math.log1p(seq[b + 1]);
      seq[b + 2] = SEQ_LEN - 1 - k <= firstMonth ? 1 : 0;
    }
  }
  return { version: FEATURE_VERSION, cutoff, customerIds: rows.map((c) => tab.customerIds[c]), static: st, seq, rft };
}

/** Fits standardisation stats on the given rows (training rows only). Constant columns get std 1. */
export function fitFeatureSpec(fs: FeatureSet, rows?: ArrayLike<number>): FeatureSpec {
  const idx = rows ?? Array.from({ length: fs.customerIds.length }, (_, i) => i);
  const m = idx.length;
  if (m === 0) throw new Error("fitFeatureSpec: no training rows");
  const mean = new Array<number>(NS).fill(0);
  const sq = new Array<number>(NS).fill(0);
  const lo = new Array<number>(NS).fill(Infinity),
    hi = new Array<number>(NS).fill(-Infinity);
  const sLo = new Array<number>(SEQ_DIMS).fill(Infinity),
    sHi = new Array<number>(SEQ_DIMS).fill(-Infinity);
  const sMean = new Array<number>(SEQ_DIMS).fill(0);
  const sSq = new Array<number>(SEQ_DIMS).fill(0);
  for (let k = 0; k < m; k++) {
    const r = idx[k];
    for (let j = 0; j < NS; j++) {
      const v = fs.static[r * NS + j];
      mean[j] += v;
      sq[j] += v * v;
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
    for (let t = 0; t < SEQ_LEN; t++)
      for (let d = 0; d < SEQ_DIMS; d++) {
        const v = fs.seq[(r * SEQ_LEN + t) * SEQ_DIMS + d];
        sMean[d] += v;
        sSq[d] += v * v;
        if (v < sLo[d]) sLo[d] = v;
        if (v > sHi[d]) sHi[d] = v;
      }
  }
  const fin = (mu: number[], s2: number[], cnt: number) =>
    mu.map((s, j) => {
      const mm = s / cnt;
      const sd = Math.sqrt(Math.max(0, s2[j] / cnt - mm * mm));
      return [mm, sd > 1e-9 ? sd : 1] as const;
    });
  const a = fin(mean, sq, m);
  const b = fin(sMean, sSq, m * SEQ_LEN);
  return {
    version: FEATURE_VERSION,
    names: [...STATIC_FEATURES],
    mean: a.map((p) => p[0]),
    std: a.map((p) => p[1]),
    seqLen: SEQ_LEN,
    seqDims: SEQ_DIMS,
    seqMean: b.map((p) => p[0]),
    seqStd: b.map((p) => p[1]),
    min: lo,
    max: hi,
    seqMin: sLo,
    seqMax: sHi,
  };
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/**
 * Standardised copies of the static and sequence features (rows optional subset). Values are
 * first clamped to the training range, so a target cutoff with, e.g., older customers than any
 * seen in training is treated like the oldest seen instead of being extrapolated (NaN passes
 * through and is caught as divergence).
 */
export function standardise(
  fs: FeatureSet,
  spec: FeatureSpec,
  rows?: ArrayLike<number>,
): { static: Float32Array; seq: Float32Array; n: number } {
  if (spec.version !== fs.version)
    throw new Error(`feature version mismatch: model has ${spec.version}, data has ${fs.version}`);
  const idx = rows ?? Array.from({ length: fs.customerIds.length }, (_, i) => i);
  const m = idx.length;
  const st = new Float32Array(m * NS);
  const sq = new Float32Array(m * SEQ_LEN * SEQ_DIMS);
  const L = SEQ_LEN * SEQ_DIMS;
  for (let k = 0; k < m; k++) {
    const r = idx[k];
    for (let j = 0; j < NS; j++)
      st[k * NS + j] = (clamp(fs.static[r * NS + j], spec.min[j], spec.max[j]) - spec.mean[j]) / spec.std[j];
    for (let u = 0; u < L; u++) {
      const d = u % SEQ_DIMS;
      sq[k * L + u] = (clamp(fs.seq[r * L + u], spec.seqMin[d], spec.seqMax[d]) - spec.seqMean[d]) / spec.seqStd[d];
    }
  }
  return { static: st, seq: sq, n: m };
}
