// @ts-check
/**
 * Segment queries of the templates, built from the app's tag scheme (`<prefix>:<tier>` tier tags and
 * the `<prefix>-at-risk` tag; see app/actions/tags.ts, which must stay in step — checked by a test).
 */
export const DEFAULT_PREFIX = "clv";
export const DEFAULT_TOP_TIERS = ["platinum", "gold"];

/** @param {string} tag */
const has = (tag) => `customer_tags CONTAINS '${tag}'`;

/** @param {string} prefix @param {string[]} tiers */
export function highClvQuery(prefix = DEFAULT_PREFIX, tiers = DEFAULT_TOP_TIERS) {
  return tiers.map((t) => has(`${prefix}:${t}`)).join(" OR ");
}

/** @param {string} prefix */
export function atRiskQuery(prefix = DEFAULT_PREFIX) {
  return has(`${prefix}-at-risk`);
}

/** @param {string} prefix @param {string} topTier */
export function slippingVipsQuery(prefix = DEFAULT_PREFIX, topTier = DEFAULT_TOP_TIERS[0]) {
  return `${has(`${prefix}:${topTier}`)} AND ${atRiskQuery(prefix)}`;
}
