/** Settings constants shared by the settings service and the settings page (client-safe). */

/** A tier: customers at or above `minPercentile` of predicted CLV (0–1) get this tier. */
export interface TierRule {
  name: string;
  minPercentile: number;
}

/** Write-back automations the merchant can switch on or off. */
export const AUTOMATIONS = ["tags", "metafields", "segments", "flow", "discounts"] as const;
export type Automation = (typeof AUTOMATIONS)[number];

/** Defaults for a new shop. */
export const DEFAULT_TIER_RULES: TierRule[] = [
  { name: "high", minPercentile: 0.8 },
  { name: "medium", minPercentile: 0.5 },
  { name: "low", minPercentile: 0 },
];

/** Maximum number of tiers. */
export const MAX_TIERS = 5;

