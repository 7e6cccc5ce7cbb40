/**
 * Retention offers: unique single-use discount codes for chosen customers (one customer, a tier, the
 * at-risk list, or a Flow action), each limited to its customer (`context.customers`), usable once,
 * with a value and an expiry.
 *
 * Exactly once on retry: planning stores the campaign and every offer with its code (random, chosen
 * before any API call) in one transaction; the durable job then creates the planned codes
 * (`discountCodeBasicCreate`, CODES_PER_CALL aliased per request) and marks each created. When a job
 * dies after Shopify created a code but before it was marked, the retry's create answers "code must be
 * unique"; the job then finds that code (`codeDiscountNodeByCode`) and adopts it instead of making a
 * new one. Redemption is read from the orders' discount codes (orders webhooks and sync).
 */
import { randomBytes } from "node:crypto";
import type { Db } from "~/db.server";
import { enqueueJob } from "~/jobs/db-queue.server";
import { atRiskCustomerIds, customerIdsInTier, customerTagsOf, topSpendersAmong } from "~/models/actions.server";
import { ValidationError } from "~/models/common.server";
import {
  campaignByExternalRef,
  createCampaignWithOffers,
  customersWithOpenOffers,
  getCampaign,
  offersOfCampaign,
  markOfferCreated,
  plannedOffers,
  setCampaignStatus,
  type NewCampaign,
} from "~/models/offers.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { CODE_DISCOUNT_BY_CODE, codeCreateBatchDocument } from "./documents";

/** Job type of a campaign run. */
export const OFFER_CAMPAIGN_JOB = "actions.retention.run";
/** discountCodeBasicCreate fields aliased into one request (10 cost points each). */
export const CODES_PER_CALL = 10;
/** Largest audience of one campaign. */
export const MAX_CAMPAIGN_CUSTOMERS = 10_000;

/** Who gets the offer and what it is worth. */
export interface CampaignRequest {
  audience: "customer" | "tier" | "at-risk" | "flow";
  /** Customer id (audience customer/flow) or tier name (audience tier). */
  target?: string | null;
  /** Percentage off the order, 1–100. */
  percentage: number;
  /** Days until the codes expire, 1–365. */
  validDays: number;
  /** Tier / at-risk audiences: reach at most this many, highest past spend first (default: all). */
  limit?: number | null;
  /** Flow's action_run_id: a resent Flow request returns the campaign made the first time. */
  externalRef?: string | null;
}

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** Prefix of every retention code. */
export const OFFER_CODE_PREFIX = "HCLV-";

/** True for a code of the app's retention offers (case-insensitive, as Shopify matches codes). */
export function isOfferCode(code: string): boolean {
  return code.toUpperCase().startsWith(OFFER_CODE_PREFIX);
}

/** A fresh code `HCLV-<random>` (8 characters from an unambiguous alphabet). */
export function newOfferCode(): string {
  const bytes = randomBytes(8);
  return `${OFFER_CODE_PREFIX}${[...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("")}`;
}

/** Checks a campaign request; errors name the field. */
export function validateCampaignRequest(r: CampaignRequest): void {
  if (!["customer", "tier", "at-risk", "flow"].includes(r.audience))
    throw new ValidationError(`audience must be customer, tier or at-risk; got ${JSON.stringify(r.audience)}`);
  if (!Number.isFinite(r.percentage) || r.percentage < 1 || r.percentage > 100)
    throw new ValidationError(`percentage must be a number from 1 to 100; got ${r.percentage}`);
  if (!Number.isInteger(r.validDays) || r.validDays < 1 || r.validDays > 365)
    throw new ValidationError(`validDays must be a whole number from 1 to 365; got ${r.validDays}`);
  if ((r.audience === "customer" || r.audience === "flow") && !/^\d{1,20}$/.test(String(r.target ?? "")))
    throw new ValidationError(`target must be a numeric customer id for audience ${r.audience}`);
  if (r.audience === "tier" && !r.target) throw new ValidationError("target must name a tier for audience tier");
  if (r.limit != null && (!Number.isInteger(r.limit) || r.limit < 1 || r.limit > MAX_CAMPAIGN_CUSTOMERS))
    throw new ValidationError(`limit must be a whole number from 1 to ${MAX_CAMPAIGN_CUSTOMERS}; got ${r.limit}`);
}

/**
 * Plans a campaign (stores it with one offer and code per customer) and enqueues the job creating
 * the codes. Returns the campaign id and the number of offers.
 */
export async function planRetentionCampaign(
  db: Db,
  shop: string,
  r: CampaignRequest,
  opts: { now?: Date; enqueue?: boolean } = {},
): Promise<{ campaignId: number; offers: number; jobId: number | null; existing: boolean }> {
  validateCampaignRequest(r);
  const now = opts.now ?? new Date();
  if (r.externalRef) {
    const prev = await campaignByExternalRef(db, shop, r.externalRef);
    if (prev)
      return {
        campaignId: prev.id,
        offers: (await offersOfCampaign(db, shop, prev.id)).length,
        jobId: null,
        existing: true,
      };
  }
  const atRisk = new Set(await atRiskCustomerIds(db, shop));
  // Tier and at-risk campaigns skip customers who still hold an open offer (no second code each).
  const open = r.audience === "tier" || r.audience === "at-risk" ? await customersWithOpenOffers(db, shop, now) : null;
  const audience = (
    r.audience === "tier"
      ? await customerIdsInTier(db, shop, r.target!)
      : r.audience === "at-risk"
        ? [...atRisk].sort()
        : [r.target!]
  ).filter((id) => !open?.has(id));
  const customers =
    r.limit != null && audience.length > r.limit && (r.audience === "tier" || r.audience === "at-risk")
      ? await topSpendersAmong(db, shop, audience, r.limit)
      : audience;
  if ((r.audience === "customer" || r.audience === "flow") && !(await customerTagsOf(db, shop, customers)).size)
    throw new ValidationError(`target: customer ${r.target} is not a customer of ${shop} (not synced yet?)`);
  if (!customers.length)
    throw new ValidationError(
      r.audience === "tier"
        ? `tier "${r.target}" has no customers without an open offer`
        : "no customers without an open offer are at risk right now",
    );
  if (customers.length > MAX_CAMPAIGN_CUSTOMERS)
    throw new ValidationError(
      `a campaign reaches at most ${MAX_CAMPAIGN_CUSTOMERS} customers; this one ${customers.length}`,
    );
  const campaign: NewCampaign = {
    audience: r.audience,
    target: r.target ?? null,
    percentage: r.percentage,
    validDays: r.validDays,
    startsAt: now,
    endsAt: new Date(now.getTime() + r.validDays * 86_400_000),
    externalRef: r.externalRef ?? null,
  };
  const campaignId = await createCampaignWithOffers(
    db,
    shop,
    campaign,
    customers.map((customerId) => ({ customerId, code: newOfferCode(), wasAtRisk: atRisk.has(customerId) })),
  );
  const jobId = opts.enqueue === false ? null : await enqueueCampaign(db, shop, campaignId);
  return { campaignId, offers: customers.length, jobId, existing: false };
}

/** Enqueues the job creating a campaign's codes (one per campaign). */
export async function enqueueCampaign(db: Db, shop: string, campaignId: number): Promise<number> {
  const job = await enqueueJob(
    db,
    shop,
    OFFER_CAMPAIGN_JOB,
    { campaignId },
    { dedupeKey: `${OFFER_CAMPAIGN_JOB}:${campaignId}`, maxAttempts: 5 },
  );
  return job.id;
}

/**
 * One customer's offer made while the merchant (customer block) or Flow waits: planned, created at
 * once through the given port, and returned with its code. When Shopify fails, the campaign's job is
 * enqueued so the code is still created later, and the error is rethrown.
 */
export async function offerNow(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  r: CampaignRequest,
): Promise<{ campaignId: number; code: string; endsAt: Date; existing: boolean }> {
  const plan = await planRetentionCampaign(db, shop, r, { enqueue: false });
  try {
    await runRetentionCampaign(db, admin, shop, plan.campaignId);
  } catch (e) {
    await enqueueCampaign(db, shop, plan.campaignId);
    throw e;
  }
  const [offer] = await offersOfCampaign(db, shop, plan.campaignId);
  const campaign = await getCampaign(db, shop, plan.campaignId);
  return { campaignId: plan.campaignId, code: offer!.code, endsAt: campaign!.endsAt, existing: plan.existing };
}

type CreateResult = {
  codeDiscountNode: { id: string } | null;
  userErrors: Array<{ message: string; code?: string | null }>;
};

const isTaken = (e: { message: string; code?: string | null }) =>
  e.code === "TAKEN" || /must be unique/i.test(e.message);

/** Creates the campaign's planned codes in Shopify; safe to run again after any interruption. */
export async function runRetentionCampaign(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  campaignId: number,
  onProgress: (p: { created: number; adopted: number }) => Promise<unknown> | void = () => undefined,
): Promise<{ created: number; adopted: number; requests: number }> {
  const campaign = await getCampaign(db, shop, campaignId);
  if (!campaign) throw new ValidationError(`retention campaign ${campaignId} does not exist for ${shop}`);
  await setCampaignStatus(db, shop, campaignId, "running");
  const out = { created: 0, adopted: 0, requests: 0 };
  for (;;) {
    const batch = await plannedOffers(db, shop, campaignId, CODES_PER_CALL);
    if (!batch.length) break;
    const inputs = batch.map((o) => ({
      title: `Horizon CLV retention offer #${campaignId}`,
      code: o.code,
      startsAt: campaign.startsAt.toISOString(),
      endsAt: campaign.endsAt.toISOString(),
      context: { customers: { add: [`gid://shopify/Customer/${o.customerId}`] } },
      customerGets: { value: { percentage: campaign.percentage / 100 }, items: { all: true } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    }));
    const { query, variables } = codeCreateBatchDocument(inputs);
    const { data } = await admin.requestBuilt<Record<string, CreateResult | null>>(query, variables);
    out.requests++;
    for (const [i, offer] of batch.entries()) {
      const r = data[`c${i}`];
      if (r?.codeDiscountNode) {
        await markOfferCreated(db, shop, offer.id, r.codeDiscountNode.id);
        out.created++;
        continue;
      }
      const errors = r?.userErrors ?? [{ message: "no payload" }];
      if (errors.every(isTaken)) {
        const found = await admin.request(CODE_DISCOUNT_BY_CODE, { code: offer.code });
        if (found.data.codeDiscountNodeByCode) {
          await markOfferCreated(db, shop, offer.id, found.data.codeDiscountNodeByCode.id);
          out.adopted++;
          continue;
        }
      }
      const message = `code ${offer.code} for customer ${offer.customerId}: ${errors.map((e) => e.message).join("; ")}`;
      await setCampaignStatus(db, shop, campaignId, "failed", message);
      throw new Error(`retention campaign ${campaignId} failed: ${message}`);
    }
    await onProgress({ created: out.created, adopted: out.adopted });
  }
  await setCampaignStatus(db, shop, campaignId, "done");
  return out;
}
