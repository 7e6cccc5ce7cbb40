/**
 * The tier discount's configuration (pure): per-tier percentages written to the discount's
 * `$app.function-configuration` metafield and read by extensions/clv-tier-discount. Default: 10 % for
 * the top tier, 5 % for the second, nothing for the others; merchants change them on the Offers page.
 */
import type { TierRule } from "~/settings/settings-schema";
import { tierTag } from "./tags";

/** Handle of the discount Function (extensions/clv-tier-discount). */
export const TIER_DISCOUNT_FUNCTION = "clv-tier-discount";

export interface TierDiscountRule {
  tier: string;
  percentage: number;
}

/** What the Function reads (see parseTierDiscountConfig in the extension). */
export interface TierDiscountConfig {
  tierTags: string[];
  rules: TierDiscountRule[];
}

const DEFAULT_PERCENTAGES = [10, 5];

/**
 * The configuration for the current tiers: stored percentages kept for tiers that still exist,
 * defaults for the top two tiers otherwise; rules of 0 % are left out.
 */
export function tierDiscountConfig(
  prefix: string,
  tiers: TierRule[],
  stored: TierDiscountRule[] | null,
): TierDiscountConfig {
  const rules = tiers
    .map((t, i) => ({
      tier: t.name,
      percentage: stored ? (stored.find((r) => r.tier === t.name)?.percentage ?? 0) : (DEFAULT_PERCENTAGES[i] ?? 0),
    }))
    .filter((r) => r.percentage > 0);
  return { tierTags: tiers.map((t) => tierTag(prefix, t.name)), rules };
}

/** Parses stored rules (a JSON array); null when absent or corrupt. */
export function parseStoredRules(json: string | null | undefined): TierDiscountRule[] | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as unknown;
    if (!Array.isArray(v)) return null;
    return v.filter(
      (r): r is TierDiscountRule =>
        !!r &&
        typeof r.tier === "string" &&
        typeof r.percentage === "number" &&
        r.percentage > 0 &&
        r.percentage <= 100,
    );
  } catch {
    return null;
  }
}

/**
 * Validates the Offers page form (`pct_<tier>` fields, 0–100 %); errors name the field.
 */
export function parseTierPercentForm(
  form: FormData,
  tiers: TierRule[],
): { ok: true; rules: TierDiscountRule[] } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const rules: TierDiscountRule[] = [];
  for (const t of tiers) {
    const raw = String(form.get(`pct_${t.name}`) ?? "").trim();
    const v = raw === "" ? 0 : Number(raw);
    if (!Number.isFinite(v) || v < 0 || v > 100) {
      errors[`pct_${t.name}`] = `Discount for ${t.name}: a number from 0 to 100 %.`;
      continue;
    }
    if (v > 0) rules.push({ tier: t.name, percentage: v });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, rules };
}
