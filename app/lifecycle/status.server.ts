/**
 * The lifecycle as the Status page (and the demo) sees it: every step with its last run, outcome
 * and next run, whether the shop is ready, the live sync/training progress, and the write-back
 * audit log.
 */
import type { Db } from "~/db/connect.server";
import { listSteps, nextQueuedJobs } from "~/models/lifecycle.server";
import { getShop } from "~/models/shops.server";
import { listWritebackAudits } from "~/models/writeback.server";
import { getShopStatus, type ShopStatus } from "./job-progress.server";
import { TRAINING_JOB } from "~/training/training-job.server";
import { POST_SCORING_STEPS } from "./post-scoring.server";
import { LIFECYCLE_JOBS, STEP_LABELS } from "./steps";

/** One step on the Status page. */
export interface StepStatus {
  step: string;
  label: string;
  status: string;
  runs: number;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastResult: unknown;
  lastError: string | null;
  /** When its next run is queued for (null when none is queued). */
  nextRunAt: string | null;
}

/** The shop's lifecycle. */
export interface LifecycleStatus extends ShopStatus {
  readyAt: string | null;
  steps: StepStatus[];
  audits: Awaited<ReturnType<typeof listWritebackAudits>>;
}

/** Job type whose queued runs are each step's "next run". */
const STEP_JOBS: Record<string, string> = {
  facts: LIFECYCLE_JOBS.facts,
  backfill: "sync.backfill.step",
  training: TRAINING_JOB,
  scoring: LIFECYCLE_JOBS.score,
  rescore: LIFECYCLE_JOBS.rescore,
  nightly: LIFECYCLE_JOBS.nightly,
  ...Object.fromEntries(POST_SCORING_STEPS.map((s) => [s.name, s.job])),
};

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** The lifecycle status of a shop (steps in lifecycle order). */
export async function getLifecycleStatus(db: Db, shop: string): Promise<LifecycleStatus> {
  const [base, steps, next, shopRow, audits] = await Promise.all([
    getShopStatus(db, shop),
    listSteps(db, shop),
    nextQueuedJobs(db, shop, Object.values(STEP_JOBS)),
    getShop(db, shop),
    listWritebackAudits(db, shop, 10),
  ]);
  const order = Object.keys(STEP_JOBS);
  const byName = new Map(steps.map((s) => [s.step, s]));
  const names = [...new Set([...order.filter((n) => byName.has(n) || next.has(STEP_JOBS[n]!)), ...byName.keys()])];
  return {
    ...base,
    readyAt: iso(shopRow?.lifecycleReadyAt),
    audits,
    steps: names.map((name) => {
      const s = byName.get(name);
      return {
        step: name,
        label: STEP_LABELS[name] ?? POST_SCORING_STEPS.find((p) => p.name === name)?.name ?? name,
        status: s?.status ?? "queued",
        runs: s?.runs ?? 0,
        lastStartedAt: iso(s?.lastStartedAt),
        lastFinishedAt: iso(s?.lastFinishedAt),
        lastResult: s?.lastResult ?? null,
        lastError: s?.lastError ?? null,
        nextRunAt: iso(next.get(STEP_JOBS[name] ?? "")),
      };
    }),
  };
}
