/** CLV tiers: the rule type and the defaults shared by the trainer, the settings and the pages (pure). */

/** A tier: customers at or above `minPercentile` of predicted CLV (percentile rank 0–1) get this tier. */
export interface TierRule {
  name: string;
  /** Lowest CLV percentile rank (0..1) of the tier. */
  minPercentile: number;
}

/** Default tiers: top 10 % platinum, next 20 % gold, next 30 % silver, rest bronze. */
export const DEFAULT_TIERS: TierRule[] = [
  { name: "platinum", minPercentile: 0.9 },
  { name: "gold", minPercentile: 0.7 },
  { name: "silver", minPercentile: 0.4 },
  { name: "bronze", minPercentile: 0 },
];
