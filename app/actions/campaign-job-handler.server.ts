/**
 * Job handler of the retention campaign runs (imported by app/job-runtime/all-job-handlers.server.ts). The
 * post-scoring actions run as the lifecycle's "actions" step (app/lifecycle/post-scoring.server.ts).
 */
import { registerJobHandler } from "~/jobs/registry.server";
import { OFFER_CAMPAIGN_JOB, runRetentionCampaign } from "./retention.server";

registerJobHandler<{ campaignId: number }>(OFFER_CAMPAIGN_JOB, async (ctx) =>
  runRetentionCampaign(ctx.db, await ctx.admin(), ctx.shop, ctx.payload.campaignId, (p) => ctx.progress(p)),
);
