/**
 * What the customer-page admin block (extensions/customer-clv-block) shows, from the app's stored
 * prediction: predicted CLV with its interval and level, tier, P(alive), churn risk, expected orders,
 * the top reasons, whether the customer is at risk and the newest retention offer. The block's
 * states: "scored", "fallback" (the run's champion is the heuristic fallback), "not-scored".
 */
import type { Db } from "~/db.server";
import { actionPredictionOf } from "~/models/actions.server";
import { ValidationError } from "~/models/common.server";
import { latestOfferForCustomer, getCampaign } from "~/models/offers.server";
import { getCustomerDetail } from "./customer-detail.server";
import { getShopCurrency } from "~/models/shop-format.server";
import { churnRisk, isAtRisk } from "~/actions/at-risk";

/** The block's JSON (contract with extensions/customer-clv-block/src/BlockExtension.jsx). */
export type CustomerBlockData =
  | {
      status: "scored" | "fallback";
      currency: string;
      clv: number;
      clvLow: number;
      clvHigh: number;
      intervalLabel: string | null;
      tier: string;
      pAlive: number;
      churnRisk: number | null;
      expectedOrders: number;
      reasons: string[];
      atRisk: boolean;
      offer: { code: string; expiresAt: string } | null;
    }
  | { status: "not-scored"; reason: string };

/** Numeric id of a customer GID (or a numeric id); a clear error otherwise. */
export function customerIdOf(value: unknown): string {
  const m = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/.exec(String(value ?? ""));
  if (!m) throw new ValidationError(`customerId must be a customer GID or numeric id; got ${JSON.stringify(value)}`);
  return m[1]!;
}

export async function customerBlockData(db: Db, shop: string, customerId: string): Promise<CustomerBlockData> {
  const [detail, pred] = await Promise.all([
    getCustomerDetail(db, shop, customerId),
    actionPredictionOf(db, shop, customerId),
  ]);
  const p = detail?.prediction;
  if (!p || !pred)
    return {
      status: "not-scored",
      reason: detail
        ? "Horizon CLV has not scored this customer yet (no valid orders, or the shop has not been scored)."
        : "Horizon CLV has no data for this customer yet.",
    };
  const [currency, offer] = await Promise.all([
    getShopCurrency(db, shop),
    latestOfferForCustomer(db, shop, customerId),
  ]);
  const campaign = offer ? await getCampaign(db, shop, offer.campaignId) : null;
  return {
    status: p.champion === "fallback" ? "fallback" : "scored",
    currency,
    clv: p.clv,
    clvLow: p.clvLow,
    clvHigh: p.clvHigh,
    intervalLabel: p.interval && p.interval.method !== "none" && p.interval.lower !== null ? p.intervalLabel : null,
    tier: p.tier,
    pAlive: p.pAlive,
    churnRisk: pred.churnProbability === null && pred.orderCount === 0 ? null : churnRisk(pred),
    expectedOrders: p.expectedOrders,
    reasons: detail.drivers.map((d) => d.phrase).slice(0, 3),
    atRisk: isAtRisk(pred),
    offer: offer && campaign ? { code: offer.code, expiresAt: campaign.endsAt.toISOString() } : null,
  };
}
