/**
 * Kill -9 of the app in each lifecycle phase (issue 9's "Must show"): the app's job worker runs as a
 * child process (test/support/worker-child.ts, the same job process as `npm run worker`) against the
 * local Admin API. After the install it is SIGKILLed once in each phase — backfill, training,
 * scoring, write-back — each detected from the job table (a job of that phase running, locked by the
 * current child, with its work under way), and restarted each time. When the shop is ready, the
 * store (every customer's tags and metafields), the predictions and the model run equal those of an
 * uninterrupted run of the same store.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import "~/job-runtime/all-job-handlers.server";
import { startJobProcess } from "~/jobs/job-process.server";
import type { JobTuning } from "~/jobs/types";
import { installShop } from "~/lifecycle/chain.server";
import { WRITEBACK_JOB } from "~/lifecycle/post-scoring.server";
import { LIFECYCLE_JOBS } from "~/lifecycle/steps";
import { TRAINING_JOB } from "~/training/job-types";
import { createSyncEnv, waitFor, type SyncEnv } from "./backfill-helpers";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const GEN = { seed: 31, customers: 300, orders: 1_200, shop: { currencyCode: "EUR" } } as const;
const FAKE = { bulkDelayMs: 250 };
const TUNING: JobTuning = {
  training: { candidates: ["btyd"] },
  writeback: { bulkThreshold: 100, bulk: { pollMs: 20, maxPollMs: 100 } },
};

const envs: SyncEnv[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const e of envs.splice(0)) await e.close();
});

/** A store's state as a merchant sees it (clv_updated_at is a timestamp: only its presence counts). */
function storeState(e: SyncEnv) {
  return [...e.store.customers.values()]
    .map((c) => ({
      id: String(c.id),
      tags: [...c.tags].sort(),
      mf: Object.fromEntries(
        [...c.metafields]
          .map(([k, m]) => [k, k === "$app.clv_updated_at" ? `${m.type}:set` : `${m.type}:${m.value}`])
          .sort(([a], [b]) => String(a).localeCompare(String(b))),
      ),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The app's own results: model run, predictions, steps. */
async function appState(e: SyncEnv) {
  const runs = await e.db.db.modelRun.findMany({ where: { shop: e.shop }, orderBy: { id: "asc" } });
  const preds = await e.db.db.prediction.findMany({ where: { shop: e.shop }, orderBy: { customerId: "asc" } });
  return {
    runs: runs.map((r) => ({ status: r.status, promoted: r.promoted, champion: r.champion })),
    predictions: preds.map((p) => ({ id: p.customerId, tier: p.tier, clv: p.clv.toFixed(6), pAlive: p.pAlive })),
  };
}

/** Waits until the shop is ready and no job is running or due (the nightly run, reconciliation come later). */
async function untilReady(e: SyncEnv, child?: () => string) {
  await waitFor(
    async () => {
      const steps = await e.db.db.lifecycleStep.findMany({ where: { shop: e.shop, status: "failed" } });
      if (steps.length)
        throw new Error(`step ${steps[0]!.step} failed: ${steps[0]!.lastError}\n${child?.().slice(-3000) ?? ""}`);
      const shop = await e.db.db.shop.findUnique({ where: { shop: e.shop } });
      if (!shop?.lifecycleReadyAt) return false;
      const busy = await e.db.db.job.count({
        where: {
          shop: e.shop,
          OR: [{ status: "running" }, { status: "queued", runAt: { lte: new Date() } }],
          type: { not: LIFECYCLE_JOBS.nightly },
        },
      });
      return busy === 0;
    },
    120_000,
    50,
  ).catch(async (err: Error) => {
    const jobs = await e.db.db.job.findMany({ where: { shop: e.shop }, orderBy: { id: "asc" } });
    const steps = await e.db.db.lifecycleStep.findMany({ where: { shop: e.shop } });
    throw new Error(
      `${err.message}: jobs ${JSON.stringify(jobs.map((j) => [j.id, j.type, j.status, j.attempts, j.lastError?.slice(0, 300)]))} steps ${JSON.stringify(steps.map((s) => [s.step, s.status, s.lastError?.slice(0, 300)]))}\n${child?.().slice(-3000) ?? ""}`,
    );
  });
}

async function newEnv(): Promise<SyncEnv> {
  const e = await createSyncEnv("sqlite", GEN, FAKE);
  envs.push(e);
  // Nothing is known about the shop before the install: the facts step reads it.
  await e.db.db.shop.deleteMany({ where: { shop: e.shop } });
  return e;
}

/** Starts the app's worker as a child process on the env's database and Admin API. */
function startChild(e: SyncEnv) {
  let out = "";
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(root, "test", "support", "worker-child.ts")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: e.db.url,
      CHILD_ADMIN_URL: e.fake.graphqlUrl,
      CHILD_ADMIN_TOKEN: e.fake.accessToken,
      CHILD_TUNING: JSON.stringify(TUNING),
      WORKER_POLL_MS: "25",
      WORKER_STALE_MS: "1000",
      WORKER_RECOVER_MS: "250",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(proc);
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  return { proc, out: () => out, exited };
}

/**
 * The phases, in lifecycle order: the job type that does the work, and when the work is under way
 * (so the kill lands in the middle of it, not before it starts).
 */
const PHASES: Array<{ phase: string; types: string[]; underway(e: SyncEnv): Promise<boolean> }> = [
  {
    phase: "backfill",
    types: ["sync.backfill.step", "sync.backfill.continue"],
    // Some rows imported, the run not complete yet.
    underway: async (e) => (await e.db.db.customer.count({ where: { shop: e.shop } })) > 0,
  },
  { phase: "training", types: [TRAINING_JOB], underway: async () => true },
  { phase: "scoring", types: [LIFECYCLE_JOBS.score], underway: async () => true },
  {
    phase: "writeback",
    types: [WRITEBACK_JOB],
    // Shopify already holds some of the values, not all of them.
    underway: async (e) => [...e.store.customers.values()].some((c) => c.metafields.size > 0),
  },
];

describe("lifecycle kill -9 (child worker process, local Admin API, 300 customers)", () => {
  it("a kill -9 in each phase (backfill, training, scoring, write-back) ends in the same store as an uninterrupted run", async () => {
    // Reference: the same store, installed and run without interruption.
    const ref = await newEnv();
    const jobs = startJobProcess({
      db: ref.db.db,
      provider: "sqlite",
      closeDb: async () => undefined,
      adminFor: ref.adminFor,
      tuning: TUNING,
      scheduler: false,
      handleSignals: false,
      worker: { pollMs: 25 },
      log: { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) },
    });
    await installShop(ref.db.db, ref.queue, ref.shop);
    await untilReady(ref);
    await jobs.worker.stop();
    const want = { store: storeState(ref), app: await appState(ref) };
    expect(want.app.predictions.length).toBeGreaterThan(100);
    expect(want.store.filter((c) => c.tags.some((t) => t.startsWith("clv:"))).length).toBe(want.app.predictions.length);

    // The same store, its worker killed once in each phase.
    const e = await newEnv();
    await installShop(e.db.db, e.queue, e.shop);
    const killed: Array<{ phase: string; jobId: number; attempts: number }> = [];
    for (const p of PHASES) {
      const child = startChild(e);
      const pid = child.proc.pid!;
      const job = await waitFor(
        async () => {
          if (child.proc.exitCode !== null) throw new Error(`worker exited early:\n${child.out().slice(-3000)}`);
          const j = await e.db.db.job.findFirst({
            where: { shop: e.shop, type: { in: p.types }, status: "running", lockedBy: { contains: `:${pid}:` } },
          });
          return j && (await p.underway(e)) ? j : null;
        },
        90_000,
        5,
      );
      child.proc.kill("SIGKILL");
      await child.exited;
      expect(child.proc.signalCode).toBe("SIGKILL");
      killed.push({ phase: p.phase, jobId: job.id, attempts: job.attempts });
      // The phase had not finished when it was killed: the shop is not ready yet.
      expect((await e.db.db.shop.findUnique({ where: { shop: e.shop } }))?.lifecycleReadyAt ?? null).toBeNull();
    }
    expect(killed.map((k) => k.phase)).toEqual(["backfill", "training", "scoring", "writeback"]);

    // The last restart finishes the lifecycle (stale locks of the killed jobs are recovered).
    const last = startChild(e);
    await untilReady(e, last.out);
    last.proc.kill("SIGTERM");
    await last.exited;

    const got = { store: storeState(e), app: await appState(e) };
    expect(got.app).toEqual(want.app);
    expect(got.store).toEqual(want.store);
    // Every killed job ran again to completion.
    for (const k of killed) {
      const j = await e.db.db.job.findUnique({ where: { id: k.jobId } });
      expect({ phase: k.phase, status: j?.status }).toEqual({ phase: k.phase, status: "completed" });
    }
    expect(e.fake.validationFailures).toEqual([]);
    // The killed write-back's audit is closed as interrupted; its rerun completed.
    const audits = await e.db.db.writebackAudit.findMany({ where: { shop: e.shop }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.status)).toEqual(["interrupted", "completed"]);
    expect(audits[0]!.errors).toContain(`audit #${audits[1]!.id}`);
  }, 300_000);
});
