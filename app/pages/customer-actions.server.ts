/**
 * The customers list's and the customer page's actions (issue 11, "act where they look"), handed to
 * the actions machinery:
 *   - "campaign": a retention offer for the current tier, the at-risk list or one customer
 *     (app/actions/offers-page.server.ts → planRetentionCampaign: the campaign is stored and a job
 *     creates the codes through the Shopify port);
 *   - "segment": the Shopify customer segment of the current tier or the at-risk list
 *     (app/actions/segments.server.ts → segmentForAudience: the one the Segments automation keeps,
 *     else created with segmentCreate, filtering on the app's tags).
 */
import type { Db } from "~/db.server";
import { handleOffersForm, type OffersActionResult } from "~/actions/offers-page.server";
import { segmentForAudience } from "~/actions/segments.server";
import { listActionSegments } from "~/models/actions.server";
import { getSettings } from "~/settings/shop-settings.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";

/** A segment the pages can link to: its key (`tier:<name>` / `at-risk`) and numeric Shopify id. */
export interface SegmentLink {
  key: string;
  id: string;
  name: string;
  /** The segment in the Shopify admin (outside the embedded admin; inside, `shopify://admin/...`). */
  adminUrl: string;
}

export type CustomerActionResult = OffersActionResult | { ok: true; message: string; segment: SegmentLink };

const numericId = (gid: string) => gid.split("/").pop() ?? gid;

function segmentLink(shop: string, key: string, segmentId: string, name: string): SegmentLink {
  const id = numericId(segmentId);
  const handle = shop.replace(/\.myshopify\.com$/i, "");
  const adminUrl = `https://admin.shopify.com/store/${encodeURIComponent(handle)}/customers/segments/${id}`;
  return { key, id, name, adminUrl };
}

/** The segment key of an audience, or an error naming the field. */
function segmentKey(form: FormData): { key: string } | { error: string } {
  const audience = String(form.get("audience") ?? "");
  if (audience === "at-risk") return { key: "at-risk" };
  if (audience !== "tier") return { error: `audience must be tier or at-risk for a segment; got "${audience}".` };
  const tier = String(form.get("tier") ?? "").trim();
  return tier ? { key: `tier:${tier}` } : { error: "tier: choose a tier." };
}

/** The app's segments already in Shopify (as last stored), by key: the pages link to them. */
export async function audienceSegments(db: Db, shop: string): Promise<Record<string, SegmentLink>> {
  const stored = await listActionSegments(db, shop);
  return Object.fromEntries(stored.map((s) => [s.key, segmentLink(shop, s.key, s.segmentId, s.name)]));
}

export async function actOnCustomers(
  db: Db,
  shop: string,
  form: FormData,
  adminFor: () => Promise<AdminGraphql>,
): Promise<CustomerActionResult> {
  const intent = String(form.get("intent") ?? "");
  if (intent === "segment") {
    const k = segmentKey(form);
    if ("error" in k) return { ok: false, errors: { form: k.error } };
    const seg = await segmentForAudience(db, await adminFor(), shop, k.key);
    if (!seg) return { ok: false, errors: { form: `No tier "${k.key.slice("tier:".length)}" in the current tiers.` } };
    const settings = await getSettings(db, shop);
    const tagsNote = settings.automations.tags
      ? ""
      : " Customers carry the app's tags only with Customer tags switched on in Settings: until then it stays empty.";
    return {
      ok: true,
      message: `${seg.created ? "Segment created" : "Segment already in Shopify"}: "${seg.name}" (${seg.query}).${tagsNote}`,
      segment: segmentLink(shop, seg.key, seg.segmentId, seg.name),
    };
  }
  if (intent !== "campaign") return { ok: false, errors: { form: `Unknown action "${intent}".` } };
  const audience = String(form.get("audience") ?? "");
  if (!["tier", "at-risk", "customer"].includes(audience))
    return { ok: false, errors: { form: `audience must be tier, at-risk or customer; got "${audience}".` } };
  return handleOffersForm(db, shop, form);
}
