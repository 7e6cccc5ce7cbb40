/**
 * `npm run demo` (bin/demo.mjs sets the environment, builds the app if needed, then runs this):
 * a fresh SQLite database, the local fake Admin API seeded with the bundled CDNOW store, the app
 * installed into it (offline session), the real backfill job, the real training job, tier
 * write-back, and the admin pages served at http://localhost:PORT — one process, one job worker.
 *
 * Demo-only differences from production are confined to app/demo/shopify-redirect.server.ts (the
 * Admin API endpoint) and the demo branch of app/auth.server.ts (page auth).
 */
import { rmSync, mkdirSync } from "node:fs";
import path from "node:path";
import { Session } from "@shopify/shopify-api";
import { demoShopFromEnv, offlineSessionId } from "~/auth.server";
import { migrate } from "~/db/migrate.server";
import { env } from "~/env.server";
import { sqlitePathOf } from "~/db/connect.server";
import { startFakeAdmin } from "../../test/fake-admin/server";
import { storeFromTransactions } from "../../test/fake-admin/generate";
import { loadDemoTransactions } from "./data.server";
import { installDemoShopifyRedirect } from "./shopify-redirect.server";
import { serveRemixBuild } from "./http.server";
import { bar, progressPrinter } from "./progress";

/** Access token the fake Admin API expects from the demo app. */
const DEMO_TOKEN = "shpat_demo_offline_token";

/** Scopes granted to the demo install (protected customer data level 1: no names/emails). */
const DEMO_SCOPES = "read_customers,write_customers,read_orders,read_all_orders,write_discounts";

const log = (msg: string) => console.log(`[demo] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const int = (n: number) => Math.round(n).toLocaleString("en-US");

/** Wall-clock time of each demo phase, printed with "ready" (and as JSON with HORIZON_DEMO_TIMINGS=1). */
const phases: Array<{ name: string; ms: number }> = [];
let phaseStart = Date.now();
/** Ends the current phase (started where the previous one ended). */
function endPhase(name: string): void {
  const now = Date.now();
  phases.push({ name, ms: now - phaseStart });
  phaseStart = now;
}
const fmtMs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const t0 = Date.now();
  phaseStart = t0;
  const shop = demoShopFromEnv();
  if (!shop) throw new Error("run.server.ts must be started through `npm run demo` (HORIZON_DEMO=1)");
  const e = env();
  const port = e.PORT;
  const dbUrl = e.DATABASE_URL;
  const customers = e.HORIZON_DEMO_CUSTOMERS;

  // 1. Database: fresh file, all migrations.
  const file = sqlitePathOf(dbUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  if (e.HORIZON_DEMO_KEEP !== "1")
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
  const m = await migrate(dbUrl);
  endPhase("database");
  log(`1/6 database ${path.relative(process.cwd(), file)}: ${m.applied.length} migrations applied`);

  // 2. The store and the local Admin API.
  const data = loadDemoTransactions({ customers });
  const store = storeFromTransactions(data.rows, { domain: shop, name: "Horizon Demo Store", currencyCode: "USD" });
  endPhase("store load");
  const fake = await startFakeAdmin({
    store,
    accessToken: DEMO_TOKEN,
    // A Shopify Plus-sized rate limit (1,000 points/s); large write-backs use bulk mutations anyway.
    bucket: { maximumAvailable: 10_000, restoreRate: 1_000 },
    webhooks: { baseUrl: `http://127.0.0.1:${port}`, secret: e.SHOPIFY_API_SECRET },
  });
  installDemoShopifyRedirect(fake.url);
  endPhase("Admin API start");
  log(
    `2/6 demo store ${shop}: ${int(data.customers)} customers, ${int(data.rows.length)} orders (real CDNOW purchases, dates moved ` +
      `forward ${int(data.shiftDays)} days so the last one is yesterday); local Admin API at ${fake.url}`,
  );

  // 3. The app (same process as the job worker).
  const app = await serveRemixBuild({ port, host: e.HOST });
  endPhase("app server start");
  log(`3/6 app serving ${app.url}`);

  // Everything below uses the app's own modules (same code paths as production).
  const { default: prisma } = await import("~/db.server");
  const { sessionStorage } = await import("~/shopify.server");
  const { upsertShopInstalled } = await import("~/models/shops.server");
  const { DbJobQueue } = await import("~/jobs/db-queue.server");
  const { startWorker } = await import("~/jobs/worker.server");
  const { registeredJobTypes } = await import("~/jobs/registry.server");
  const { requestBackfill } = await import("~/sync/backfill.server");
  await import("~/jobs/handlers.server"); // registers every job handler (sync, training, write-back, …)
  const { requestRetrain } = await import("~/services/model.server");
  const { requestWriteback } = await import("~/services/writeback.server");

  // 4. Install: the offline session Shopify would create through OAuth / token exchange.
  const session = new Session({
    id: offlineSessionId(shop),
    shop,
    state: "demo",
    isOnline: false,
    accessToken: DEMO_TOKEN,
    scope: DEMO_SCOPES,
  });
  await sessionStorage.storeSession(session);
  await upsertShopInstalled(prisma, shop, { scopes: DEMO_SCOPES });
  await prisma.shop.update({ where: { shop }, data: { currencyCode: "USD", ianaTimezone: "America/New_York" } });
  endPhase("install");
  log(`4/6 app installed into ${shop} (offline session stored, tokens encrypted at rest)`);

  const queue = new DbJobQueue(prisma, "sqlite");
  const quiet = {
    info: () => undefined,
    warn: (...a: unknown[]) => console.warn("[worker]", ...a),
    error: (...a: unknown[]) => console.error("[worker]", ...a),
  };
  const worker = startWorker({ db: prisma, queue, log: quiet, pollMs: 100 });
  const shutdown = async () => {
    await worker.stop().catch(() => undefined);
    await app.close();
    await fake.close();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);

  // 5. Backfill through bulk operations.
  const p = progressPrinter();
  const { runId } = await requestBackfill(prisma, queue, shop);
  for (;;) {
    const run = await prisma.syncRun.findFirst({ where: { shop, id: runId } });
    if (!run) throw new Error(`sync run ${runId} disappeared`);
    const total = run.rowsTotalEstimate ?? data.customers + data.rows.length;
    p.update(
      `[demo] 5/6 backfill ${bar(run.rowsDone / total)} ${int(run.rowsDone)} of ~${int(total)} rows (${run.phase ?? run.status})`,
    );
    if (run.status === "failed") throw new Error(`backfill failed: ${run.error ?? "unknown error"}`);
    if (run.status === "completed" || run.status === "succeeded") {
      endPhase("backfill");
      p.done(`[demo] 5/6 backfill done: ${int(run.rowsDone)} rows in ${secs(run.startedAt)}`);
      break;
    }
    await sleep(300);
  }

  // 6. Training (the same job the Retrain button enqueues).
  if (!registeredJobTypes().includes("training.run"))
    throw new Error("the training job (training.run) is not registered; is app/training/jobs.server.ts present?");
  const tTrain = Date.now();
  await requestRetrain(prisma, shop);
  for (;;) {
    const run = await prisma.modelRun.findFirst({ where: { shop }, orderBy: { id: "desc" } });
    const job = await prisma.job.findFirst({ where: { shop, type: "training.run" }, orderBy: { id: "desc" } });
    if (job?.status === "failed") throw new Error(`training failed: ${job.lastError ?? "unknown error"}`);
    if (run) {
      const frac = run.progressTotal > 0 ? run.progressEpoch / run.progressTotal : 0;
      p.update(
        `[demo] 6/6 training ${bar(frac)} ${run.progressStage ?? run.status}${run.progressTotal ? ` epoch ${run.progressEpoch}/${run.progressTotal}` : ""}`,
      );
      if (
        ["succeeded", "completed", "failed", "insufficient_data"].includes(run.status) &&
        job?.status !== "running" &&
        job?.status !== "queued"
      ) {
        if (run.status === "failed") throw new Error(`training failed: ${run.error ?? "unknown error"}`);
        endPhase("training");
        p.done(
          `[demo] 6/6 training done in ${Math.round((Date.now() - tTrain) / 1000)} s: champion ${run.champion ?? "—"}${run.reason ? ` (${run.reason})` : ""}`,
        );
        break;
      }
    } else p.update(`[demo] 6/6 training ${bar(0)} queued`);
    await sleep(500);
  }
  const predictions = await prisma.prediction.count({ where: { shop } });

  // Write-back: tier metafields and tags (bulk mutations at this size); "ready" includes it.
  const wbId = await requestWriteback(prisma, shop);
  for (;;) {
    const job = await prisma.job.findFirst({ where: { id: wbId } });
    const prog = job?.progress ? (JSON.parse(job.progress) as { phase: string; done: number; total: number }) : null;
    if (job?.status === "failed" || (job?.status === "queued" && job.attempts > 0)) {
      endPhase("write-back (failed)");
      log(`write-back failed: ${job.lastError ?? "unknown error"} (the pages still work; the job retries)`);
      break;
    }
    if (job?.status === "completed") {
      const r = job.result
        ? (JSON.parse(job.result) as { tagged?: number; untagged?: number; bulkOperations?: number })
        : {};
      endPhase("write-back");
      p.done(
        `[demo] write-back done: tier metafields for ${int(predictions)} customers, tier tags added for ${int(r.tagged ?? 0)}` +
          `${r.untagged ? ` and stale ones removed for ${int(r.untagged)}` : ""} (${r.bulkOperations ?? 0} bulk mutations)`,
      );
      break;
    }
    if (prog)
      p.update(
        `[demo] write-back ${prog.phase} ${bar(prog.total ? prog.done / prog.total : 0)} ${int(prog.done)} of ${int(prog.total)}`,
      );
    await sleep(300);
  }

  const total = Date.now() - t0;
  log(`phases: ${phases.map((ph) => `${ph.name} ${fmtMs(ph.ms)}`).join(" · ")}`);
  if (e.HORIZON_DEMO_TIMINGS === "1") log(`timings ${JSON.stringify({ totalMs: total, phases })}`);
  log(
    `ready in ${Math.round(total / 1000)} s: ${int(predictions)} customers scored → open ${app.url}  (Ctrl+C to stop)`,
  );
}

function secs(from: Date): string {
  return `${Math.round((Date.now() - from.getTime()) / 1000)} s`;
}

main().catch((e) => {
  console.error(`[demo] failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
