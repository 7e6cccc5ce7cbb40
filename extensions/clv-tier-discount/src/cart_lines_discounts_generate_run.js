// @ts-check
/**
 * Tier discount: an order discount whose percentage depends on the buyer's predicted CLV tier.
 *
 * - The tier comes from the customer's `$app.clv_tier` metafield (written by the app's write-back);
 *   when that metafield is absent (metafield write-back switched off), from the first of the app's
 *   tier tags (`configuration.tierTags`, e.g. "clv:gold") the customer carries.
 * - Per-tier rules come from the discount's own `$app.function-configuration` metafield, written by
 *   the app when it creates the discount:
 *   `{ "tierTags": ["clv:gold", …], "rules": [{ "tier": "gold", "percentage": 10 }, …], "message": "…" }`.
 * - Guests (no customer), customers without a tier, tiers without a rule and a missing or garbled
 *   configuration give no discount (never an error at checkout).
 * - Emits only when the discount carries the ORDER class.
 */

/**
 * @typedef {{ tier: string, percentage: number }} TierRule
 * @typedef {{ tierTags: string[], rules: TierRule[], message: string | null }} TierDiscountConfig
 */

/** Largest percentage a rule may carry (Shopify validates 0–100). */
const MAX_PERCENTAGE = 100;

/**
 * Parses the discount's configuration; null when it is missing or not the expected shape.
 * @param {unknown} value the metafield's `jsonValue`
 * @returns {TierDiscountConfig | null}
 */
export function parseTierDiscountConfig(value) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const v = /** @type {Record<string, unknown>} */ (value);
  if (!Array.isArray(v.rules)) return null;
  /** @type {TierRule[]} */
  const rules = [];
  for (const r of v.rules) {
    if (!r || typeof r !== "object") return null;
    const { tier, percentage } = /** @type {Record<string, unknown>} */ (r);
    if (typeof tier !== "string" || !tier) return null;
    if (typeof percentage !== "number" || !Number.isFinite(percentage) || percentage <= 0) return null;
    if (percentage > MAX_PERCENTAGE) return null;
    rules.push({ tier, percentage });
  }
  const tierTags = Array.isArray(v.tierTags) ? v.tierTags.filter((t) => typeof t === "string") : [];
  const message = typeof v.message === "string" && v.message ? v.message : null;
  return { tierTags, rules, message };
}

/**
 * The buyer's tier: the metafield, else the first tier tag present (text after the last ":").
 * @param {any} customer
 * @returns {string | null}
 */
export function buyerTier(customer) {
  if (!customer) return null;
  const fromMetafield = customer.tier?.value;
  if (typeof fromMetafield === "string" && fromMetafield.trim()) return fromMetafield.trim();
  const tagged = (customer.tierTags ?? []).find((/** @type {any} */ t) => t && t.hasTag);
  if (!tagged || typeof tagged.tag !== "string") return null;
  return tagged.tag.slice(tagged.tag.lastIndexOf(":") + 1) || null;
}

/**
 * @param {any} input the result of cart_lines_discounts_generate_run.graphql
 * @returns {{ operations: any[] }}
 */
export function cartLinesDiscountsGenerateRun(input) {
  const none = { operations: [] };
  const classes = input?.discount?.discountClasses ?? [];
  if (!classes.includes("ORDER")) return none;
  const config = parseTierDiscountConfig(input?.discount?.configuration?.jsonValue);
  if (!config) return none;
  const tier = buyerTier(input?.cart?.buyerIdentity?.customer);
  if (!tier) return none;
  const rule = config.rules.find((r) => r.tier.toLowerCase() === tier.toLowerCase());
  if (!rule) return none;
  return {
    operations: [
      {
        orderDiscountsAdd: {
          selectionStrategy: "FIRST",
          candidates: [
            {
              message: config.message ?? `${rule.percentage}% off for ${rule.tier} customers`,
              targets: [{ orderSubtotal: { excludedCartLineIds: [] } }],
              value: { percentage: { value: rule.percentage } },
            },
          ],
        },
      },
    ],
  };
}
