/**
 * Job handlers of the actions (imported by app/jobs/handlers.server.ts): the post-scoring actions
 * and retention campaign runs. The Admin port comes from the worker (`ctx.admin()`).
 */
import { registerJobHandler } from "~/jobs/registry.server";
import { ACTIONS_JOB, runActionsAfterScoring } from "./after-scoring.server";
import { OFFER_CAMPAIGN_JOB, runRetentionCampaign } from "./retention.server";

registerJobHandler(ACTIONS_JOB, async (ctx) => runActionsAfterScoring(ctx.db, await ctx.admin(), ctx.shop));

registerJobHandler<{ campaignId: number }>(OFFER_CAMPAIGN_JOB, async (ctx) =>
  runRetentionCampaign(ctx.db, await ctx.admin(), ctx.shop, ctx.payload.campaignId, (p) => ctx.progress(p)),
);
