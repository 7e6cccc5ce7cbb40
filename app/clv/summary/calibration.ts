/**
 * Rows → calibration/holdout summaries: groups rows by customer (counting sort), collapses each
 * customer's rows into purchase periods, applies the refund rule separately in calibration and in
 * the holdout, and computes x, t_x, T, monetary value, holdout counts and spend (../summary.ts).
 */
import type { CustomerSummaries, SummaryOptions, SummaryStats } from "./options";
import { sortByIdInPlace } from "./ids";
import { applyRefunds, insertionSort, sumSorted, weekOfDay } from "./periods";

/**
 * Builds the summaries from the builder's columnar rows (customer index, day number, amount) and
 * the customers' ids (index → id). Options must already be resolved.
 */
export function buildSummaries(
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
