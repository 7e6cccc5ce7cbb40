/**
 * Backfill through the fake Admin API: a scripted store of >10,000 orders, bulk queries completed
 * via the signed bulk_operations/finish webhook (or the polling fallback), streamed JSONL applied
 * through the repositories by the durable job worker. The DB must equal the store's ground truth.
 */
import { afterEach, describe, expect, it } from "vitest";
import { testProviders } from "~/db/test-db";
import { startWorker, type Worker } from "~/jobs/job-loop.server";
import { getSyncRun } from "~/models/runs.server";
import { getShop } from "~/models/shops.server";
import { requestBackfill } from "~/sync/backfill.server";
import { configureSyncJobs } from "~/lifecycle/sync-job-handlers.server";
import { createSyncEnv, expectDbMatchesStore, expectRowsEqualRest, waitFor, type SyncEnv } from "./backfill-helpers";

const providers = await testProviders();
const quietLog = { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

let env: SyncEnv | undefined;
let worker: Worker | undefined;
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await env?.close();
  env = undefined;
  configureSyncJobs({});
});

async function runToCompletion(e: SyncEnv, timeoutMs = 180_000) {
  worker = startWorker({ db: e.db.db, queue: e.queue, adminFor: e.adminFor, pollMs: 25, log: quietLog });
  const { runId } = await requestBackfill(e.db.db, e.queue, e.shop);
  return waitFor(async () => {
    const run = await getSyncRun(e.db.db, e.shop, runId);
    if (run?.status === "failed") throw new Error(`backfill failed: ${run.error}`);
    return run?.status === "completed" ? run : null;
  }, timeoutMs);
}

describe.each(providers)("backfill (%s)", (provider) => {
  it("backfills a scripted store of 10,200 orders via bulk operations + finish webhook: DB totals equal the store's", async () => {
    env = await createSyncEnv(provider, { seed: 11, customers: 2500, orders: 10_200 }, { bulkDelayMs: 1000 });
    // The poll fallback is far away, so completion must come through the finish webhook.
    configureSyncJobs({ backfill: { pollIntervalMs: 10 * 60_000 } });
    const t0 = Date.now();
    const run = await runToCompletion(env);
    const ms = Date.now() - t0;
    const totals = env.store.totals();
    expect(totals.orders).toBeGreaterThanOrEqual(10_000);
    await expectDbMatchesStore(env);
    await expectRowsEqualRest(env, 300);
    // progress: every root object (customers + orders incl. dropped test orders) counted
    expect(run.rowsDone).toBe(totals.customers + totals.orders + totals.testOrders);
    expect(run.rowsTotalEstimate).toBe(run.rowsDone);
    const cp = JSON.parse(run.checkpoint) as { orders: { dropped: number } };
    expect(cp.orders.dropped).toBe(totals.testOrders);
    // watermark for reconciliation = newest updatedAt in the data
    const newest = Math.max(
      ...[...env.store.orders.values()].map((o) => o.updatedAt.getTime()),
      ...[...env.store.customers.values()].map((c) => c.updatedAt.getTime()),
    );
    expect((await getShop(env.db.db, env.shop))?.reconciledUntil?.getTime()).toBe(newest);
    // both bulk operations finished by webhook, signed and acknowledged
    await env.fake.flushWebhooks();
    expect(
      env.fake.webhookDeliveries.filter((d) => d.topic === "bulk_operations/finish" && d.acknowledged),
    ).toHaveLength(2);
    expect(await env.db.db.job.count({ where: { type: "sync.backfill.continue", status: "completed" } })).toBe(2);
    expect(await env.db.db.job.count({ where: { type: "sync.backfill.poll", status: "completed" } })).toBe(0);
    // the nightly reconciliation is scheduled from here on
    expect(await env.db.db.job.count({ where: { type: "sync.reconcile", status: "queued" } })).toBe(1);
    console.info(
      `[backfill ${provider}] ${totals.orders + totals.testOrders} orders + ${totals.customers} customers in ${ms} ms`,
    );
  });

  it("completes through the polling fallback when the finish webhook never arrives", async () => {
    env = await createSyncEnv(
      provider,
      { seed: 12, customers: 300, orders: 1500 },
      { dropBulkFinish: true, bulkDelayMs: 500 },
    );
    configureSyncJobs({ backfill: { pollIntervalMs: 200 } });
    await runToCompletion(env, 60_000);
    await expectDbMatchesStore(env);
    expect(env.fake.webhookDeliveries).toHaveLength(0);
    expect(await env.db.db.job.count({ where: { type: "sync.backfill.poll", status: "completed" } })).toBeGreaterThan(
      0,
    );
  });

  it("resubmits a bulk operation that FAILED and still ends equal to the store", async () => {
    env = await createSyncEnv(provider, { seed: 13, customers: 200, orders: 800 });
    env.fake.bulk.injectFailure("INTERNAL_SERVER_ERROR", true);
    configureSyncJobs({ backfill: { pollIntervalMs: 200 } });
    const run = await runToCompletion(env, 60_000);
    await expectDbMatchesStore(env);
    const ops = JSON.parse(run.bulkOperations) as Record<string, { submissions: number }>;
    expect(Math.max(ops.customers!.submissions, ops.orders!.submissions)).toBe(2);
  });

  it("requestBackfill is idempotent while a run is active", async () => {
    env = await createSyncEnv(provider, { seed: 14, customers: 10, orders: 20 });
    const a = await requestBackfill(env.db.db, env.queue, env.shop);
    const b = await requestBackfill(env.db.db, env.queue, env.shop);
    expect(b).toEqual({ runId: a.runId, created: false });
    expect(await env.db.db.job.count({ where: { type: "sync.backfill.step" } })).toBe(1);
    // the step job was cancelled (e.g. uninstall): asking again re-queues the same run
    expect(await env.queue.cancel(env.shop, { type: "sync.backfill.step" })).toBe(1);
    const c = await requestBackfill(env.db.db, env.queue, env.shop);
    expect(c).toEqual({ runId: a.runId, created: false });
    expect(await env.db.db.job.count({ where: { type: "sync.backfill.step", status: "queued" } })).toBe(1);
  });
});
