/**
 * Keeps the tier discount in Shopify, in one of two modes (TierDiscount.mode, chosen on the Offers page):
 *   - "function": an automatic app discount on the tier discount Function (`discountAutomaticAppCreate`
 *     with `functionHandle`, ORDER class) whose `$app.function-configuration` metafield holds the
 *     per-tier rules;
 *   - "segments": no Function — one native automatic discount per tier with a percentage
 *     (`discountAutomaticBasicCreate`), limited to that tier's customer segment with
 *     `context.customerSegments` (the segments of app/actions/segments.server.ts).
 * Created when the Discounts switch is on, updated when the tiers or percentages change, deactivated
 * when the switch is turned off or the other mode is chosen (reactivated when on again). The
 * merchant's percentages (TierDiscount.rules) are kept apart from what was last written
 * (TierDiscount.config / TierSegmentDiscount), so a change of either side is noticed.
 */
import type { Db } from "~/db.server";
import {
  getTierDiscount,
  listActionSegments,
  listSegmentDiscounts,
  saveSegmentDiscount,
  saveTierDiscount,
  type StoredTierDiscount,
} from "~/models/actions.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import type { TierRule } from "~/settings/settings-schema";
import {
  DISCOUNT_AUTOMATIC_ACTIVATE,
  DISCOUNT_AUTOMATIC_APP_CREATE,
  DISCOUNT_AUTOMATIC_APP_UPDATE,
  DISCOUNT_AUTOMATIC_BASIC_CREATE,
  DISCOUNT_AUTOMATIC_BASIC_UPDATE,
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

/** What the sync did ("segments-missing": native mode, a tier's segment does not exist yet). */
export type TierDiscountSync =
  "created" | "updated" | "unchanged" | "deactivated" | "reactivated" | "off" | "segments-missing";

/** The two ways of giving tier discounts. */
export const TIER_DISCOUNT_MODES = ["function", "segments"] as const;
export type TierDiscountMode = (typeof TIER_DISCOUNT_MODES)[number];

type SyncSettings = { tagPrefix: string; tierRules: TierRule[]; automations: { discounts: boolean } };
type SyncContext = {
  db: Db;
  admin: AdminGraphql;
  shop: string;
  stored: StoredTierDiscount | null;
  settings: SyncSettings;
};

/** The stored mode ("function" unless "segments" was chosen). */
export const modeOf = (stored: Pick<StoredTierDiscount, "mode"> | null): TierDiscountMode =>
  stored?.mode === "segments" ? "segments" : "function";

/** Creates, updates, (re)activates or deactivates the tier discount(s) of the chosen mode. */
export async function syncTierDiscount(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  settings: SyncSettings,
): Promise<TierDiscountSync> {
  const stored = await getTierDiscount(db, shop);
  const on = settings.automations.discounts;
  const mode = modeOf(stored);
  const c: SyncContext = { db, admin, shop, stored, settings };
  const fn = await syncFunctionDiscount(c, on && mode === "function");
  const native = await syncSegmentDiscounts(c, on && mode === "segments");
  return mode === "function" || !on ? (fn === "off" ? native : fn) : native;
}

/** Deactivates an automatic discount. */
const deactivate = (admin: AdminGraphql, id: string) =>
  admin.mutate(DISCOUNT_AUTOMATIC_DEACTIVATE, { id }, "discountAutomaticDeactivate");

async function syncFunctionDiscount(
  { db, admin, shop, stored, settings }: SyncContext,
  wanted: boolean,
): Promise<TierDiscountSync> {
  if (!wanted) {
    if (!stored?.discountId || !stored.active) return "off";
    await deactivate(admin, stored.discountId);
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
      mode: stored?.mode ?? "function",
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

/** Title of a tier's native discount (what the merchant and the buyer see). */
export const segmentDiscountTitle = (tier: string, percentage: number) =>
  `Horizon CLV: ${percentage} % off for the ${tier} tier`;

/**
 * Native mode: one automatic basic discount per tier with a percentage, limited to the tier's segment.
 * With `wanted` false every active one is deactivated.
 */
async function syncSegmentDiscounts(
  { db, admin, shop, stored, settings }: SyncContext,
  wanted: boolean,
): Promise<TierDiscountSync> {
  const existing = new Map((await listSegmentDiscounts(db, shop)).map((d) => [d.tier, d]));
  const rules = wanted
    ? tierDiscountConfig(settings.tagPrefix, settings.tierRules, parseStoredRules(stored?.rules)).rules
    : [];
  const segments = new Map((await listActionSegments(db, shop)).map((s) => [s.key, s.segmentId]));
  const done = { created: 0, updated: 0, reactivated: 0, deactivated: 0, missing: 0 };
  for (const r of rules) {
    const segmentId = segments.get(`tier:${r.tier}`);
    if (!segmentId) {
      done.missing++;
      continue;
    }
    const prev = existing.get(r.tier);
    const input = {
      title: segmentDiscountTitle(r.tier, r.percentage),
      customerGets: { value: { percentage: r.percentage / 100 }, items: { all: true } },
      combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
    };
    if (!prev) {
      const res = await admin.mutate(
        DISCOUNT_AUTOMATIC_BASIC_CREATE,
        {
          discount: {
            ...input,
            startsAt: new Date().toISOString(),
            context: { customerSegments: { add: [segmentId] } },
          },
        },
        "discountAutomaticBasicCreate",
      );
      if (!res.automaticDiscountNode) throw new Error("discountAutomaticBasicCreate returned no discount");
      const row = { tier: r.tier, discountId: res.automaticDiscountNode.id, segmentId, percentage: r.percentage };
      await saveSegmentDiscount(db, shop, { ...row, active: true });
      done.created++;
      continue;
    }
    if (prev.percentage !== r.percentage || prev.segmentId !== segmentId) {
      const context =
        prev.segmentId === segmentId
          ? {}
          : { context: { customerSegments: { add: [segmentId], remove: [prev.segmentId] } } };
      await admin.mutate(
        DISCOUNT_AUTOMATIC_BASIC_UPDATE,
        { id: prev.discountId, discount: { ...input, ...context } },
        "discountAutomaticBasicUpdate",
      );
      done.updated++;
    }
    if (!prev.active) {
      await admin.mutate(DISCOUNT_AUTOMATIC_ACTIVATE, { id: prev.discountId }, "discountAutomaticActivate");
      done.reactivated++;
    }
    if (prev.percentage !== r.percentage || prev.segmentId !== segmentId || !prev.active)
      await saveSegmentDiscount(db, shop, { ...prev, segmentId, percentage: r.percentage, active: true });
  }
  // Tiers without a percentage any more (or native mode off): deactivate.
  for (const d of existing.values()) {
    if (!d.active || rules.some((r) => r.tier === d.tier && segments.has(`tier:${r.tier}`))) continue;
    await deactivate(admin, d.discountId);
    await saveSegmentDiscount(db, shop, { ...d, active: false });
    done.deactivated++;
  }
  if (done.missing) return "segments-missing";
  if (done.created) return "created";
  if (done.updated) return "updated";
  if (done.reactivated) return "reactivated";
  if (done.deactivated) return "deactivated";
  return wanted ? "unchanged" : "off";
}

/**
 * Stores the merchant's per-tier percentages and the mode (Offers page); the next actions run writes
 * them to Shopify (or creates the discounts, when the Discounts switch is on).
 */
export async function saveTierDiscountRules(
  db: Db,
  shop: string,
  rules: TierDiscountRule[],
  mode?: TierDiscountMode,
): Promise<void> {
  const stored = await getTierDiscount(db, shop);
  await saveTierDiscount(db, shop, {
    discountId: stored?.discountId ?? null,
    config: stored?.config ?? null,
    active: stored?.active ?? false,
    rules: JSON.stringify(rules),
    mode: mode ?? modeOf(stored),
  });
}
