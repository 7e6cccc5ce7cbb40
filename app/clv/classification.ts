/**
 * Metrics of a probability forecast of a yes/no outcome (pure): ROC AUC (ties count one half),
 * Brier score and a reliability table (mean forecast vs observed rate per forecast decile).
 */
import { argsort } from "./metrics";

/** Area under the ROC curve of `score` for `label` (1 = positive). NaN without both classes. */
export function rocAuc(score: ArrayLike<number>, label: ArrayLike<number>): number {
  const n = score.length;
  const order = argsort(score);
  let pos = 0,
    rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && score[order[j]] === score[order[i]]) j++;
    const avgRank = (i + j + 1) / 2; // 1-based average rank of the tie group
    for (let k = i; k < j; k++)
      if (label[order[k]] > 0) {
        pos++;
        rankSum += avgRank;
      }
    i = j;
  }
  const neg = n - pos;
  if (!pos || !neg) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Mean squared difference between the forecast probability and the 0/1 outcome. */
export function brierScore(prob: ArrayLike<number>, label: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < prob.length; i++) s += (prob[i] - (label[i] > 0 ? 1 : 0)) ** 2;
  return prob.length ? s / prob.length : Number.NaN;
}

/** Mean forecast and observed rate in 10 equal-count bins of the forecast (ascending). */
export function reliabilityTable(
  prob: ArrayLike<number>,
  label: ArrayLike<number>,
  bins = 10,
): Array<{ bin: number; count: number; meanForecast: number; observedRate: number }> {
  const order = argsort(prob);
  const n = prob.length;
  return Array.from({ length: bins }, (_, b) => {
    const s = Math.floor((b * n) / bins),
      e = Math.floor(((b + 1) * n) / bins);
    let f = 0,
      o = 0;
    for (let k = s; k < e; k++) {
      f += prob[order[k]];
      o += label[order[k]] > 0 ? 1 : 0;
    }
    const c = e - s;
    return { bin: b + 1, count: c, meanForecast: c ? f / c : Number.NaN, observedRate: c ? o / c : Number.NaN };
  });
}

/** Largest |mean forecast − observed rate| over the reliability table's bins (0 = calibrated). */
export function maxReliabilityGap(prob: ArrayLike<number>, label: ArrayLike<number>, bins = 10): number {
  return Math.max(...reliabilityTable(prob, label, bins).map((b) => Math.abs(b.meanForecast - b.observedRate)));
}
