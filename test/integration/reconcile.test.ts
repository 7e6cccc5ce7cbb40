/**
 * Reconciliation repairs drift from missed webhooks: after a backfill the store changes (new orders
 * incl. one with 25 line items, refunds, cancellations, customer updates, new customers) and none of
 * the webhooks reach the app. `sync.reconcile` re-reads everything updated since the watermark
 * through the paginated, cost-aware client; the DB then equals the store again and the watermark
 * moves forward. A second run applies nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { testProviders } from "~/db/test-db";
import { startWorker, type Worker } from "~/jobs/job-loop.server";
import { getShop } from "~/models/shops.server";
import { advanceBackfill, requestBackfill } from "~/sync/backfill.server";
import { configureSyncJobs, scheduleReconcile } from "~/lifecycle/sync-job-handlers.server";
import { reconcileShop } from "~/sync/reconcile.server";
import type { FakeLineItem } from "../fake-admin/store";
import type { WebhookEvent } from "../fake-admin/webhook-sender";
import { createSyncEnv, expectDbMatchesStore, expectRowsEqualRest, waitFor, type SyncEnv } from "./backfill-helpers";

const providers = await testProviders();
let env: SyncEnv | undefined;
let worker: Worker | undefined;
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await env?.close();
  env = undefined;
  configureSyncJobs({});
});

async function backfill(e: SyncEnv) {
  const { runId } = await requestBackfill(e.db.db, e.queue, e.shop);
  for (;;) {
    const r = await advanceBackfill({ db: e.db.db, admin: e.admin }, e.shop, runId);
    if (r.state === "completed") return;
    if (r.state !== "waiting") throw new Error(`backfill ${r.state}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Changes the store the way merchants and customers do; returns the webhooks that get lost. */
function drift(e: SyncEnv): WebhookEvent[] {
  const s = e.store;
  const lost: WebhookEvent[] = [];
  const customers = [...s.customers.keys()];
  const orders = [...s.orders.values()].filter((o) => !o.test).map((o) => o.id);
  const li = (n: number): FakeLineItem[] =>
    Array.from({ length: n }, (_, i) => ({
      id: s.nextId(),
      productId: 9_000_100 + i,
      title: `P${i}`,
      quantity: 1,
      unitPriceCents: 1000 + i,
    }));
  for (let i = 0; i < 30; i++)
    lost.push(
      ...s.createOrder({
        customerId: customers[i * 7]!,
        lineItems: li(1 + (i % 3)),
        presentmentCurrency: i % 2 ? "EUR" : "USD",
        fxRate: i % 2 ? 0.92 : 1,
      }).events,
    );
  lost.push(...s.createOrder({ customerId: null, lineItems: li(2) }).events);
  lost.push(...s.createOrder({ customerId: customers[3]!, lineItems: li(25) }).events); // > 1 page of line items
  lost.push(...s.createOrder({ customerId: customers[4]!, lineItems: li(1), test: true }).events); // dropped
  for (let i = 0; i < 10; i++) lost.push(...s.refundOrder(orders[i * 11]!, 500));
  for (let i = 0; i < 5; i++) lost.push(...s.cancelOrder(orders[200 + i * 13]!));
  for (let i = 0; i < 10; i++)
    lost.push(
      ...s.updateCustomer(customers[100 + i]!, { state: "DISABLED", tags: ["vip", "drift"], countryCode: "DE" }),
    );
  for (let i = 0; i < 5; i++) lost.push(...s.createCustomer({ countryCode: "FR" }).events);
  return lost;
}

describe.each(providers)("reconciliation (%s)", (provider) => {
  it("repairs missed webhooks, advances the watermark, and is idempotent", async () => {
    env = await createSyncEnv(provider, { seed: 31, customers: 400, orders: 1200 });
    await backfill(env);
    const before = (await getShop(env.db.db, env.shop))!.reconciledUntil!;
    const lost = drift(env);
    expect(lost.length).toBeGreaterThan(80);
    // drift is real: the DB no longer matches the store
    await expect(expectDbMatchesStore(env)).rejects.toThrow();

    const r = await reconcileShop({ db: env.db.db, admin: env.admin }, env.shop);
    await expectDbMatchesStore(env);
    await expectRowsEqualRest(env);
    expect(r.orders.applied).toBe(32 + 10 + 5);
    expect(r.orders.dropped).toBe(1);
    expect(r.customers.applied).toBeGreaterThanOrEqual(10 + 5);
    const after = (await getShop(env.db.db, env.shop))!.reconciledUntil!;
    const newest = Math.max(
      ...[...env.store.orders.values()].map((o) => o.updatedAt.getTime()),
      ...[...env.store.customers.values()].map((c) => c.updatedAt.getTime()),
    );
    expect(after.getTime()).toBe(newest);
    expect(after.getTime()).toBeGreaterThan(before.getTime());
    // only the changed window was read, not the whole store
    expect(r.orders.seen).toBeLessThan(200);

    const again = await reconcileShop({ db: env.db.db, admin: env.admin }, env.shop);
    expect(again.orders.applied + again.customers.applied + again.refunds.applied).toBe(0);
    expect(env.fake.validationFailures).toEqual([]);
  });

  it("runs as the scheduled durable job and schedules the next run", async () => {
    env = await createSyncEnv(provider, { seed: 32, customers: 300, orders: 300 });
    await backfill(env);
    drift(env);
    worker = startWorker({
      db: env.db.db,
      queue: env.queue,
      adminFor: env.adminFor,
      pollMs: 25,
      log: { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) },
    });
    const { id } = await scheduleReconcile(env.queue, env.shop, new Date());
    await waitFor(async () => (await env!.db.db.job.findUnique({ where: { id } }))?.status === "completed");
    await expectDbMatchesStore(env);
    const next = await env.db.db.job.findFirst({ where: { type: "sync.reconcile", status: "queued" } });
    expect(next!.runAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });
});
