/** Settings constants shared by the settings service and the settings page (client-safe). */

import { DEFAULT_TIERS, type TierRule } from "~/clv/tiers";

export type { TierRule };

/** Write-back automations the merchant can switch on or off. */
export const AUTOMATIONS = ["tags", "metafields", "segments", "flow", "discounts"] as const;
export type Automation = (typeof AUTOMATIONS)[number];

/** Defaults for a new shop: the trainer's defaults (one source: app/clv/tiers.ts). */
export const DEFAULT_TIER_RULES: TierRule[] = DEFAULT_TIERS;

/** Maximum number of tiers. */
export const MAX_TIERS = 5;
