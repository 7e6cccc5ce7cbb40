/**
 * The app's customer tag scheme as the actions use it: tier tags `<prefix>:<tier>` (written by the
 * tier write-back) and the at-risk tag `<prefix>-at-risk` (written by the actions; it does not start
 * with `<prefix>:` so the write-back's tier-tag cleanup leaves it alone). Segments and the segment
 * templates (extensions/clv-segment-templates) filter on these tags.
 */
import type { TierRule } from "~/settings/settings-schema";

/** The tier tag of a tier. */
export const tierTag = (prefix: string, tier: string) => `${prefix}:${tier}`;

/** The tag carried by customers the app considers at risk. */
export const atRiskTag = (prefix: string) => `${prefix}-at-risk`;

/** A segment the app keeps in Shopify. */
export interface SegmentDefinition {
  /** Stable key: `tier:<name>` or `at-risk`. */
  key: string;
  name: string;
  query: string;
}

const tagFilter = (tag: string) => `customer_tags CONTAINS '${tag}'`;

/** One segment per tier (highest first) and one for at-risk customers. */
export function segmentDefinitions(prefix: string, tiers: TierRule[]): SegmentDefinition[] {
  return [
    ...tiers.map((t) => ({
      key: `tier:${t.name}`,
      name: `Horizon CLV: ${t.name} tier`,
      query: tagFilter(tierTag(prefix, t.name)),
    })),
    { key: "at-risk", name: "Horizon CLV: at churn risk", query: tagFilter(atRiskTag(prefix)) },
  ];
}
