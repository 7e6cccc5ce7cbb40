#!/usr/bin/env node
/**
 * `npm run demo`: Horizon CLV against a local demo store, no Shopify account needed.
 *
 * Sets the demo environment (HORIZON_DEMO=1, never with NODE_ENV=production), builds the Remix app
 * when build/ is missing or older than the sources, then runs app/demo/run.server.ts (through tsx)
 * which creates the SQLite database, starts the local Admin API with the bundled CDNOW store,
 * installs the app through the lifecycle's install entry and waits until the lifecycle (facts,
 * backfill, training, scoring, write-back — run by the server's own worker) reports the shop ready.
 *
 * Environment: PORT (default 3000), HOST (default 127.0.0.1), HORIZON_DEMO_CUSTOMERS (subset of
 * customers, for quick runs), HORIZON_DEMO_KEEP=1 (reuse the database), DATABASE_URL (default
 * file:./.demo/demo.sqlite).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, statSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

if (process.env.NODE_ENV === "production") {
  console.error(
    "[demo] refusing to start: NODE_ENV=production. The demo uses local demo auth and must never run in production.",
  );
  process.exit(1);
}
const env = process.env;
env.NODE_ENV = "development";
env.HORIZON_DEMO = "1";
env.PORT ??= "3000";
env.DATABASE_URL ??= "file:./.demo/demo.sqlite";
env.SHOPIFY_API_KEY ??= "horizon-demo-api-key";
// Fresh secrets per run: they sign the fake store's webhooks and derive nothing outside the demo.
env.SHOPIFY_API_SECRET ??= `demo-${randomBytes(16).toString("hex")}`;
env.HORIZON_ENCRYPTION_KEY ??= randomBytes(32).toString("hex");
env.SHOPIFY_APP_URL ??= `http://localhost:${env.PORT}`;
// Orders the demo sends by webhook are rescored 5 s after the last one (production: 3 min).
env.RESCORE_DEBOUNCE_MS ??= "5000";

/** Newest modification time under `dir` (ignoring tests). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!/\.test\.tsx?$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const serverEntry = path.join(root, "build", "server", "index.js");
const sourcesAt = Math.max(newest(path.join(root, "app")), statSync(path.join(root, "vite.config.ts")).mtimeMs);
if (!existsSync(serverEntry) || statSync(serverEntry).mtimeMs < sourcesAt) {
  console.log("[demo] building the app (remix vite:build)…");
  const t = Date.now();
  // VITEST (inherited when a test starts the demo) would switch the Remix plugin off in vite.config.ts.
  const buildEnv = Object.fromEntries(
    Object.entries({ ...env, NODE_ENV: "production" }).filter(([k]) => !k.startsWith("VITEST")),
  );
  const r = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "vite:build"],
    {
      stdio: ["ignore", "ignore", "inherit"],
      env: buildEnv,
    },
  );
  if (r.status !== 0) {
    console.error("[demo] build failed (see above)");
    process.exit(r.status ?? 1);
  }
  console.log(`[demo] built in ${Math.round((Date.now() - t) / 1000)} s`);
}

const { register } = await import("tsx/esm/api");
register();
await import(pathToFileURL(path.join(root, "app", "demo", "run.server.ts")).href);
