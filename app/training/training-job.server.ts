/**
 * The `training.run` job (registered by the lifecycle, app/lifecycle/lifecycle-job-handlers.server.ts, which
 * chains scoring and write-back after it): loads the shop's orders, trains in a worker thread, writes
 * progress to ModelRun (stage, epoch, loss, ETA) for the UI's progress bar, honours
 * `ModelRun.cancelRequested`, and promotes only a model that beat the past-spend baseline in the
 * backtest and whose final fit is finite. Otherwise the last good model keeps serving; a shop with
 * no model (or only a previous fallback) gets the transparent fallback's predictions, labelled.
 */
import type { Db } from "~/db/connect.server";
import type { JobContext } from "~/jobs/registry.server";
import type { JobQueue } from "~/jobs/types";
import { createModelRun, getModelRun, latestPromotedModelRun, updateModelRun } from "~/models/runs.server";
import { getSettings } from "~/models/shops.server";
import { loadShopOrderColumns, writePredictions } from "./load.server";
import { startTrainingWorker, TrainingWorkerError, type TrainingThreadResult } from "./training-thread.server";
import { FEATURE_VERSION } from "./features";
import type { CandidateName } from "./candidates";
import { TRAINING_JOB } from "./job-types";

export { TRAINING_JOB };
/** What a training job returns (stored as the job result). */
export interface TrainingJobResult {
  runId: number;
  status: string;
  promoted?: boolean;
  champion?: string;
  written?: number;
}

/** Job payload. */
export interface TrainingJobPayload {
  /** Why this training runs (the lifecycle passes it on to scoring and write-back). */
  trigger?: "install" | "retrain" | "manual";
  /** ModelRun to fill (created by `enqueueTraining`); a new one is created when absent. */
  runId?: number;
  /** Requested horizon in days (default 365). */
  horizonDays?: number;
  candidates?: CandidateName[];
  /** Deep-model overrides (epochs etc.), mainly for tests. */
  deep?: { epochs?: number; batchSize?: number; maxTrainRows?: number; learningRate?: number };
  lstm?: { epochs?: number; batchSize?: number; maxTrainRows?: number; rnnUnits?: number; seqPool?: number };
  /** Final-fit epochs: the backtest's best (default) or a new early-stopping search (backtest.ts). */
  finalEpochs?: "backtest" | "search";
  /** Data thresholds (tests); defaults in backtest.ts. */
  minCustomers?: number;
  minRepeatBuyers?: number;
  minHistoryDays?: number;
}

/** Creates a queued ModelRun and enqueues its training job (one active training per shop). */
export async function enqueueTraining(
  db: Db,
  queue: JobQueue,
  shop: string,
  payload: Omit<TrainingJobPayload, "runId"> = {},
): Promise<{ runId: number; jobId: number; created: boolean }> {
  const run = await createModelRun(db, shop, { status: "queued", progressStage: "queued" });
  const r = await queue.enqueue(
    shop,
    TRAINING_JOB,
    { ...payload, runId: run.id },
    { dedupeKey: `training:${shop}:${run.id}`, maxAttempts: 2 },
  );
  return { runId: run.id, jobId: r.id, created: r.created };
}

/** Metrics JSON stored on ModelRun (no per-customer data). */
function metricsJson(r: TrainingThreadResult): string {
  return JSON.stringify({
    status: r.status,
    reason: r.reason,
    backend: r.backend,
    timings: r.timings,
    plan: r.backtest?.plan ?? null,
    evalCustomers: r.backtest?.evalCustomers ?? null,
    ensembleWeights: r.backtest?.ensembleWeights ?? null,
    candidates: r.backtest?.metrics ?? {},
    churn: r.backtest?.churn ?? null,
    scoredCustomers: r.scores.clv.length,
  });
}

/** The handler (exported for tests). */
export async function runTrainingJob(ctx: JobContext<TrainingJobPayload>): Promise<TrainingJobResult> {
  const { db, shop } = ctx;
  // Tunables the worker was started with (tests: few epochs, one candidate) under the job's own.
  const payload = { ...(ctx.tuning.training as Partial<TrainingJobPayload> | undefined), ...ctx.payload };
  const run = payload.runId
    ? await getModelRun(db, shop, payload.runId)
    : await createModelRun(db, shop, { status: "queued" });
  if (!run) throw new Error(`training.run: model run ${payload.runId} not found for shop ${shop}`);
  const id = run.id;
  if (run.cancelRequested) {
    await updateModelRun(db, shop, id, { status: "cancelled", progressStage: "cancelled", finishedAt: new Date() });
    return { runId: id, status: "cancelled" };
  }
  await updateModelRun(db, shop, id, { status: "running", progressStage: "loading orders", error: null });
  const [orders, settings] = await Promise.all([loadShopOrderColumns(db, shop), getSettings(db, shop)]);
  if (orders.count === 0) {
    await updateModelRun(db, shop, id, {
      status: "failed",
      progressStage: "failed",
      reason: "no orders with a customer to learn from",
      finishedAt: new Date(),
    });
    return { runId: id, status: "failed" };
  }
  // Progress is written at most every 500 ms; cancellation is polled on the same tick.
  type Progress = { stage: string; epoch?: number; totalEpochs?: number; loss?: number; etaMs?: number };
  // Progress is written at most every 500 ms. The latest epoch report is kept apart so a later
  // stage-only report in the same window never hides it (fast runs would otherwise show no epochs).
  let pending: Progress | null = null;
  let pendingEpoch: Progress | null = null;
  const handle = startTrainingWorker(
    {
      orders,
      options: {
        horizonDays: payload.horizonDays,
        candidates: payload.candidates,
        deep: payload.deep,
        lstm: payload.lstm,
        finalEpochs: payload.finalEpochs,
        minCustomers: payload.minCustomers,
        minRepeatBuyers: payload.minRepeatBuyers,
        minHistoryDays: payload.minHistoryDays,
        settings: {
          horizonMonths: settings.horizonMonths,
          annualDiscountRate: settings.annualDiscountRate,
          grossMargin: settings.grossMargin,
        },
        tiers: settings.tierRules.length ? settings.tierRules : undefined,
      },
    },
    (p) => {
      pending = p;
      if (p.epoch !== undefined) pendingEpoch = p;
    },
  );
  let stopped = false;
  const tick = async () => {
    if (pending) {
      const p = pending;
      const e = pendingEpoch;
      pending = null;
      pendingEpoch = null;
      await updateModelRun(db, shop, id, {
        progressStage: p.stage,
        ...(e && {
          progressEpoch: e.epoch,
          progressTotal: e.totalEpochs ?? 0,
          progressLoss: Number.isFinite(e.loss) ? e.loss : null,
          progressEtaMs: Math.round(e.etaMs ?? 0),
        }),
      });
      await ctx.progress({ runId: id, stage: p.stage, epoch: e?.epoch ?? p.epoch });
    }
    const cur = await getModelRun(db, shop, id);
    if ((cur?.cancelRequested || ctx.signal.aborted) && !stopped) {
      stopped = true;
      handle.cancel();
    }
  };
  const timer = setInterval(() => void tick().catch(() => undefined), 500);
  let result: TrainingThreadResult;
  try {
    result = await handle.result;
  } catch (e) {
    clearInterval(timer);
    if (
      e instanceof TrainingWorkerError &&
      e.cancelled &&
      ctx.signal.aborted &&
      !(await getModelRun(db, shop, id))?.cancelRequested
    ) {
      // The worker is stopping (deploy, SIGTERM): back to queued; the job is released and reruns.
      await updateModelRun(db, shop, id, { status: "queued", progressStage: "queued (worker restarting)" });
      throw new Error(`training run ${id} interrupted by a worker shutdown`);
    }
    if (e instanceof TrainingWorkerError && e.cancelled) {
      await updateModelRun(db, shop, id, { status: "cancelled", progressStage: "cancelled", finishedAt: new Date() });
      return { runId: id, status: "cancelled" };
    }
    await updateModelRun(db, shop, id, {
      status: "failed",
      progressStage: "failed",
      error: (e as Error).message,
      finishedAt: new Date(),
    });
    throw e;
  }
  clearInterval(timer);
  await tick().catch(() => undefined);

  const common = {
    metrics: metricsJson(result),
    featureVersion: FEATURE_VERSION,
    calibrationEnd: result.backtest ? new Date(result.backtest.plan.evalCutoff) : null,
    horizonDays: result.backtest?.plan.horizonDays ?? null,
    reason: result.reason,
  };
  const previous = await latestPromotedModelRun(db, shop);
  const previousIsFallback = previous?.champion === "fallback";
  if (result.status === "promoted" || !previous || previousIsFallback) {
    await updateModelRun(db, shop, id, { progressStage: "writing predictions" });
    const w = await writePredictions(db, shop, id, result.scores);
    await updateModelRun(db, shop, id, {
      ...common,
      status: "completed",
      progressStage: "done",
      champion: result.status === "promoted" ? result.champion : "fallback",
      promoted: true,
      artefact: result.artefactJson,
      finishedAt: new Date(),
    });
    return {
      runId: id,
      status: result.status,
      promoted: true,
      champion: result.status === "promoted" ? result.champion : "fallback",
      written: w.written,
    };
  }
  await updateModelRun(db, shop, id, {
    ...common,
    status: "completed",
    progressStage: "done",
    champion: result.champion,
    promoted: false,
    reason: `${result.reason} The model of run ${previous.id} keeps serving.`,
    finishedAt: new Date(),
  });
  return { runId: id, status: result.status, promoted: false };
}

/** Options of `scoreShop`. */
export interface ScoreOptions {
  /** Scoring instant (epoch ms; default now). */
  asOf?: number;
  /** Write only these customers' predictions (incremental rescoring); all when absent. */
  onlyCustomers?: readonly string[];
}

/** Result of `scoreShop`. */
export type ScoreResult =
  | { status: "skipped"; reason: string }
  | { status: "scored"; runId: number; champion: string; written: number; tierChanges: number };

/**
 * Re-scores customers with the latest promoted model's artefact (the same model serves after a
 * restart, new orders or a settings change — margin, horizon, discount rate and tier rules apply
 * without a retrain) in a worker thread, and writes the predictions (all, or `onlyCustomers`).
 * The transparent fallback is scored like any champion. Runs trained on an older feature version
 * are refused with a clear error (retrain instead).
 */
export async function scoreShop(db: Db, shop: string, opts: ScoreOptions = {}): Promise<ScoreResult> {
  const run = await latestPromotedModelRun(db, shop);
  if (!run?.artefact) return { status: "skipped", reason: "no promoted model yet" };
  const [orders, settings] = await Promise.all([loadShopOrderColumns(db, shop), getSettings(db, shop)]);
  if (orders.count === 0) return { status: "skipped", reason: "no orders with a customer to score" };
  const handle = startTrainingWorker({
    mode: "score",
    artefactJson: run.artefact,
    asOf: opts.asOf ?? Date.now(),
    orders,
    options: {
      settings: {
        horizonMonths: settings.horizonMonths,
        annualDiscountRate: settings.annualDiscountRate,
        grossMargin: settings.grossMargin,
      },
      tiers: settings.tierRules.length ? settings.tierRules : undefined,
    },
  });
  const result = await handle.result;
  const w = await writePredictions(db, shop, run.id, result.scores, {
    onlyCustomers: opts.onlyCustomers && new Set(opts.onlyCustomers),
  });
  return { status: "scored", runId: run.id, champion: result.champion, ...w };
}
