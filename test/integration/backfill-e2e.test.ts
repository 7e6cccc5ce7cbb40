/**
 * The whole sync chain end to end on the app's real webhook handlers: the fake Admin API fires a
 * signed bulk_operations/finish webhook at the app's handler (shopify-app-remix authenticate.webhook
 * → ledger → `webhooks.process` job → `sync.backfill.continue` → backfill step), the backfill
 * completes, then the store keeps changing and its REST webhooks are delivered with duplicates,
 * reordering and forged copies by the Shopify-like sender. The DB ends equal to the store.
 */
import { afterEach, describe, expect, it } from "vitest";
import "~/job-runtime/all-job-handlers.server";
import { startWorker, type Worker } from "~/jobs/job-loop.server";
import { getSyncRun } from "~/models/runs.server";
import { requestBackfill } from "~/sync/backfill.server";
import { configureSyncJobs } from "~/lifecycle/sync-job-handlers.server";
import { createWebhookSender, type WebhookEvent } from "../fake-admin/webhook-sender";
import { startWebhookApp, type WebhookApp } from "../support/webhook-app";
import { createSyncEnv, expectDbMatchesStore, SECRET, waitFor, type SyncEnv } from "./backfill-helpers";

let env: SyncEnv | undefined;
let worker: Worker | undefined;
let app: WebhookApp | undefined;
afterEach(async () => {
  await worker?.stop();
  app?.close();
  await env?.close();
  env = worker = app = undefined;
  configureSyncJobs({});
});

describe("sync end to end through the app's webhook handlers", () => {
  it("backfill completed by the real bulk_operations/finish route, then chaotic webhooks converge to the store", async () => {
    let appUrl = "";
    env = await createSyncEnv(
      "sqlite",
      { seed: 51, customers: 400, orders: 2000 },
      { bulkDelayMs: 800, webhookBaseUrl: () => appUrl },
    );
    app = await startWebhookApp(env.db.db);
    appUrl = app.url;
    configureSyncJobs({ backfill: { pollIntervalMs: 10 * 60_000 } }); // only the webhook can finish it in time

    worker = startWorker({
      db: env.db.db,
      queue: env.queue,
      adminFor: env.adminFor,
      pollMs: 25,
      log: { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) },
    });
    const { runId } = await requestBackfill(env.db.db, env.queue, env.shop);
    await waitFor(async () => (await getSyncRun(env!.db.db, env!.shop, runId))?.status === "completed", 120_000);
    // The run can complete from the first finish webhook's job when the other operation is done by
    // then; the second finish webhook still arrives (and its continue job finds nothing left to do).
    await waitFor(
      async () => (await env!.db.db.webhookDelivery.count({ where: { topic: "bulk_operations/finish" } })) === 2,
      30_000,
    );
    await waitFor(
      async () =>
        (await env!.db.db.job.count({ where: { type: "sync.backfill.continue", status: "completed" } })) === 2,
      30_000,
    );
    await expectDbMatchesStore(env);

    // Live changes after the backfill, delivered like Shopify does (at least once, any order).
    const s = env.store;
    const events: WebhookEvent[] = [];
    const customers = [...s.customers.keys()];
    const orders = [...s.orders.values()].filter((o) => !o.test).map((o) => o.id);
    for (let i = 0; i < 60; i++) {
      events.push(
        ...s.createOrder({
          customerId: customers[i]!,
          lineItems: [
            { id: s.nextId(), productId: 9_000_001 + i, title: "x", quantity: 1 + (i % 2), unitPriceCents: 2500 + i },
          ],
        }).events,
      );
    }
    for (let i = 0; i < 20; i++) events.push(...s.refundOrder(orders[i * 3]!, 700));
    for (let i = 0; i < 10; i++) events.push(...s.cancelOrder(orders[500 + i * 7]!));
    const sender = createWebhookSender({ baseUrl: appUrl, secret: SECRET, seed: 9, baseDelayMs: 20 });
    const report = await sender.deliverAll(events, {
      duplicateRate: 0.2,
      reorderRate: 0.2,
      forgeRate: 0.05,
      concurrency: 4,
    });
    expect(report.unacknowledged).toEqual([]);
    expect(report.forgedNot401).toEqual([]);
    await waitFor(
      async () =>
        (await env!.db.db.job.count({ where: { status: { in: ["queued", "running"] }, type: "webhooks.process" } })) ===
        0,
      120_000,
    );
    await expectDbMatchesStore(env);
  });
});
