/**
 * The champion rule (pure; documented for merchants in docs/models/backtest-and-champion.md): every
 * candidate, past spend included, is compared on the same evaluation fold; a non-finite or diverged
 * candidate is excluded; past spend is served unless another candidate's Gini beats it by more than
 * CHAMPION_MARGIN (ties among the others: lower MAE).
 */
import type { EvaluationMetrics } from "~/clv/metrics";
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
  if (g > base.gini + CHAMPION_MARGIN)
    return {
      champion: best,
      beatsBaseline: true,
      reason: `${best} has the best backtest Gini ${g.toFixed(3)} vs past spend ${base.gini.toFixed(3)}${sk}`,
    };
  return {
    champion: "baseline",
    beatsBaseline: false,
    reason: `no model beats past spend (best: ${best}, Gini ${g.toFixed(3)} vs ${base.gini.toFixed(3)}), so past spend is served${sk}`,
  };
}
