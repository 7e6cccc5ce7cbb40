/**
 * Webhook ingest benchmark on SQLite (WAL, synchronous=NORMAL): signed orders/create deliveries
 * over HTTP to the app's route handler (test/support/app-server.ts), 8 in flight. Measures accepted
 * webhooks/s and p50/p99 latency of the 200 response, (a) ingest only (worker in another process)
 * and (b) with the job worker processing in the same process. Goal: ≥ 1,000/s, p99 ≤ 50 ms.
 * Run: npm run bench -- ingest   (BENCH_INGEST_N overrides the delivery count, default 3000)
 */
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BenchResult } from "./run";

const SECRET = "bench-secret";
const SHOP = "bench.myshopify.com";

function body(i: number): string {
  const id = 5_000_000_000_000 + i;
  return JSON.stringify({
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${i}`,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    processed_at: "2026-01-01T00:00:00Z",
    currency: "EUR",
    financial_status: "paid",
    total_price_set: { shop_money: { amount: "42.00", currency_code: "EUR" }, presentment_money: { amount: "42.00", currency_code: "EUR" } },
    subtotal_price_set: { shop_money: { amount: "40.00", currency_code: "EUR" }, presentment_money: { amount: "40.00", currency_code: "EUR" } },
    customer: { id: 7_000_000_000_000 + (i % 500), email: "x@example.com" },
    line_items: [{ id: i * 10, product_id: 1000 + (i % 7), quantity: 1, title: "Mug", price: "40.00" }],
    billing_address: { country_code: "DE", address1: "Main St 1" },
  });
}

async function blast(url: string, n: number, offset: number, concurrency = 8): Promise<{ ms: number; lat: number[]; non200: number }> {
  const lat: number[] = [];
  let next = 0;
  let non200 = 0;
  const errors: string[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = offset + next++;
        const b = body(i);
        const t = performance.now();
        let r: Response;
        try {
          r = await fetch(`${url}/webhooks/orders/create`, {
          method: "POST",
          body: b,
          headers: {
            "content-type": "application/json",
            "x-shopify-topic": "orders/create",
            "x-shopify-shop-domain": SHOP,
            "x-shopify-api-version": "2026-07",
            "x-shopify-webhook-id": `wh-${i}`,
            "x-shopify-event-id": `ev-${i}`,
            "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(b).digest("base64"),
          },
        });
          await r.arrayBuffer();
        } catch (e) {
          errors.push(String((e as Error & { cause?: Error }).cause?.message ?? e));
          non200++;
          continue;
        }
        if (r.status !== 200) non200++;
        lat.push(performance.now() - t);
      }
    }),
  );
  if (errors.length) console.warn(`ingest bench: ${errors.length} network error(s), first: ${errors[0]}`);
  return { ms: performance.now() - start, lat, non200 };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** Starts test/support/app-server.ts in its own process (deliveries come from outside, as from Shopify). */
async function spawnServer(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/app-server.ts"], {
    env: { ...(Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST"))) as NodeJS.ProcessEnv), ...env, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += String(d);
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`app server exited with ${code}: ${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

export async function run(): Promise<BenchResult[]> {
  const n = Number(process.env.BENCH_INGEST_N ?? 3000);
  const dir = mkdtempSync(path.join(tmpdir(), "horizon-ingest-"));
  const dbUrl = `file:${path.join(dir, "ingest.sqlite")}`;
  const env = { DATABASE_URL: dbUrl, SHOPIFY_API_SECRET: SECRET, WORKER_POLL_MS: "50", NODE_ENV: process.env.NODE_ENV ?? "test" };
  const out: BenchResult[] = [];
  try {
    // (a) ingest only: the job worker is another process (production: `npm run worker`).
    const a0 = await spawnServer({ ...env, NO_WORKER: "1", HORIZON_WORKER: "external" });
    let a: Awaited<ReturnType<typeof blast>>;
    try {
      await blast(a0.url, 200, 10_000_000); // warm-up (module loading, JIT)
      a = await blast(a0.url, n, 0);
    } finally {
      await a0.stop();
    }
    const rateA = (n / a.ms) * 1000;
    out.push(
      { name: "ingest only: webhooks accepted per second (SQLite)", value: rateA, unit: "1/s", goal: ">= 1000", pass: rateA >= 1000, note: `${n} orders/create, 8 in flight, ${a.non200} non-200; server in its own process` },
      { name: "ingest only: p50 latency", value: pct(a.lat, 50), unit: "ms" },
      { name: "ingest only: p99 latency", value: pct(a.lat, 99), unit: "ms", goal: "<= 50", pass: pct(a.lat, 99) <= 50 },
    );
    // (b) same load with the job worker applying the deliveries inside the server process (demo/SQLite).
    const b0 = await spawnServer(env);
    let b: Awaited<ReturnType<typeof blast>>;
    let drainMs = 0;
    let processed = 0;
    try {
      b = await blast(b0.url, n, n);
      process.env.DATABASE_URL = dbUrl;
      const { default: db } = await import("../app/db.server");
      const t0 = performance.now();
      while ((await db.job.count({ where: { status: { in: ["queued", "running"] } } })) > 0) await new Promise((r) => setTimeout(r, 100));
      drainMs = performance.now() - t0 + b.ms;
      processed = await db.order.count({ where: { shop: SHOP } });
      await db.$disconnect();
    } finally {
      await b0.stop();
    }
    const rateB = (n / b.ms) * 1000;
    out.push(
      { name: "ingest + in-process worker: webhooks accepted per second", value: rateB, unit: "1/s", goal: ">= 1000", pass: rateB >= 1000, note: `${b.non200} non-200` },
      { name: "ingest + in-process worker: p99 latency", value: pct(b.lat, 99), unit: "ms", goal: "<= 50", pass: pct(b.lat, 99) <= 50 },
      { name: "worker: deliveries applied per second (end to end)", value: (processed / drainMs) * 1000, unit: "1/s", note: `${processed} orders applied (3,200 from (a) + ${n} from (b))` },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
