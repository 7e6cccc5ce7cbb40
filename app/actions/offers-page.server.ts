/**
 * The Offers page (routes/app.offers.tsx): retention campaigns with codes created and redeemed,
 * offered vs. not-offered at-risk customers, the tier discount's percentages and state, Flow trigger
 * usage and recent Flow events; and its form handling (new campaign, tier percentages).
 */
import type { Db } from "~/db.server";
import {
  atRiskCustomerIds,
  enabledFlowTriggers,
  getTierDiscount,
  listSegmentDiscounts,
  recentFlowEvents,
} from "~/models/actions.server";
import { ValidationError } from "~/models/common.server";
import { campaignSummaries } from "~/models/offers.server";
import { getSettings } from "~/settings/shop-settings.server";
import { getShopCurrency } from "~/models/shop-format.server";
import { requestActions } from "./after-scoring.server";
import { FLOW_TRIGGERS } from "./flow-changes";
import { offeredVsNotOffered } from "./redemption.server";
import { planRetentionCampaign, type CampaignRequest } from "./retention.server";
import { parseStoredRules, parseTierPercentForm, tierDiscountConfig } from "./tier-discount";
import { modeOf, saveTierDiscountRules, TIER_DISCOUNT_MODES, type TierDiscountMode } from "./tier-discount.server";

export async function loadOffersPage(db: Db, shop: string) {
  const [settings, currency, campaigns, comparison, atRisk, discount, enabled, events, natives] = await Promise.all([
    getSettings(db, shop),
    getShopCurrency(db, shop),
    campaignSummaries(db, shop),
    offeredVsNotOffered(db, shop),
    atRiskCustomerIds(db, shop),
    getTierDiscount(db, shop),
    enabledFlowTriggers(db, shop),
    recentFlowEvents(db, shop),
    listSegmentDiscounts(db, shop),
  ]);
  const rules = tierDiscountConfig(settings.tagPrefix, settings.tierRules, parseStoredRules(discount?.rules)).rules;
  return {
    currency,
    tiers: settings.tierRules.map((t) => t.name),
    automations: settings.automations,
    atRiskCount: atRisk.length,
    campaigns: campaigns.map((c) => ({
      id: c.id,
      createdAt: c.createdAt.toISOString(),
      audience:
        c.audience === "tier"
          ? `tier ${c.target}`
          : c.audience === "at-risk"
            ? "at-risk list"
            : `${c.audience} ${c.target ?? ""}`.trim(),
      percentage: c.percentage,
      endsAt: c.endsAt.toISOString(),
      status: c.status,
      error: c.error,
      created: c.created,
      planned: c.planned,
      redeemed: c.redeemed,
      redeemedRevenue: c.redeemedRevenue,
    })),
    comparison: comparison && { ...comparison, since: comparison.since.toISOString() },
    tierDiscount: {
      mode: modeOf(discount),
      exists: modeOf(discount) === "function" ? Boolean(discount?.discountId) : natives.length > 0,
      active: modeOf(discount) === "function" ? Boolean(discount?.active) : natives.some((n) => n.active),
      /** Native mode: the per-tier discounts in Shopify. */
      native: natives.map((n) => ({ tier: n.tier, percentage: n.percentage, active: n.active })),
      percentages: Object.fromEntries(rules.map((r) => [r.tier, r.percentage])) as Record<string, number>,
    },
    flow: {
      triggers: FLOW_TRIGGERS.map((handle) => ({ handle, inUse: enabled.has(handle) })),
      events: events.map((e) => ({
        id: e.id,
        handle: e.handle,
        customerId: e.customerId,
        createdAt: e.createdAt.toISOString(),
        state: e.error ? `rejected: ${e.error}` : e.sentAt ? "sent" : "queued",
      })),
    },
  };
}

export type OffersActionResult = { ok: true; message: string } | { ok: false; errors: Record<string, string> };

/** Handles the page's forms (`intent` = "campaign" | "tier-discount"). */
export async function handleOffersForm(db: Db, shop: string, form: FormData): Promise<OffersActionResult> {
  const intent = String(form.get("intent") ?? "");
  if (intent === "tier-discount") {
    const settings = await getSettings(db, shop);
    const r = parseTierPercentForm(form, settings.tierRules);
    if (!r.ok) return r;
    const mode = String(form.get("mode") ?? "function") as TierDiscountMode;
    if (!TIER_DISCOUNT_MODES.includes(mode))
      return { ok: false, errors: { mode: `Discount type must be one of ${TIER_DISCOUNT_MODES.join(", ")}.` } };
    await saveTierDiscountRules(db, shop, r.rules, mode);
    await requestActions(db, shop);
    return {
      ok: true,
      message: settings.automations.discounts
        ? "Saved. The tier discount is being updated in Shopify."
        : "Saved. Switch on Tier discounts in Settings to create the discount in Shopify.",
    };
  }
  if (intent === "campaign") {
    const audience = String(form.get("audience") ?? "") as CampaignRequest["audience"];
    const request: CampaignRequest = {
      audience,
      target:
        audience === "tier"
          ? String(form.get("tier") ?? "")
          : audience === "customer"
            ? String(form.get("customerId") ?? "").trim()
            : null,
      percentage: Number(form.get("percentage")),
      validDays: Number(form.get("validDays")),
      limit: audience === "customer" || !String(form.get("limit") ?? "").trim() ? null : Number(form.get("limit")),
    };
    try {
      const r = await planRetentionCampaign(db, shop, request);
      return { ok: true, message: `Campaign #${r.campaignId}: ${r.offers} unique codes are being created.` };
    } catch (e) {
      if (e instanceof ValidationError) {
        const first = /^(\w+)/.exec(e.message)?.[1] ?? "";
        const field =
          first === "target"
            ? audience === "tier"
              ? "tier"
              : "customerId"
            : ["audience", "percentage", "validDays", "tier", "limit"].includes(first)
              ? first
              : "form";
        return { ok: false, errors: { [field]: e.message } };
      }
      throw e;
    }
  }
  return { ok: false, errors: { form: `Unknown action "${intent}".` } };
}
