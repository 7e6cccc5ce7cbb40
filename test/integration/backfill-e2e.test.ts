/**
 * The whole sync chain end to end on the app's real webhook handlers: the fake Admin API fires a
 * signed bulk_operations/finish webhook at the app's handler (shopify-app-remix authenticate.webhook
 * → ledger → `webhooks.process` job → `sync.backfill.continue` → backfill step), the backfill
 * completes, then the store keeps changing and its REST webhooks are delivered with duplicates,
 * reordering and forged copies by the Shopify-like sender. The DB ends equal to the store.
 */
import "@shopify/shopify-app-remix/adapters/node";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { ApiVersion, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import "~/jobs/handlers.server";
import { startWorker, type Worker } from "~/jobs/worker.server";
import { getSyncRun } from "~/models/runs.server";
import { keyRingFrom } from "~/security/crypto.server";
import { EncryptedSessionStorage } from "~/security/encrypted-session-storage.server";
import { requestBackfill } from "~/sync/backfill.server";
import { configureSyncJobs } from "~/sync/jobs.server";
import { createWebhookHandler, type WebhookContext, type WebhookDeps } from "~/webhooks/handle.server";
import { WEBHOOK_TOPICS, type WebhookTopic } from "~/webhooks/topics";
import { createWebhookSender, type WebhookEvent } from "../fake-admin/webhook-sender";
import { toFetchRequest } from "../support/app-server";
import { createSyncEnv, expectDbMatchesStore, SECRET, waitFor, type SyncEnv } from "./backfill-helpers";

let env: SyncEnv | undefined;
let worker: Worker | undefined;
let app: Server | undefined;
afterEach(async () => {
  await worker?.stop();
  app?.close();
  await env?.close();
  env = worker = app = undefined;
  configureSyncJobs({});
});

/** A node server that dispatches /webhooks/<topic> to the app's real webhook handlers. */
async function startWebhookApp(e: SyncEnv): Promise<string> {
  const shopify = shopifyApp({
    apiKey: "test-key",
    apiSecretKey: SECRET,
    apiVersion: ApiVersion.July26,
    appUrl: "https://app.example.com",
    scopes: ["read_orders"],
    sessionStorage: new EncryptedSessionStorage(
      new PrismaSessionStorage(e.db.db),
      keyRingFrom(randomBytes(32).toString("hex")),
    ),
    logger: { level: 0 },
  });
  const deps: WebhookDeps = {
    authenticate: (r) => shopify.authenticate.webhook(r) as Promise<WebhookContext>,
    db: e.db.db,
    maxBodyBytes: 1024 * 1024,
    log: { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) },
  };
  const handlers = new Map(WEBHOOK_TOPICS.map((t) => [t, createWebhookHandler(t as WebhookTopic, () => deps)]));
  app = createServer((req, res) => {
    const topic = (req.url ?? "").replace(/^\/webhooks\//, "") as WebhookTopic;
    const h = handlers.get(topic);
    if (!h) return void res.writeHead(404).end();
    void h(toFetchRequest(req, "http://127.0.0.1"))
      .catch((x: unknown) => (x instanceof Response ? x : new Response("error", { status: 500 })))
      .then(async (r) => {
        res.writeHead(r.status);
        res.end(Buffer.from(await r.arrayBuffer()));
      });
  });
  await new Promise<void>((r) => app!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}

describe("sync end to end through the app's webhook handlers", () => {
  it("backfill completed by the real bulk_operations/finish route, then chaotic webhooks converge to the store", async () => {
    let appUrl = "";
    env = await createSyncEnv(
      "sqlite",
      { seed: 51, customers: 400, orders: 2000 },
      { bulkDelayMs: 800, webhookBaseUrl: () => appUrl },
    );
    appUrl = await startWebhookApp(env);
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
