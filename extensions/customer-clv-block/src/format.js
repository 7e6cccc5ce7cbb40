// @ts-check
/** Formatting of the block's figures (kept apart from the component so tests can read it). */

/**
 * @param {number} value
 * @param {string} currency ISO code
 */
export function money(value, currency) {
  return new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 0 }).format(value);
}

/** @param {number} p probability 0–1 */
export function percent(p) {
  return `${Math.round(p * 100)}%`;
}
