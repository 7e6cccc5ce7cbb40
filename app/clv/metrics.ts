/**
 * Evaluation metrics for any scorer against holdout truth (docs/reference/clv-engine.md §4.9–4.12).
 *
 * Every metric takes positional arrays (pred[i] and actual[i] belong to the same customer).
 * `evaluate` sorts each array once (an O(n) radix argsort on the float bits) and derives all
 * rank-based metrics from those two orders, so 1,000,000 customers take well under a second.
 *
 * Tie rules (deterministic and independent of the input order):
 * - Gini and top-decile capture: within a group of equal predictions, every customer's actual
 *   value is replaced by the group mean (equivalent to averaging over all orders of the tie).
 * - Spearman: tied values get their average rank (scipy.stats.spearmanr).
 * - Deciles: pandas `qcut(pred, 10)` (linear-interpolated quantile edges, right-closed bins,
 *   lowest value included) when the 11 edges are distinct. When edges repeat (pandas would raise),
 *   tie-aware equal-count buckets: a tie group goes, as a whole, to bucket
 *   floor(10·(r̄ − ½)/n) with r̄ its average 1-based rank. Empty buckets are reported with
 *   count 0 and are left out of the mean decile MAPE, as are buckets whose label mean is 0.
 */

/** Validation error for metric inputs. */
export class MetricInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MetricInputError";
  }
}

function check(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  const n = pred.length;
  if (actual.length !== n) throw new MetricInputError(`pred has ${n} values but actual has ${actual.length}`);
  if (n === 0) throw new MetricInputError("no customers to evaluate");
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(pred[i])) throw new MetricInputError(`pred[${i}] is not a finite number (${pred[i]})`);
    if (!Number.isFinite(actual[i])) throw new MetricInputError(`actual[${i}] is not a finite number (${actual[i]})`);
  }
  return n;
}

/**
 * Stable argsort of finite numbers (ascending, or descending with `descending`), by an LSD radix
 * sort over the IEEE-754 bits (four 16-bit passes, constant passes skipped). -0 sorts as 0.
 */
export function argsort(values: ArrayLike<number>, descending = false): Uint32Array {
  const n = values.length;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = values[i] === 0 ? 0 : values[i];
  const u = new Uint32Array(f.buffer);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  let idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = u[2 * i + 1];
    let l = u[2 * i];
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    if (descending) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    }
    lo[i] = l;
    hi[i] = h;
    idx[i] = i;
  }
  const counts = new Uint32Array(4 * 65536);
  for (let i = 0; i < n; i++) {
    counts[lo[i] & 0xffff]++;
    counts[65536 + (lo[i] >>> 16)]++;
    counts[131072 + (hi[i] & 0xffff)]++;
    counts[196608 + (hi[i] >>> 16)]++;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 65536;
    const src = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    const firstDigit = n > 0 ? (src[0] >>> shift) & 0xffff : 0;
    if (n === 0 || counts[base + firstDigit] === n) continue; // all keys share this digit
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[base + b];
      counts[base + b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = pass < 2 ? lo[i] : hi[i];
      const p = counts[base + ((key >>> shift) & 0xffff)]++;
      lo2[p] = lo[i];
      hi2[p] = hi[i];
      idx2[p] = idx[i];
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}

/** Mean absolute error. */
export function mae(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  const n = check(pred, actual);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(pred[i] - actual[i]);
  return s / n;
}

/** Root mean squared error. */
export function rmse(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  const n = check(pred, actual);
  let s = 0;
  for (let i = 0; i < n; i++) s += (pred[i] - actual[i]) ** 2;
  return Math.sqrt(s / n);
}

/** Totals and the error of the total: predicted − actual, and relative to actual. */
export function totalError(
  pred: ArrayLike<number>,
  actual: ArrayLike<number>,
): { predictedTotal: number; actualTotal: number; error: number; relative: number } {
  const n = check(pred, actual);
  let p = 0;
  let a = 0;
  for (let i = 0; i < n; i++) {
    p += pred[i];
    a += actual[i];
  }
  return { predictedTotal: p, actualTotal: a, error: p - a, relative: a !== 0 ? (p - a) / a : Number.NaN };
}

/**
 * Gain-curve statistics for `actual` ordered by `order` (descending score), with the tie rule
 * (actual replaced by the tie-group mean). Returns Σ_k G_k (G = cumulative share of the total)
 * and the share captured by the first `topK` customers.
 */
function gain(
  order: Uint32Array,
  score: ArrayLike<number>,
  actual: ArrayLike<number>,
  total: number,
  topK: number,
): { sumG: number; top: number } {
  const n = order.length;
  let cum = 0;
  let sumCum = 0;
  let top = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    const v = score[order[i]];
    let gs = actual[order[i]];
    while (j < n && score[order[j]] === v) gs += actual[order[j++]];
    const g = j - i;
    const mean = gs / g;
    // Σ_{t=1..g} (cum + t·mean) = g·cum + mean·g(g+1)/2
    sumCum += g * cum + (mean * g * (g + 1)) / 2;
    if (topK > i) top = cum + mean * Math.min(g, topK - i);
    cum += gs;
    i = j;
  }
  return { sumG: sumCum / total, top: top / total };
}

/** Raw Gini of a gain curve: 2·ΣG_k/n − 1. */
function rawGini(sumG: number, n: number): number {
  return (2 * sumG) / n - 1;
}

/**
 * Normalized Gini (google/lifetime_value): raw Gini of the model's gain curve divided by that of
 * the perfect (Lorenz) curve. 1 = perfect ranking, ≈0 random, negative inverse. NaN when the
 * actual total is not positive or all actual values are equal (undefined).
 */
export function normalizedGini(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  check(pred, actual);
  return rankStats(pred, actual, argsort(pred, true), argsort(actual, true)).gini;
}

/** Share of the total actual value captured by the top ⌈n/10⌉ customers by prediction (tie rule applies). */
export function topDecileCapture(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  check(pred, actual);
  return rankStats(pred, actual, argsort(pred, true), argsort(actual, true)).topDecileCapture;
}

function rankStats(pred: ArrayLike<number>, actual: ArrayLike<number>, predDesc: Uint32Array, actualDesc: Uint32Array) {
  const n = pred.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += actual[i];
  const topK = Math.ceil(n / 10);
  const model = gain(predDesc, pred, actual, total, topK);
  const lorenz = gain(actualDesc, actual, actual, total, topK);
  const rawL = rawGini(lorenz.sumG, n);
  const gini = total > 0 && rawL > 0 ? rawGini(model.sumG, n) / rawL : Number.NaN;
  return { gini, topDecileCapture: total > 0 ? model.top : Number.NaN };
}

/** Average (1-based) ranks from an ascending or descending order; ties share their mean rank. */
function averageRanks(order: Uint32Array, values: ArrayLike<number>, descending: boolean): Float64Array {
  const n = order.length;
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    const v = values[order[i]];
    while (j < n && values[order[j]] === v) j++;
    // positions i..j-1 in this order; in ascending order they are ranks n-j+1 .. n-i when descending
    const r = descending ? n - (i + j - 1) / 2 : (i + j + 1) / 2;
    for (let k = i; k < j; k++) ranks[order[k]] = r;
    i = j;
  }
  return ranks;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Number.NaN;
}

/** Spearman rank correlation with average ranks for ties; NaN when either side is constant. */
export function spearman(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  check(pred, actual);
  return pearson(averageRanks(argsort(pred), pred, false), averageRanks(argsort(actual), actual, false));
}

/** One bucket of the decile table (bucket 0 = lowest predictions). */
export interface DecileRow {
  bucket: number;
  count: number;
  labelMean: number;
  predMean: number;
  normalizedRmse: number;
  normalizedMae: number;
  /** |predMean − labelMean| / labelMean (NaN when the bucket is empty or its label mean is 0). */
  decileMape: number;
}

/** Decile table plus which bucketing was used. */
export interface DecileTable {
  rows: DecileRow[];
  /** "qcut" when the quantile edges were distinct, else "rank" (see module comment). */
  method: "qcut" | "rank";
  /** Mean decile MAPE over buckets with a finite value. */
  meanDecileMape: number;
}

/** numpy's linear quantile of sorted values (its lerp form, for bit-level agreement). */
function quantileSorted(sortedAt: (i: number) => number, n: number, q: number): number {
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const t = pos - lo;
  const a = sortedAt(lo);
  const b = sortedAt(hi);
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

function decilesFromOrder(pred: ArrayLike<number>, actual: ArrayLike<number>, asc: Uint32Array): DecileTable {
  const n = asc.length;
  const at = (i: number) => pred[asc[i]];
  const edges = Array.from({ length: 11 }, (_, k) => quantileSorted(at, n, k / 10));
  let distinct = true;
  for (let k = 0; k < 10; k++) if (!(edges[k] < edges[k + 1])) distinct = false;
  const bucket = new Uint8Array(n); // by position in `asc`
  if (distinct) {
    let b = 0;
    for (let i = 0; i < n; i++) {
      const v = at(i);
      while (b < 9 && v > edges[b + 1]) b++;
      bucket[i] = b;
    }
  } else {
    let i = 0;
    while (i < n) {
      let j = i + 1;
      while (j < n && at(j) === at(i)) j++;
      const rbar = (i + j + 1) / 2;
      const b = Math.min(9, Math.floor((10 * (rbar - 0.5)) / n));
      for (let k = i; k < j; k++) bucket[k] = b;
      i = j;
    }
  }
  const cnt = new Float64Array(10);
  const sy = new Float64Array(10);
  const sp = new Float64Array(10);
  const sae = new Float64Array(10);
  const sse = new Float64Array(10);
  for (let i = 0; i < n; i++) {
    const b = bucket[i];
    const y = actual[asc[i]];
    const p = pred[asc[i]];
    cnt[b]++;
    sy[b] += y;
    sp[b] += p;
    sae[b] += Math.abs(y - p);
    sse[b] += (y - p) ** 2;
  }
  const rows: DecileRow[] = [];
  let mapeSum = 0;
  let mapeN = 0;
  for (let b = 0; b < 10; b++) {
    const c = cnt[b];
    const lm = c ? sy[b] / c : Number.NaN;
    const pm = c ? sp[b] / c : Number.NaN;
    const ok = c > 0 && lm !== 0;
    const mape = ok ? Math.abs(pm - lm) / Math.abs(lm) : Number.NaN;
    if (Number.isFinite(mape)) {
      mapeSum += mape;
      mapeN++;
    }
    rows.push({
      bucket: b,
      count: c,
      labelMean: lm,
      predMean: pm,
      normalizedRmse: ok ? Math.sqrt(sse[b] / c) / lm : Number.NaN,
      normalizedMae: ok ? sae[b] / c / lm : Number.NaN,
      decileMape: mape,
    });
  }
  return { rows, method: distinct ? "qcut" : "rank", meanDecileMape: mapeN ? mapeSum / mapeN : Number.NaN };
}

/** Decile table and mean decile MAPE (google/lifetime_value `decile_stats`). */
export function decileTable(pred: ArrayLike<number>, actual: ArrayLike<number>): DecileTable {
  check(pred, actual);
  return decilesFromOrder(pred, actual, argsort(pred));
}

/** Everything `evaluate` reports for one scorer. */
export interface EvaluationMetrics {
  n: number;
  mae: number;
  rmse: number;
  predictedTotal: number;
  actualTotal: number;
  /** predictedTotal − actualTotal. */
  totalError: number;
  /** totalError / actualTotal. */
  totalErrorRelative: number;
  gini: number;
  spearman: number;
  decileMape: number;
  topDecileCapture: number;
  deciles: DecileTable;
}

/**
 * All metrics of a scorer against holdout truth, from two radix sorts. Throws
 * `MetricInputError` on mismatched lengths, an empty input or non-finite values.
 */
export function evaluate(pred: ArrayLike<number>, actual: ArrayLike<number>): EvaluationMetrics {
  const n = check(pred, actual);
  const predDesc = argsort(pred, true);
  const actualDesc = argsort(actual, true);
  const { gini, topDecileCapture: top } = rankStats(pred, actual, predDesc, actualDesc);
  const rho = pearson(averageRanks(predDesc, pred, true), averageRanks(actualDesc, actual, true));
  const asc = predDesc.slice().reverse();
  const deciles = decilesFromOrder(pred, actual, asc);
  const t = totalError(pred, actual);
  return {
    n,
    mae: mae(pred, actual),
    rmse: rmse(pred, actual),
    predictedTotal: t.predictedTotal,
    actualTotal: t.actualTotal,
    totalError: t.error,
    totalErrorRelative: t.relative,
    gini,
    spearman: rho,
    decileMape: deciles.meanDecileMape,
    topDecileCapture: top,
    deciles,
  };
}
