/**
 * The champion rule (pure; documented for merchants in docs/models/backtest-and-champion.md): every
 * candidate, past spend included, is compared on the same evaluation fold; a non-finite or diverged
 * candidate is excluded; past spend is served unless another candidate's Gini beats it by more than
 * CHAMPION_MARGIN (ties among the others: lower MAE).
 */
import { normalizedGini, type EvaluationMetrics } from "~/clv/metrics";
import { Rng } from "~/clv/rng";
import type { CandidateName } from "./candidates";

/**
 * A candidate must beat past spend's evaluation Gini by more than this to be served instead of it
 * (a smaller lead is within the fold-to-fold noise of a backtest).
 */
export const CHAMPION_MARGIN = 0.002;

/**
 * The champion rule (see module comment) on backtest metrics: every candidate, past spend
 * included, is compared on the same evaluation fold; past spend is served unless another
 * candidate's Gini is higher by more than CHAMPION_MARGIN (ties among the others: lower MAE).
 */
export function selectChampion(
  metrics: Partial<Record<CandidateName, Pick<EvaluationMetrics, "gini" | "mae"> | null>>,
  requiredLead = CHAMPION_MARGIN,
): {
  champion: CandidateName | null;
  beatsBaseline: boolean;
  reason: string;
} {
  const ok = (
    m: Pick<EvaluationMetrics, "gini" | "mae"> | null | undefined,
  ): m is Pick<EvaluationMetrics, "gini" | "mae"> => !!m && Number.isFinite(m.gini) && Number.isFinite(m.mae);
  const base = metrics.baseline;
  let best: CandidateName | null = null;
  for (const [name, m] of Object.entries(metrics) as [
    CandidateName,
    Pick<EvaluationMetrics, "gini" | "mae"> | null,
  ][]) {
    if (name === "baseline" || !ok(m)) continue;
    const b = best ? metrics[best]! : null;
    if (!b || m.gini > b.gini + 1e-12 || (Math.abs(m.gini - b.gini) <= 1e-12 && m.mae < b.mae)) best = name;
  }
  const skipped = (Object.keys(metrics) as CandidateName[]).filter((k) => k !== "baseline" && !ok(metrics[k]));
  const sk = skipped.length ? ` (${skipped.join(", ")} diverged or failed and were excluded)` : "";
  const hasBase = "baseline" in metrics;
  if (!ok(base)) {
    if (hasBase)
      return {
        champion: "baseline",
        beatsBaseline: false,
        reason: `the backtest could not rank customers (nobody spent in the evaluation window), so past spend is served${sk}`,
      };
    if (!best) return { champion: null, beatsBaseline: false, reason: `no candidate produced usable predictions${sk}` };
    return { champion: best, beatsBaseline: true, reason: `${best} has the best backtest Gini${sk}` };
  }
  if (!best)
    return {
      champion: "baseline",
      beatsBaseline: false,
      reason: `no other model produced usable predictions, so past spend is served${sk}`,
    };
  const g = metrics[best]!.gini;
  if (g > base.gini + Math.max(CHAMPION_MARGIN, requiredLead))
    return {
      champion: best,
      beatsBaseline: true,
      reason: `${best} has the best backtest Gini ${g.toFixed(3)} vs past spend ${base.gini.toFixed(3)}${sk}`,
    };
  return {
    champion: "baseline",
    beatsBaseline: false,
    reason: `no model beats past spend by more than the backtest's noise (best: ${best}, Gini ${g.toFixed(3)} vs ${base.gini.toFixed(3)}, lead needed ${Math.max(CHAMPION_MARGIN, requiredLead).toFixed(3)}), so past spend is served${sk}`,
  };
}

/** Customers the Gini-lead bootstrap resamples at most (its spread is rescaled to the full fold). */
const LEAD_SAMPLE = 20_000;

/**
 * The lead over past spend a challenger needs to be served: twice the bootstrap standard error of
 * the paired Gini difference (challenger − past spend) on the evaluation fold (30 seeded resamples
 * of at most LEAD_SAMPLE customers, the spread rescaled by √(sample ÷ customers)). A lead inside
 * this band is what another draw of customers could reverse.
 */
export function giniLeadNoise(
  challenger: ArrayLike<number>,
  pastSpend: ArrayLike<number>,
  actual: ArrayLike<number>,
  seed = 7,
): number {
  const n = actual.length;
  if (n < 50) return 0;
  const m = Math.min(n, LEAD_SAMPLE);
  const rng = new Rng(seed);
  const a = new Float64Array(m),
    b = new Float64Array(m),
    y = new Float64Array(m);
  const d: number[] = [];
  for (let r = 0; r < 30; r++) {
    for (let k = 0; k < m; k++) {
      const i = Math.min(n - 1, Math.floor(rng.uniform() * n));
      a[k] = challenger[i];
      b[k] = pastSpend[i];
      y[k] = actual[i];
    }
    const v = normalizedGini(a, y) - normalizedGini(b, y);
    if (Number.isFinite(v)) d.push(v);
  }
  if (d.length < 2) return 0;
  const mean = d.reduce((s, v) => s + v, 0) / d.length;
  const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (d.length - 1));
  return 2 * sd * Math.sqrt(m / n);
}
