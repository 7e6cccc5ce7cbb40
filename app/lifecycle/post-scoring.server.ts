/**
 * The steps that run after every scoring, in order — the one place to add one (segments, Flow
 * triggers, discounts …): append a `PostScoringStep` to `POST_SCORING_STEPS`. Each runs as its own
 * durable job with the scoring run's payload (trigger, and the customers of an incremental run);
 * when it succeeds the lifecycle queues the next one, and after the last the shop is "ready".
 */
import type { JobContext } from "~/jobs/registry.server";
import type { RunPayload } from "./steps";
import { ACTIONS_JOB, runActionsAfterScoring } from "~/actions/after-scoring.server";
import { writeBack } from "./writeback.server";

/** One post-scoring step. */
export interface PostScoringStep {
  /** Step name on the Status page (STEP_LABELS). */
  name: string;
  /** Its job type. */
  job: string;
  /** Does the work; the returned summary is stored as the job result and on the Status page. */
  run(ctx: JobContext<RunPayload>): Promise<unknown>;
}

/** The audit id a write-back job stored in its progress (null/garbage → undefined). */
export function auditOfProgress(progress: string | null): number | undefined {
  try {
    const id = (JSON.parse(progress ?? "null") as { auditId?: unknown } | null)?.auditId;
    return typeof id === "number" ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Job type of the write-back. */
export const WRITEBACK_JOB = "writeback.run";

/** Post-scoring steps, in the order they run. */
export const POST_SCORING_STEPS: readonly PostScoringStep[] = [
  {
    name: "writeback",
    job: WRITEBACK_JOB,
    run: async (ctx) => {
      // The job's progress carries its audit id: a rerun after a crash closes that audit.
      let auditId: number | undefined;
      return writeBack(ctx.db, await ctx.admin(), ctx.shop, {
        trigger: ctx.payload.trigger,
        customerIds: ctx.payload.customerIds,
        bulkThreshold: ctx.tuning.writeback?.bulkThreshold,
        bulk: ctx.tuning.writeback?.bulk,
        interruptedAuditId: auditOfProgress(ctx.job.progress),
        onAudit: (id) => ctx.progress({ auditId: (auditId = id) }),
        onProgress: (p) => ctx.progress({ ...p, auditId }),
      });
    },
  },
  {
    // Segments, Flow triggers (only on real changes), at-risk tag, tier discount, redemptions.
    name: "actions",
    job: ACTIONS_JOB,
    run: async (ctx) =>
      runActionsAfterScoring(ctx.db, await ctx.admin(), ctx.shop, { customerIds: ctx.payload.customerIds }),
  },
];
