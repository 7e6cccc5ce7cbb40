/**
 * Event-loop stall of the web process during a training run (issue 11), SQLite, 100,000 customers.
 *
 * A temp database gets PAGES_STALL_CUSTOMERS customers (default 100,000) with 1–4 orders each over
 * 18 months, a promoted run's predictions for all of them (what a shop that is already served has),
 * then a real training job (`runTrainingJob`, statistical model + past-spend baseline: the deep
 * models run in the worker thread and do not change what the main thread pays) runs in this
 * process the way the in-process worker runs it. `monitorEventLoopDelay` records the longest
 * stall of the main thread from the job's start to its end — loading the orders, handing them to
 * the training thread, progress writes, writing the 100k predictions, the dashboard aggregates.
 * Goal: longest stall ≤ 100 ms. The prediction write alone is timed and monitored again after.
 * PAGES_STALL_DB=postgresql runs the same on PostgreSQL (TEST_PG_URL), the production database,
 * whose commit happens in the server process instead of on this thread.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { BenchResult } from "./run";
import { createTestDb } from "../app/db/test-db";
import { seeded, seedPredictions } from "../test/support/seed-predictions";
import { runTrainingJob, type TrainingJobPayload } from "../app/training/training-job.server";
import { writePredictions } from "../app/training/load.server";
import type { JobContext } from "../app/jobs/registry.server";
import type { CustomerScores } from "../app/training/score";
import type { Db } from "../app/db.server";

const SHOP = "bench-stall.myshopify.com";

async function seedOrders(db: Db, n: number): Promise<number> {
  const rnd = seeded(21);
  const start = Date.UTC(2025, 5, 1);
  const q = (v: string) => `'${v}'`;
  let id = 0;
  let rows: string[] = [];
  const flush = async () => {
    if (!rows.length) return;
    await db.$executeRawUnsafe(
      `INSERT INTO "Order" ("shop","id","customerId","processedAt","shopifyUpdatedAt","currencyCode","subtotal","currentSubtotal","total","discountCodes","productIds","createdAt","updatedAt") VALUES ${rows.join(",")}`,
    );
    rows = [];
  };
  for (let c = 1; c <= n; c++) {
    const k = 1 + Math.floor(rnd() * rnd() * 4);
    const first = Math.floor(rnd() * 400);
    for (let j = 0; j < k; j++) {
      const at = new Date(
        start + (first + Math.floor(rnd() * (540 - first)) * Math.min(1, j)) * 86_400_000,
      ).toISOString();
      const amount = (20 + Math.floor(rnd() * 80)).toFixed(2);
      rows.push(
        `(${q(SHOP)},${q(String(++id))},${q(String(c))},${q(at)},${q(at)},'USD',${amount},${amount},${amount},'[]','[]',${q(at)},${q(at)})`,
      );
      if (rows.length >= 2000) await flush();
    }
  }
  await flush();
  return id;
}

function contextFor(db: Db, payload: TrainingJobPayload): JobContext<TrainingJobPayload> {
  return {
    job: {} as JobContext["job"],
    payload,
    shop: SHOP,
    db,
    queue: {} as JobContext["queue"],
    progress: async () => true,
    signal: new AbortController().signal,
    admin: () => Promise.reject(new Error("no Admin API in this bench")),
    tuning: {},
    paidWorkPause: async () => null,
  };
}

export async function run(): Promise<BenchResult[]> {
  const n = Number(process.env.PAGES_STALL_CUSTOMERS ?? 100_000);
  const provider = process.env.PAGES_STALL_DB === "postgresql" ? "postgresql" : "sqlite";
  const t = await createTestDb(provider);
  try {
    await t.db.shop.create({ data: { shop: SHOP, currencyCode: "USD" } });
    const orders = await seedOrders(t.db, n);
    // The shop is already served: a promoted run's predictions for every customer (ids 1..n).
    await seedPredictions(t.db, SHOP, { n, seed: 5 });

    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const t0 = performance.now();
    const r = await runTrainingJob(contextFor(t.db, { candidates: ["btyd", "baseline"], trigger: "manual" }));
    const runMs = performance.now() - t0;
    h.disable();
    if (r.status === "failed") throw new Error(`training failed: ${JSON.stringify(r)}`);
    const written = await t.db.prediction.count({ where: { shop: SHOP } });

    // The prediction write alone (the same scores written again by a rescoring).
    const p = await t.db.prediction.findMany({ where: { shop: SHOP } });
    const f = (g: (x: (typeof p)[number]) => number) => Float64Array.from(p, g);
    const scores: CustomerScores = {
      customerIds: p.map((x) => x.customerId),
      clv: f((x) => x.clv + 1),
      clvLow: f((x) => x.clvLow),
      clvHigh: f((x) => x.clvHigh + 1),
      pAlive: f((x) => x.pAlive),
      churnProbability: f((x) => x.churnProbability ?? NaN),
      nextOrderAt: f(() => NaN),
      expectedOrders: f((x) => x.expectedOrders),
      orderValue: f(() => 40),
      historicSpend: f((x) => x.historicSpend),
      orderCount: Int32Array.from(p, (x) => x.orderCount),
      firstAt: f((x) => x.firstOrderAt?.getTime() ?? NaN),
      lastAt: f((x) => x.lastOrderAt?.getTime() ?? NaN),
      tier: p.map((x, i) => (i % 7 === 0 ? "high" : x.tier)),
      drivers: p.map(() => []),
      interval: { lower: 0.05, upper: 0.95, method: "bench" } as unknown as CustomerScores["interval"],
    };
    const h2 = monitorEventLoopDelay({ resolution: 10 });
    h2.enable();
    const w0 = performance.now();
    await writePredictions(t.db, SHOP, r.runId, scores);
    const writeMs = performance.now() - w0;
    h2.disable();
    const stall = h.max / 1e6;
    const stall2 = h2.max / 1e6;
    return [
      {
        name: `longest event-loop stall during a training run (${n.toLocaleString("en-US")} customers, ${provider})`,
        value: stall,
        unit: "ms",
        goal: "<= 100 ms",
        pass: stall <= 100,
        note: `p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms; run ${(runMs / 1000).toFixed(1)} s (${orders.toLocaleString("en-US")} orders, btyd + baseline, ${r.status}, ${written.toLocaleString("en-US")} predictions)`,
      },
      {
        name: `writePredictions ${p.length.toLocaleString("en-US")} rows (replace the shop's set)`,
        value: writeMs,
        unit: "ms",
      },
      {
        name: "  longest event-loop stall meanwhile",
        value: stall2,
        unit: "ms",
        goal: "<= 100 ms",
        pass: stall2 <= 100,
        note: `p99 ${(h2.percentile(99) / 1e6).toFixed(0)} ms`,
      },
    ];
  } finally {
    await t.destroy();
  }
}
