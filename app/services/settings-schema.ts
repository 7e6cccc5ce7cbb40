/** Settings constants shared by the settings service and the settings page (client-safe). */

/** A tier: customers at or above `minPercentile` of predicted CLV (0–1) get this tier. */
export interface TierRule {
  name: string;
  minPercentile: number;
}

/** Write-back automations the merchant can switch on or off. */
export const AUTOMATIONS = ["tags", "metafields", "segments", "flow", "discounts"] as const;
export type Automation = (typeof AUTOMATIONS)[number];

/**
 * Defaults for a new shop: the trainer's defaults (app/training/score.ts DEFAULT_TIERS, kept equal
 * by settings.server.test.ts; repeated here because that module is server-only and heavy).
 */
export const DEFAULT_TIER_RULES: TierRule[] = [
  { name: "platinum", minPercentile: 0.9 },
  { name: "gold", minPercentile: 0.7 },
  { name: "silver", minPercentile: 0.4 },
  { name: "bronze", minPercentile: 0 },
];

/** Maximum number of tiers. */
export const MAX_TIERS = 5;
