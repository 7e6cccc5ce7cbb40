/**
 * `npm run demo` (bin/demo.mjs sets the environment, builds the app if needed, then runs this):
 * a fresh SQLite database, the local fake Admin API seeded with the bundled CDNOW store, the app
 * installed into it (offline session) through the lifecycle's install entry — which then reads the
 * shop facts, runs the backfill, training, scoring and write-back by itself in the server build's
 * in-process worker — and the admin pages served at http://localhost:PORT. The demo only watches
 * the lifecycle until it reports the shop ready.
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
import { startFakeAdmin, storeFromTransactions } from "@horizon/fake-admin";
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

  // Everything below uses the app's own modules (same code paths as production). The server build
  // started its in-process job worker when it loaded (app/job-runtime/boot.server.ts): the lifecycle runs there.
  const { default: prisma } = await import("~/db.server");
  const { sessionStorage } = await import("~/shopify.server");
  const { DbJobQueue } = await import("~/jobs/db-queue.server");
  const { installShop } = await import("~/lifecycle/chain.server");
  const { getLifecycleStatus } = await import("~/lifecycle/status.server");
  const { countPredictions } = await import("~/models/predictions.server");

  // 4. Install: the offline session Shopify would create through OAuth / token exchange, then the
  // same install entry as Shopify's afterAuth hook. Nothing else is called: the lifecycle reads the
  // shop facts, imports the history, trains, scores and writes back by itself.
  const session = new Session({
    id: offlineSessionId(shop),
    shop,
    state: "demo",
    isOnline: false,
    accessToken: DEMO_TOKEN,
    scope: DEMO_SCOPES,
  });
  await sessionStorage.storeSession(session);
  await installShop(prisma, new DbJobQueue(prisma, "sqlite"), shop, { scopes: DEMO_SCOPES });
  endPhase("install");
  log(`4/6 app installed into ${shop} (offline session stored, tokens encrypted at rest); the lifecycle takes over`);

  const shutdown = async () => {
    await app.close();
    await fake.close();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);

  // 5–6. Watch the lifecycle until it reports the shop ready (phases as the steps finish).
  const p = progressPrinter();
  const seen = new Set<string>();
  const labels: Record<string, string> = {
    facts: "shop facts",
    backfill: "5/6 backfill",
    training: "6/6 training",
    scoring: "scoring",
    writeback: "write-back",
  };
  for (;;) {
    const st = await getLifecycleStatus(prisma, shop);
    for (const step of st.steps) {
      if (!(step.step in labels) || seen.has(step.step) || step.status !== "done") continue;
      seen.add(step.step);
      endPhase(step.step);
      p.done(`[demo] ${labels[step.step]} done${describeResult(step.step, step.lastResult)}`);
    }
    const failed = st.steps.find((s) => s.status === "failed");
    if (failed) throw new Error(`lifecycle step ${failed.step} failed: ${failed.lastError ?? "unknown error"}`);
    if (st.readyAt) break;
    const running = st.steps.find((s) => s.status === "running" || s.status === "queued");
    if (running?.step === "backfill" && st.sync) {
      const total = st.sync.rowsTotalEstimate ?? data.customers + data.rows.length;
      p.update(`[demo] 5/6 backfill ${bar(st.sync.rowsDone / total)} ${int(st.sync.rowsDone)} of ~${int(total)} rows`);
    } else if (running?.step === "training" && st.training) {
      const t = st.training;
      p.update(
        `[demo] 6/6 training ${bar(t.fraction ?? 0)} ${t.stage ?? t.status}${t.totalEpochs ? ` epoch ${t.epoch}/${t.totalEpochs}` : ""}`,
      );
    } else if (running) p.update(`[demo] ${labels[running.step] ?? running.step} …`);
    await sleep(300);
  }
  const predictions = await countPredictions(prisma, shop);

  const total = Date.now() - t0;
  log(`phases: ${phases.map((ph) => `${ph.name} ${fmtMs(ph.ms)}`).join(" · ")}`);
  if (e.HORIZON_DEMO_TIMINGS === "1") log(`timings ${JSON.stringify({ totalMs: total, phases })}`);
  log(
    `ready in ${Math.round(total / 1000)} s: ${int(predictions)} customers scored → open ${app.url}  (Ctrl+C to stop)`,
  );
  await (
    await import("./actions-scene.server")
  ).demoActionsScene({ db: prisma, shop, appUrl: `http://127.0.0.1:${port}`, secret: e.SHOPIFY_API_SECRET, fake });
}

/** A short summary of a finished step's result for the demo log. */
function describeResult(step: string, r: unknown): string {
  const o = (r ?? {}) as Record<string, unknown>;
  if (step === "facts") return `: currency ${String(o.currencyCode)}, time zone ${String(o.ianaTimezone)}`;
  if (step === "backfill" && typeof o.rows === "number") return `: ${int(o.rows)} rows`;
  if (step === "training")
    return `: champion ${String(o.champion ?? "—")}${o.promoted === false ? " (not promoted)" : ""}`;
  if (step === "scoring" && typeof o.written === "number") return `: ${int(o.written)} customers`;
  if (step === "writeback" && typeof o.touched === "number")
    return `: ${int(o.touched)} customers, ${int(Number(o.mutations))} values/tags written, ${(o.bulkOperationIds as unknown[] | undefined)?.length ?? 0} bulk operations`;
  return "";
}

main().catch((e) => {
  console.error(`[demo] failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
