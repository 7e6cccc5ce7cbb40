/**
 * Keeps the tier discount in Shopify: an automatic app discount on the tier discount Function
 * (`discountAutomaticAppCreate` with `functionHandle`, ORDER class) whose `$app.function-configuration`
 * metafield holds the per-tier rules. Created when the Discounts switch is on, updated when the
 * tiers or percentages change, deactivated when the switch is turned off (reactivated when on again).
 * The merchant's percentages (TierDiscount.rules) are kept apart from the configuration last written
 * (TierDiscount.config), so a change of either side is noticed.
 */
import type { Db } from "~/db.server";
import { getTierDiscount, saveTierDiscount } from "~/models/actions.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import type { TierRule } from "~/settings/settings-schema";
import {
  DISCOUNT_AUTOMATIC_ACTIVATE,
  DISCOUNT_AUTOMATIC_APP_CREATE,
  DISCOUNT_AUTOMATIC_APP_UPDATE,
  DISCOUNT_AUTOMATIC_DEACTIVATE,
} from "./documents";
import { parseStoredRules, TIER_DISCOUNT_FUNCTION, tierDiscountConfig, type TierDiscountRule } from "./tier-discount";

export const TIER_DISCOUNT_TITLE = "Horizon CLV tier discount";

const metafield = (config: string) => ({
  namespace: "$app",
  key: "function-configuration",
  type: "json",
  value: config,
});

/** What the sync did. */
export type TierDiscountSync = "created" | "updated" | "unchanged" | "deactivated" | "reactivated" | "off";

/** Creates, updates, (re)activates or deactivates the tier discount. */
export async function syncTierDiscount(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  settings: { tagPrefix: string; tierRules: TierRule[]; automations: { discounts: boolean } },
): Promise<TierDiscountSync> {
  const stored = await getTierDiscount(db, shop);
  if (!settings.automations.discounts) {
    if (!stored?.discountId || !stored.active) return "off";
    await admin.mutate(DISCOUNT_AUTOMATIC_DEACTIVATE, { id: stored.discountId }, "discountAutomaticDeactivate");
    await saveTierDiscount(db, shop, { ...stored, active: false });
    return "deactivated";
  }
  const config = JSON.stringify(
    tierDiscountConfig(settings.tagPrefix, settings.tierRules, parseStoredRules(stored?.rules)),
  );
  if (!stored?.discountId) {
    const r = await admin.mutate(
      DISCOUNT_AUTOMATIC_APP_CREATE,
      {
        discount: {
          title: TIER_DISCOUNT_TITLE,
          functionHandle: TIER_DISCOUNT_FUNCTION,
          discountClasses: ["ORDER"],
          startsAt: new Date().toISOString(),
          combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
          metafields: [metafield(config)],
        },
      },
      "discountAutomaticAppCreate",
    );
    if (!r.automaticAppDiscount) throw new Error("discountAutomaticAppCreate returned no discount");
    await saveTierDiscount(db, shop, {
      discountId: r.automaticAppDiscount.discountId,
      rules: stored?.rules ?? null,
      config,
      active: true,
    });
    return "created";
  }
  let outcome: TierDiscountSync = "unchanged";
  if (stored.config !== config) {
    await admin.mutate(
      DISCOUNT_AUTOMATIC_APP_UPDATE,
      { id: stored.discountId, discount: { metafields: [metafield(config)] } },
      "discountAutomaticAppUpdate",
    );
    outcome = "updated";
  }
  if (!stored.active) {
    await admin.mutate(DISCOUNT_AUTOMATIC_ACTIVATE, { id: stored.discountId }, "discountAutomaticActivate");
    outcome = "reactivated";
  }
  if (outcome !== "unchanged") await saveTierDiscount(db, shop, { ...stored, config, active: true });
  return outcome;
}

/**
 * Stores the merchant's per-tier percentages (Offers page); the next actions run writes them to the
 * discount (or creates it, when the Discounts switch is on).
 */
export async function saveTierDiscountRules(db: Db, shop: string, rules: TierDiscountRule[]): Promise<void> {
  const stored = await getTierDiscount(db, shop);
  await saveTierDiscount(db, shop, {
    discountId: stored?.discountId ?? null,
    config: stored?.config ?? null,
    active: stored?.active ?? false,
    rules: JSON.stringify(rules),
  });
}
