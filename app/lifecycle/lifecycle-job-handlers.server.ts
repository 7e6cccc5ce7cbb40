/**
 * The lifecycle's job handlers (registered at import; app/job-runtime/all-job-handlers.server.ts imports this):
 * each step records its run on the Status page (LifecycleStep) and enqueues the next step, so the
 * whole sequence is durable, resumable after a crash (a step reruns; successors are deduplicated)
 * and needs no click:
 *
 *   lifecycle.facts → sync.backfill.step … → training.run → lifecycle.score → writeback.run → …
 *   lifecycle.rescore (debounced, changed customers) → writeback.run (those customers)
 *   lifecycle.nightly → lifecycle.score (or training.run when a retrain is due) → …
 */
import { registerJobHandler, type JobContext } from "~/jobs/registry.server";
import type { PaidWorkPause } from "~/jobs/types";
import {
  customersWithOrderChangesSince,
  getStep,
  latestTrainingStart,
  markShopReady,
  markStepFinished,
  markStepStarted,
  updateShopFacts,
} from "~/models/lifecycle.server";
import { latestPromotedModelRun, latestSyncRun, updateModelRun } from "~/models/runs.server";
import { getShop, getSettings } from "~/models/shops.server";
import { requestBackfill } from "~/sync/backfill.server";
import { runTrainingJob, scoreShop, TRAINING_JOB, type TrainingJobPayload } from "~/training/training-job.server";
import { enqueuePostScoring, enqueueScoring, ensureNightly, startTraining, type FactsPayload } from "./chain.server";
import { POST_SCORING_STEPS } from "./post-scoring.server";
import { SHOP_FACTS_QUERY, parseShopFacts } from "./shop-facts";
import { LIFECYCLE_JOBS, retrainDue, scoringInstant, type RunPayload, type Trigger } from "./steps";

/** Steps that are paid work: paused by billing (ctx.paidWorkPause, app/billing/paid-work.server.ts); the sync is not. */
const PAID_STEPS = new Set(["training", "scoring", "rescore", ...POST_SCORING_STEPS.map((s) => s.name)]);

/**
 * Runs `fn` as lifecycle step `step`: running → done/failed on the Status page; a paid step of a shop
 * whose paid work is paused is recorded "paused" (with the reason) and not run.
 */
async function tracked<T>(ctx: JobContext<unknown>, step: string, fn: () => Promise<T>): Promise<T | PaidWorkPause> {
  const pause = PAID_STEPS.has(step) ? await ctx.paidWorkPause() : null;
  if (pause) {
    await markStepFinished(ctx.db, ctx.shop, step, { status: "paused", result: pause });
    return pause;
  }
  await markStepStarted(ctx.db, ctx.shop, step);
  try {
    const result = await fn();
    const skipped = (result as { status?: string } | null)?.status === "skipped";
    await markStepFinished(ctx.db, ctx.shop, step, { status: skipped ? "skipped" : "done", result });
    return result;
  } catch (e) {
    const last = ctx.job.attempts >= ctx.job.maxAttempts;
    await markStepFinished(ctx.db, ctx.shop, step, {
      status: last ? "failed" : "queued",
      error: (e as Error).message.slice(0, 2000),
    }).catch(() => undefined);
    throw e;
  }
}

/**
 * What follows a backfill: a first training, or (a model exists: re-install, a later "Sync now")
 * a fresh scoring of every customer with it.
 */
async function afterBackfill(ctx: JobContext<unknown>, trigger: Trigger = "install"): Promise<unknown> {
  if (await latestPromotedModelRun(ctx.db, ctx.shop))
    return enqueueScoring(ctx.db, ctx.queue, ctx.shop, { trigger }, `backfill:${ctx.job.id}`);
  return startTraining(ctx.db, ctx.queue, ctx.shop, trigger === "install" ? "install" : "manual");
}

/** Called by the backfill step handler (app/lifecycle/sync-job-handlers.server.ts) when backfill run `runId` completed. */
export async function onBackfillCompleted(
  ctx: JobContext<unknown>,
  runId: number,
  rowsDone: number | undefined,
): Promise<void> {
  const step = await getStep(ctx.db, ctx.shop, "backfill");
  const doneRun = (step?.lastResult as { runId?: number } | null)?.runId;
  // A rerun step of an already completed run (crash, poll fallback) must not start a second
  // training or scoring (rows from before run ids were recorded count as that run).
  if (step?.status === "done" && (doneRun === runId || doneRun === undefined)) return;
  // The first backfill continues the install; a later one (Settings → "Sync now") rescores.
  await afterBackfill(ctx, step?.status === "done" ? "manual" : "install");
  await markStepFinished(ctx.db, ctx.shop, "backfill", { status: "done", result: { rows: rowsDone ?? null, runId } });
}

// 1. Shop facts: currency, time zone and primary locale from Admin GraphQL.
registerJobHandler<FactsPayload>(LIFECYCLE_JOBS.facts, (ctx) =>
  tracked(ctx, "facts", async () => {
    const admin = await ctx.admin();
    const { data } = await admin.request(SHOP_FACTS_QUERY);
    const facts = parseShopFacts(data);
    await updateShopFacts(ctx.db, ctx.shop, facts);
    if (!ctx.payload.continueLifecycle) return facts;
    const backfill = await latestSyncRun(ctx.db, ctx.shop, "backfill");
    if (backfill?.status !== "completed") {
      await markStepStarted(ctx.db, ctx.shop, "backfill");
      const r = await requestBackfill(ctx.db, ctx.queue, ctx.shop);
      return { ...facts, backfillRun: r.runId };
    }
    await afterBackfill(ctx);
    return facts;
  }),
);

// 2. Training (also the Retrain button and the periodic retrain), then scoring.
registerJobHandler<TrainingJobPayload>(TRAINING_JOB, async (ctx) => {
  const result = await tracked(ctx, "training", async () => {
    const r = await runTrainingJob(ctx);
    if (r.status === "cancelled") return r;
    const trigger: Trigger = ctx.payload.trigger ?? "retrain";
    await enqueueScoring(ctx.db, ctx.queue, ctx.shop, { trigger }, `training:${ctx.job.id}`);
    return r;
  });
  // Paused by billing: the queued model run ends, so a later training (nightly retrain, Retrain) can start.
  if (result.status === "paused" && ctx.payload.runId)
    await updateModelRun(ctx.db, ctx.shop, ctx.payload.runId, {
      status: "cancelled",
      progressStage: "paused (billing)",
      error: (result as PaidWorkPause).reason,
      finishedAt: new Date(),
    });
  return result;
});

/** Scores (all or some customers) at today's scoring instant, then queues the post-scoring steps. */
async function scoreAndContinue(ctx: JobContext<RunPayload>, customerIds?: string[]) {
  const r = await scoreShop(ctx.db, ctx.shop, { asOf: scoringInstant(new Date()), onlyCustomers: customerIds });
  const payload: RunPayload = { trigger: ctx.payload.trigger ?? "manual", ...(customerIds && { customerIds }) };
  if (r.status === "scored" || ctx.payload.trigger === "install")
    await enqueuePostScoring(ctx.db, ctx.queue, ctx.shop, 0, payload, `${ctx.job.type}:${ctx.job.id}`);
  return r;
}

// 3. Scoring every customer with the promoted model (install, nightly, settings change).
registerJobHandler<RunPayload>(LIFECYCLE_JOBS.score, (ctx) => tracked(ctx, "scoring", () => scoreAndContinue(ctx)));

// 4. Post-scoring steps (write-back, …): each queues the next; after the last the shop is ready.
POST_SCORING_STEPS.forEach((step, index) =>
  registerJobHandler<RunPayload>(step.job, (ctx) =>
    tracked(ctx, step.name, async () => {
      const result = await step.run(ctx);
      if (index + 1 < POST_SCORING_STEPS.length)
        await enqueuePostScoring(ctx.db, ctx.queue, ctx.shop, index + 1, ctx.payload, `${ctx.job.type}:${ctx.job.id}`);
      else {
        await markShopReady(ctx.db, ctx.shop);
        await ensureNightly(ctx.queue, ctx.shop);
      }
      return result;
    }),
  ),
);

// 5. Incremental rescoring: customers whose orders changed since the last scoring, current model.
registerJobHandler(LIFECYCLE_JOBS.rescore, async (ctx) => {
  const [scoring, rescore, model] = await Promise.all([
    getStep(ctx.db, ctx.shop, "scoring"),
    getStep(ctx.db, ctx.shop, "rescore"),
    latestPromotedModelRun(ctx.db, ctx.shop),
  ]);
  // Before the first scoring the install sequence scores everyone anyway.
  if (!model || !scoring?.lastStartedAt) return { status: "skipped", reason: "the shop has not been scored yet" };
  // Changes since the later of the last full scoring and the last successful rescore's cutoff (a
  // failed rescore stores no cutoff, so its retry looks further back: a superset, never a gap).
  const lastCutoff = (rescore?.lastResult as { cutoff?: string } | null)?.cutoff;
  const since =
    lastCutoff && new Date(lastCutoff) > scoring.lastStartedAt ? new Date(lastCutoff) : scoring.lastStartedAt;
  const cutoff = new Date();
  return tracked(ctx, "rescore", async () => {
    const ids = await customersWithOrderChangesSince(ctx.db, ctx.shop, since);
    if (!ids.length) return { status: "skipped", reason: "no changed customers", cutoff };
    const r = await scoreAndContinue({ ...ctx, payload: { trigger: "incremental" } }, ids);
    return { ...r, customers: ids.length, cutoff };
  });
});

// 6. Nightly: a rescore of every customer, or a retrain when one is due; then the next night.
registerJobHandler(LIFECYCLE_JOBS.nightly, (ctx) =>
  tracked(ctx, "nightly", async () => {
    const shop = await getShop(ctx.db, ctx.shop);
    if (!shop || shop.uninstalledAt) return { status: "skipped", reason: "shop uninstalled" };
    const [settings, lastTraining] = await Promise.all([
      getSettings(ctx.db, ctx.shop),
      latestTrainingStart(ctx.db, ctx.shop),
    ]);
    let action: string;
    if (retrainDue(lastTraining, settings.retrainEveryDays, new Date())) {
      await startTraining(ctx.db, ctx.queue, ctx.shop, "retrain");
      action = "retrain";
    } else {
      await enqueueScoring(ctx.db, ctx.queue, ctx.shop, { trigger: "nightly" }, `nightly:${ctx.job.id}`);
      action = "rescore";
    }
    await ensureNightly(ctx.queue, ctx.shop, new Date(Date.now() + 60_000));
    return { action };
  }),
);
