/**
 * Tiers and the CLV discount factor (pure): tier rules by CLV percentile rank and the flat-rate
 * conversion of monthly spend to discounted, margin-weighted CLV.
 */
import type { ClvSettings } from "./btyd";
import { DEFAULT_TIERS, type TierRule } from "~/clv/tiers";

export { DEFAULT_TIERS, type TierRule };

/** Assigns tiers by CLV percentile rank (ties share their average rank). Validates rules. */
export function assignTiers(clv: Float64Array, rules: TierRule[] = DEFAULT_TIERS): string[] {
  const rs = (rules.length ? rules : DEFAULT_TIERS).slice().sort((a, b) => b.minPercentile - a.minPercentile);
  rs.forEach((r, i) => {
    if (!r.name || !(r.minPercentile >= 0 && r.minPercentile <= 1))
      throw new Error(`tier rule ${i}: needs a name and minPercentile in [0, 1]`);
  });
  const n = clv.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => clv[a] - clv[b]);
  const pct = new Float64Array(n);
  for (let s = 0; s < n;) {
    let e = s;
    while (e + 1 < n && clv[idx[e + 1]] === clv[idx[s]]) e++;
    const rank = n > 1 ? (s + e) / 2 / (n - 1) : 1;
    for (let k = s; k <= e; k++) pct[idx[k]] = rank;
    s = e + 1;
  }
  const lowest = rs[rs.length - 1].name;
  return Array.from(pct, (p) => rs.find((r) => p >= r.minPercentile - 1e-12)?.name ?? lowest);
}

/** Σ_{k=1..H} margin / (1+d)^k: converts a flat monthly spend rate to CLV. */
export function discountedMonths(s: ClvSettings): number {
  const d = Math.pow(1 + s.annualDiscountRate, 1 / 12) - 1;
  let f = 0;
  for (let k = 1; k <= s.horizonMonths; k++) f += s.grossMargin / Math.pow(1 + d, k);
  return f;
}
