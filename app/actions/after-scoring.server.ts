/**
 * The actions that follow a scoring and its write-back, in one place (entry point for the lifecycle's
 * post-scoring steps): per-customer action state and Flow events, the at-risk tag, segments, the tier
 * discount, Flow sending, redemption marking. Each step runs only when its Settings switch is on:
 *   - Flow triggers (automations.flow): events for real tier changes / at-risk transitions, only for
 *     triggers an enabled workflow uses; the state is recorded either way so switching on later does
 *     not replay history;
 *   - at-risk tag (automations.tags): `<prefix>-at-risk` added/removed;
 *   - segments (automations.segments): one per tier + at risk;
 *   - tier discount (automations.discounts): created/updated, or deactivated when switched off; in the
 *     native mode ("segments") the tier segments are kept even with the Segments switch off.
 * It runs as the lifecycle's last post-scoring step ("actions", job ACTIONS_JOB, after the write-back;
 * app/lifecycle/post-scoring.server.ts); `requestActions` enqueues that step alone (Offers page).
 */
import type { Db } from "~/db.server";
import { enqueueJob } from "~/jobs/db-queue.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { getSettings } from "~/settings/shop-settings.server";
import { syncAtRiskTags } from "./at-risk-tags.server";
import { recordActionStates, sendPendingFlowEvents } from "./flow.server";
import { markRedemptions } from "./redemption.server";
import { syncSegments, type SegmentSyncResult } from "./segments.server";
import { modeOf, syncTierDiscount, type TierDiscountSync } from "./tier-discount.server";
import { getTierDiscount } from "~/models/actions.server";

/** Job type running the actions after a scoring. */
export const ACTIONS_JOB = "actions.after-scoring";

/** What one run did. */
export interface ActionsResult {
  states: { baseline: number; tierChanged: number; becameAtRisk: number; queued: number };
  flow: { sent: number; rejected: number; requests: number } | null;
  atRiskTags: { added: number; removed: number; bulkOperations: number } | null;
  segments: SegmentSyncResult | null;
  tierDiscount: TierDiscountSync;
  redemptions: number;
}

/** Runs every action step for the shop (idempotent: a rerun after an identical scoring does nothing new). */
export async function runActionsAfterScoring(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  opts: { customerIds?: readonly string[] } = {},
): Promise<ActionsResult> {
  const settings = await getSettings(db, shop);
  const { atRisk, ...states } = await recordActionStates(db, shop, settings.automations.flow);
  // An incremental rescoring (`customerIds`) tags only its customers: our copy of other customers'
  // tags may be stale for a moment while the customers/update echoes of earlier writes are still
  // arriving, and comparing against it would resend tags Shopify already has (and echo again).
  const atRiskTags = settings.automations.tags
    ? await syncAtRiskTags(db, admin, shop, settings.tagPrefix, atRisk, {
        onlyCustomers: opts.customerIds && new Set(opts.customerIds),
      })
    : null;
  // Native tier discounts (mode "segments") are limited to the tier segments: they need them.
  const nativeDiscounts = settings.automations.discounts && modeOf(await getTierDiscount(db, shop)) === "segments";
  const segments =
    settings.automations.segments || nativeDiscounts ? await syncSegments(db, admin, shop, settings) : null;
  const tierDiscount = await syncTierDiscount(db, admin, shop, settings);
  const flow = settings.automations.flow ? await sendPendingFlowEvents(db, admin, shop) : null;
  const redemptions = await markRedemptions(db, shop);
  return { states, flow, atRiskTags, segments, tierDiscount, redemptions };
}

/** Enqueues the actions step alone for a shop (one pending per shop), e.g. after new tier percentages. */
export async function requestActions(db: Db, shop: string): Promise<number> {
  const r = await enqueueJob(
    db,
    shop,
    ACTIONS_JOB,
    {},
    { dedupeKey: `${ACTIONS_JOB}:${shop}`, replaceFinished: true, maxAttempts: 3 },
  );
  return r.id;
}
