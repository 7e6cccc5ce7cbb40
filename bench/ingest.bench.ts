/**
 * Webhook ingest benchmark on SQLite (WAL, synchronous=NORMAL): signed orders/create deliveries
 * over HTTP to the app's route handler (test/support/app-server.ts), 8 in flight. Measures accepted
 * webhooks/s and p50/p99 latency of the 200 response, (a) ingest only (worker in another process)
 * and (b) with the job worker processing in the same process. Goal: ≥ 1,000/s, p99 ≤ 50 ms.
 * Run: npm run bench -- ingest   (BENCH_INGEST_N overrides the delivery count, default 3000)
 */
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

export async function run(): Promise<BenchResult[]> {
  const n = Number(process.env.BENCH_INGEST_N ?? 3000);
  const dir = mkdtempSync(path.join(tmpdir(), "horizon-ingest-"));
  process.env.DATABASE_URL = `file:${path.join(dir, "ingest.sqlite")}`;
  process.env.SHOPIFY_API_SECRET = SECRET;
  process.env.HORIZON_WORKER = "external";
  process.env.WORKER_POLL_MS = "50";
  process.env.NODE_ENV ??= "test";
  const { startAppServer } = await import("../test/support/app-server");
  const server = await startAppServer({ port: 0, worker: false });
  const out: BenchResult[] = [];
  try {
    await blast(server.url, 200, 10_000_000); // warm-up (module loading, JIT)
    const a = await blast(server.url, n, 0);
    const rateA = (n / a.ms) * 1000;
    out.push(
      { name: "ingest only: webhooks accepted per second (SQLite)", value: rateA, unit: "1/s", goal: ">= 1000", pass: rateA >= 1000, note: `${n} orders/create, 8 in flight, ${a.non200} non-200` },
      { name: "ingest only: p50 latency", value: pct(a.lat, 50), unit: "ms" },
      { name: "ingest only: p99 latency", value: pct(a.lat, 99), unit: "ms", goal: "<= 50", pass: pct(a.lat, 99) <= 50 },
    );
    // (b) same load with the in-process worker applying the deliveries concurrently.
    delete process.env.HORIZON_WORKER;
    const { ensureInlineWorker } = await import("../app/jobs/inline.server");
    const worker = await ensureInlineWorker();
    const b = await blast(server.url, n, n);
    const rateB = (n / b.ms) * 1000;
    const { default: db } = await import("../app/db.server");
    const t0 = performance.now();
    while ((await db.job.count({ where: { status: { in: ["queued", "running"] } } })) > 0) await new Promise((r) => setTimeout(r, 100));
    const drainMs = performance.now() - t0 + b.ms;
    const processed = await db.order.count({ where: { shop: SHOP } });
    out.push(
      { name: "ingest + in-process worker: webhooks accepted per second", value: rateB, unit: "1/s", goal: ">= 1000", pass: rateB >= 1000, note: `${b.non200} non-200` },
      { name: "ingest + in-process worker: p99 latency", value: pct(b.lat, 99), unit: "ms", goal: "<= 50", pass: pct(b.lat, 99) <= 50 },
      { name: "worker: deliveries applied per second (end to end)", value: (processed / drainMs) * 1000, unit: "1/s", note: `${processed} orders applied` },
    );
    await worker?.stop();
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
