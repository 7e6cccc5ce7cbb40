/**
 * Webhook ingest benchmark on SQLite (WAL, synchronous=NORMAL): signed orders/create deliveries
 * over HTTP to the app's route handler (test/support/app-server.ts), 8 in flight. Measures accepted
 * webhooks/s and p50/p99 latency of the 200 response, (a) ingest only (worker in another process)
 * with the server's and the client's CPU per delivery and the group-commit batch size, (c) the
 * standalone worker process (`npm run worker`) draining (a)'s jobs, and (b) with the job worker
 * processing in the same process. Goal: ≥ 1,000/s, p99 ≤ 50 ms.
 * Run: npm run bench -- ingest   (BENCH_INGEST_N overrides the delivery count, default 3000)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { loadavg, tmpdir } from "node:os";
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
    total_price_set: {
      shop_money: { amount: "42.00", currency_code: "EUR" },
      presentment_money: { amount: "42.00", currency_code: "EUR" },
    },
    subtotal_price_set: {
      shop_money: { amount: "40.00", currency_code: "EUR" },
      presentment_money: { amount: "40.00", currency_code: "EUR" },
    },
    customer: { id: 7_000_000_000_000 + (i % 500), email: "x@example.com" },
    line_items: [{ id: i * 10, product_id: 1000 + (i % 7), quantity: 1, title: "Mug", price: "40.00" }],
    billing_address: { country_code: "DE", address1: "Main St 1" },
  });
}

/** One signed delivery, prepared before the clock starts (signing is Shopify's work, not the app's). */
type Delivery = { body: Buffer; headers: Record<string, string | number> };

function prepare(n: number, offset: number): Delivery[] {
  return Array.from({ length: n }, (_, k) => {
    const i = offset + k;
    const b = Buffer.from(body(i));
    return {
      body: b,
      headers: {
        "content-type": "application/json",
        "content-length": b.length,
        "x-shopify-topic": "orders/create",
        "x-shopify-shop-domain": SHOP,
        "x-shopify-api-version": "2026-07",
        "x-shopify-webhook-id": `wh-${i}`,
        "x-shopify-event-id": `ev-${i}`,
        "x-shopify-hmac-sha256": createHmac("sha256", SECRET).update(b).digest("base64"),
      },
    };
  });
}

/** POST over a keep-alive connection; resolves with the status once the response body is read. */
function post(agent: http.Agent, url: URL, d: Delivery): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: "/webhooks/orders/create",
        method: "POST",
        headers: d.headers,
      },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(d.body);
  });
}

/**
 * Sends n deliveries, `concurrency` in flight over keep-alive connections (as Shopify's senders
 * do). The load generator shares the 2 cores with the server, so it is kept cheap: bodies and
 * signatures are prepared before timing and node:http is used instead of fetch (≈ 3× less CPU).
 */
async function blast(
  url: string,
  n: number,
  offset: number,
  concurrency = 8,
): Promise<{ ms: number; lat: number[]; non200: number }> {
  const deliveries = prepare(n, offset);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const lat: number[] = [];
  let next = 0;
  let non200 = 0;
  const errors: string[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const d = deliveries[next++]!;
        const t = performance.now();
        let status: number;
        try {
          status = await post(agent, target, d);
        } catch (e) {
          errors.push(String((e as Error).message ?? e));
          non200++;
          continue;
        }
        if (status !== 200) non200++;
        lat.push(performance.now() - t);
      }
    }),
  );
  const ms = performance.now() - start;
  agent.destroy();
  if (errors.length) console.warn(`ingest bench: ${errors.length} network error(s), first: ${errors[0]}`);
  return { ms, lat, non200 };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** CPU time (user + system) a process has used so far, ms (Linux /proc; NaN elsewhere). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...(Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST"))) as NodeJS.ProcessEnv),
    ...env,
  };
}

/** Forwards a child's stderr and keeps it for parsing. */
function captureStderr(child: ChildProcess): { text(): string } {
  let err = "";
  child.stderr!.on("data", (d) => {
    err += String(d);
    process.stderr.write(d);
  });
  return { text: () => err };
}

/** Starts test/support/app-server.ts in its own process (deliveries come from outside, as from Shopify). */
async function spawnServer(
  env: Record<string, string>,
): Promise<{ url: string; pid?: number; stderr(): string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/app-server.ts"], {
    env: childEnv({ ...env, PORT: "0" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const err = captureStderr(child);
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
    pid: child.pid,
    stderr: err.text,
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
  const env = {
    DATABASE_URL: dbUrl,
    SHOPIFY_API_SECRET: SECRET,
    INSTALLED_SHOPS: SHOP,
    WORKER_POLL_MS: "50",
    NODE_ENV: process.env.NODE_ENV ?? "test",
  };
  const out: BenchResult[] = [];
  try {
    // (a) ingest only: the job worker is another process (production: `npm run worker`).
    const a0 = await spawnServer({ ...env, NO_WORKER: "1", HORIZON_WORKER: "external" });
    let a: Awaited<ReturnType<typeof blast>>;
    let serverCpu = NaN;
    let clientCpu = NaN;
    try {
      await blast(a0.url, 200, 10_000_000); // warm-up (module loading, JIT)
      const s0 = cpuMsOf(a0.pid);
      const c0 = process.cpuUsage();
      a = await blast(a0.url, n, 0);
      const c = process.cpuUsage(c0);
      clientCpu = (c.user + c.system) / 1000;
      serverCpu = cpuMsOf(a0.pid) - s0;
    } finally {
      await a0.stop();
    }
    const batches = /ingest (\d+) deliveries in (\d+) batches \(largest (\d+)\)/.exec(a0.stderr());
    const rateA = (n / a.ms) * 1000;
    const load = loadavg()[0]!.toFixed(1);
    out.push(
      {
        name: "ingest only: webhooks accepted per second (SQLite)",
        value: rateA,
        unit: "1/s",
        goal: ">= 1000",
        pass: rateA >= 1000,
        note: `${n} orders/create, 8 in flight over keep-alive node:http (pre-signed), ${a.non200} non-200; server in its own process; load avg ${load}`,
      },
      { name: "ingest only: p50 latency", value: pct(a.lat, 50), unit: "ms" },
      {
        name: "ingest only: p99 latency",
        value: pct(a.lat, 99),
        unit: "ms",
        goal: "<= 50",
        pass: pct(a.lat, 99) <= 50,
      },
      {
        name: "ingest only: server CPU per accepted delivery",
        value: serverCpu / n,
        unit: "ms",
        note:
          `user+sys of the server process; the load generator used ${(clientCpu / n).toFixed(2)} ms per delivery on the same 2 cores` +
          (batches ? `; ${batches[1]} deliveries in ${batches[2]} group commits (largest ${batches[3]})` : ""),
      },
    );

    // (c) the standalone worker process drains (a)'s jobs: can processing keep up with ingest?
    const queued = n + 200;
    const t0 = performance.now();
    const w = spawn(process.execPath, ["--import", "tsx", "app/job-runtime/standalone-worker-main.ts"], {
      env: childEnv({ ...env, WORKER_POLL_MS: "20" }),
      stdio: ["ignore", "ignore", "pipe"],
    });
    captureStderr(w);
    const wExit = new Promise((r) => w.once("exit", r));
    process.env.DATABASE_URL = dbUrl;
    const { default: db } = await import("../app/db.server");
    let workerMs = NaN;
    try {
      const deadline = Date.now() + 10 * 60_000;
      while (Date.now() < deadline) {
        if (
          (await db.job.count({ where: { type: "webhooks.process", status: { in: ["queued", "running"] } } })) === 0
        ) {
          workerMs = performance.now() - t0;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      w.kill("SIGTERM");
      await wExit;
    }
    const appliedC = await db.order.count({ where: { shop: SHOP } });
    out.push({
      name: "worker process (npm run worker): deliveries processed per second",
      value: (queued / workerMs) * 1000,
      unit: "1/s",
      note: `${queued} queued orders/create jobs from (a), ${appliedC} orders applied; includes the process start (≈ 1–2 s); SQLite, 1 lane, batch claims`,
    });

    // (b) same load with the job worker applying the deliveries inside the server process (demo/SQLite).
    const b0 = await spawnServer(env);
    let b: Awaited<ReturnType<typeof blast>>;
    let drainMs = 0;
    let processed = 0;
    try {
      b = await blast(b0.url, n, n);
      const t0 = performance.now();
      while ((await db.job.count({ where: { status: { in: ["queued", "running"] } } })) > 0)
        await new Promise((r) => setTimeout(r, 100));
      drainMs = performance.now() - t0 + b.ms;
      processed = (await db.order.count({ where: { shop: SHOP } })) - appliedC;
      await db.$disconnect();
    } finally {
      await b0.stop();
    }
    const rateB = (n / b.ms) * 1000;
    out.push(
      {
        name: "ingest + in-process worker: webhooks accepted per second",
        value: rateB,
        unit: "1/s",
        goal: ">= 1000",
        pass: rateB >= 1000,
        note: `${b.non200} non-200`,
      },
      {
        name: "ingest + in-process worker: p99 latency",
        value: pct(b.lat, 99),
        unit: "ms",
        goal: "<= 50",
        pass: pct(b.lat, 99) <= 50,
      },
      {
        name: "worker: deliveries applied per second (end to end)",
        value: (processed / drainMs) * 1000,
        unit: "1/s",
        note: `${processed} orders from (b) applied while ingesting and after`,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
