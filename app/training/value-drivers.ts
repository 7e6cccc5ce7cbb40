/**
 * Per-customer pieces of the BTYD story (pure): each customer's own average order value, and the
 * BTYD drivers (frequency, recency and monetary value occluded with population means).
 */
import { predictBtyd, type BtydModel } from "./btyd";
import type { FeatureSet } from "./features";
import { topDrivers, type Driver } from "./explain";

/** Average net value per purchase day of each customer (the population's for customers without one). */
export function ownOrderValue(fs: FeatureSet): Float64Array {
  const r = fs.rft;
  let tot = 0,
    cnt = 0;
  for (let i = 0; i < r.pastSpend.length; i++) {
    tot += Math.max(0, r.pastSpend[i]);
    cnt += r.frequency[i] + 1;
  }
  const mean = cnt ? tot / cnt : 0;
  return Float64Array.from(r.pastSpend, (v, i) => (v > 0 ? v / (r.frequency[i] + 1) : mean));
}

/** BTYD drivers: occlude frequency, recency and monetary value with population means. */
export function btydDrivers(b: BtydModel, fs: FeatureSet, base: Float64Array, horizonWeeks: number): Driver[][] {
  const r = fs.rft,
    n = r.frequency.length;
  let mx = 0,
    ratio = 0,
    rep = 0,
    mm = 0;
  for (let i = 0; i < n; i++) {
    mx += r.frequency[i];
    if (r.frequency[i] > 0) {
      rep++;
      ratio += r.T[i] > 0 ? r.recency[i] / r.T[i] : 1;
      mm += r.monetary[i];
    }
  }
  mx /= n;
  ratio = rep ? ratio / rep : 1;
  mm = rep ? mm / rep : 0;
  const pred = (rr: typeof r) => predictBtyd(b, rr, horizonWeeks).spend;
  const xs = Float64Array.from(r.frequency, () => Math.round(mx));
  const occ = new Map<string, Float64Array>();
  occ.set(
    "btyd.frequency",
    pred({
      ...r,
      frequency: xs,
      recency: Float64Array.from(r.recency, (t, i) => (xs[i] > 0 ? (r.frequency[i] > 0 ? t : ratio * r.T[i]) : 0)),
      monetary: Float64Array.from(r.monetary, (v, i) => (xs[i] > 0 ? (v > 0 ? v : mm) : 0)),
    }),
  );
  occ.set(
    "btyd.recency",
    pred({ ...r, recency: Float64Array.from(r.recency, (t, i) => (r.frequency[i] > 0 ? ratio * r.T[i] : t)) }),
  );
  occ.set(
    "btyd.monetary",
    pred({ ...r, monetary: Float64Array.from(r.monetary, (v, i) => (r.frequency[i] > 0 ? mm : v)) }),
  );
  return topDrivers(base, occ, fs);
}
