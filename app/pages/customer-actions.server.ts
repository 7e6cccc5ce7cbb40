/**
 * The customers list's and the customer page's actions (issue 11, "act where they look"): a
 * retention offer for the current tier, the at-risk list or one customer, handed to the actions
 * machinery (app/actions/offers-page.server.ts → planRetentionCampaign: the campaign is stored and a
 * job creates the codes through the Shopify port). Only the campaign intent is accepted here.
 */
import type { Db } from "~/db.server";
import { handleOffersForm, type OffersActionResult } from "~/actions/offers-page.server";

export async function actOnCustomers(db: Db, shop: string, form: FormData): Promise<OffersActionResult> {
  const intent = String(form.get("intent") ?? "");
  if (intent !== "campaign") return { ok: false, errors: { form: `Unknown action "${intent}".` } };
  const audience = String(form.get("audience") ?? "");
  if (!["tier", "at-risk", "customer"].includes(audience))
    return { ok: false, errors: { form: `audience must be tier, at-risk or customer; got "${audience}".` } };
  return handleOffersForm(db, shop, form);
}
