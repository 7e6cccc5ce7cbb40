/**
 * Lifecycle benchmarks (issue 9), SQLite, against the local Admin API with its default rate limits:
 * - writing 100,000 predictions (`writePredictions`): time and the longest event-loop stall of the
 *   process meanwhile (what an in-process worker costs the web requests of the same process);
 * - a full exact write-back of N customers (LIFECYCLE_BENCH_CUSTOMERS, default 100,000): time,
 *   mutations, requests, bulk operations;
 * - an incremental rescore write + write-back of 1,000 changed customers: their predictions
 *   rewritten (`writePredictions` with `onlyCustomers`), then `writeBack` for them: time, mutations.
 *   The model's inference pass is not included (it depends on the champion).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { BenchResult } from "./run";
import { createTestDb } from "../app/db/test-db";
import { writePredictions } from "../app/training/load.server";
import type { CustomerScores } from "../app/training/score";
import { writeBack } from "../app/lifecycle/writeback.server";
import { createAdminGraphql } from "../app/shopify/admin-client.server";
import { fetchTransport } from "../app/shopify/transports.server";
import { storeFromTransactions } from "../test/fake-admin/generate";
import { startFakeAdmin } from "../test/fake-admin/server";

const SHOP = "bench-lifecycle.myshopify.com";

function scores(ids: string[], shift: number): CustomerScores {
  const n = ids.length;
  const f = (g: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => g(i));
  return {
    customerIds: ids,
    clv: f((i) => ((i * 7919) % 1000) + shift),
    clvLow: f((i) => ((i * 7919) % 1000) * 0.5),
    clvHigh: f((i) => ((i * 7919) % 1000) * 1.5 + shift),
    pAlive: f((i) => (i % 100) / 100),
    churnProbability: f((i) => 1 - (i % 100) / 100),
    nextOrderAt: f(() => NaN),
    expectedOrders: f((i) => (i % 10) / 3),
    orderValue: f(() => 40),
    historicSpend: f((i) => i % 500),
    orderCount: Int32Array.from({ length: n }, (_, i) => 1 + (i % 5)),
    firstAt: f(() => Date.UTC(2025, 0, 1)),
    lastAt: f(() => Date.UTC(2026, 5, 1)),
    tier: ids.map((_, i) => (i % 10 === 0 ? "high" : i % 3 === 0 ? "medium" : "low")),
    drivers: ids.map(() => []),
    interval: { lower: 0.05, upper: 0.95, method: "bench" } as unknown as CustomerScores["interval"],
  };
}

/** CPU seconds (user + system) of this process since `from` (the fake Admin API runs in it too). */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return `${((u.user + u.system) / 1e6).toFixed(1)} s CPU`;
};

export async function run(): Promise<BenchResult[]> {
  const n = Number(process.env.LIFECYCLE_BENCH_CUSTOMERS ?? 100_000);
  const out: BenchResult[] = [];
  const t = await createTestDb("sqlite");
  const rows = Array.from({ length: n }, (_, i) => ({
    customerId: `c${i}`,
    date: new Date(Date.UTC(2025, i % 12, 1 + (i % 28))),
    amount: 20 + (i % 50),
  }));
  const store = storeFromTransactions(rows, { domain: SHOP, currencyCode: "EUR" });
  const fake = await startFakeAdmin({ store });
  const ids = [...store.customers.keys()].map(String);
  await t.db.shop.create({ data: { shop: SHOP, currencyCode: "EUR" } });
  for (let i = 0; i < ids.length; i += 5000)
    await t.db.customer.createMany({ data: ids.slice(i, i + 5000).map((id) => ({ shop: SHOP, id, tags: "" })) });
  const run = await t.db.modelRun.create({ data: { shop: SHOP, status: "completed", promoted: true } });

  // 1. Prediction write with the event-loop delay histogram running.
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  await writePredictions(t.db, SHOP, run.id, scores(ids, 0));
  const writeMs = performance.now() - t0;
  h.disable();
  out.push({ name: `writePredictions ${n.toLocaleString()} rows`, value: writeMs, unit: "ms", note: cpuSince(c0) });
  out.push({
    name: "  longest event-loop stall meanwhile",
    value: h.max / 1e6,
    unit: "ms",
    note: `p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms`,
  });

  // 2. Full write-back (first run: every value and tag).
  const admin = createAdminGraphql({
    transport: fetchTransport({ shop: SHOP, accessToken: fake.accessToken, endpoint: fake.graphqlUrl }),
  });
  t0 = performance.now();
  c0 = process.cpuUsage();
  const throttled0 = fake.stats.throttled;
  const full = await writeBack(t.db, admin, SHOP, { trigger: "install", bulk: { pollMs: 50, maxPollMs: 500 } });
  out.push({
    name: `full write-back ${n.toLocaleString()} customers`,
    value: performance.now() - t0,
    unit: "ms",
    note: `${full.mutations.toLocaleString()} mutations, ${full.requests} requests, ${full.bulkOperationIds.length} bulk ops, ${fake.stats.throttled - throttled0} throttled, ${cpuSince(c0)}`,
  });

  // 3. Incremental: 1,000 customers' predictions change; rewrite theirs and write them back.
  const changed = ids.filter((_, i) => i % Math.floor(n / 1000) === 0).slice(0, 1000);
  t0 = performance.now();
  c0 = process.cpuUsage();
  await writePredictions(t.db, SHOP, run.id, scores(ids, 37), { onlyCustomers: new Set(changed) });
  const inc = await writeBack(t.db, admin, SHOP, { trigger: "incremental", customerIds: changed });
  out.push({
    name: "incremental rescore write + write-back, 1,000 customers",
    value: performance.now() - t0,
    unit: "ms",
    note: `${inc.mutations.toLocaleString()} mutations, ${inc.requests} requests, ${inc.bulkOperationIds.length} bulk ops, ${cpuSince(c0)}`,
  });

  // 4. Unchanged rerun: nothing to send.
  t0 = performance.now();
  c0 = process.cpuUsage();
  const none = await writeBack(t.db, admin, SHOP, { trigger: "nightly" });
  out.push({
    name: `unchanged write-back ${n.toLocaleString()} customers`,
    value: performance.now() - t0,
    unit: "ms",
    note: `${none.mutations} mutations, ${cpuSince(c0)}`,
  });
  await fake.close();
  await t.destroy();
  return out;
}
