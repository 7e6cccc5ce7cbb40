/**
 * ≥10,000 webhook deliveries (~20 % duplicates, ~20 % reordered, ~5 % forged) against the app running
 * as a child process that is killed with SIGKILL twice mid-stream, while the sender retries every
 * unacknowledged delivery as Shopify does. The final database must equal the ground truth exactly.
 */
import { afterAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "~/db/connect.server";
import { migrate } from "~/db/migrate.server";
import { upsertShopInstalled } from "~/models/shops.server";
import { freshTestUrl, testProviders } from "~/db/test-db";
import { createWebhookSender } from "../fake-admin/webhook-sender";
import { SECRET, SHOP, freePort, scriptedStream, startChildApp, type ChildApp } from "./webhooks-fixtures";

// WEBHOOK_STREAM_PROVIDERS=sqlite limits the (slow) stream to one provider.
const only = process.env.WEBHOOK_STREAM_PROVIDERS?.split(",");
const providers = (await testProviders()).filter((p) => !only || only.includes(p));
const N = Number(process.env.WEBHOOK_STREAM_EVENTS ?? 10_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, fn: () => Promise<boolean>, timeoutMs = 20 * 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(providers)("webhook stream with two kill -9 on %s", (provider) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it(
    `${N} events with duplicates, reordering and forgeries converge to the ground truth`,
    async () => {
      const { url, cleanup } = freshTestUrl(provider);
      cleanups.push(cleanup);
      await migrate(url);
      const h: DbHandle = await openDb(url);
      cleanups.push(() => h.close());
      await upsertShopInstalled(h.db, SHOP); // deliveries for shops without an installation are refused
      const port = await freePort();
      const logs: string[] = [];
      let app: ChildApp = await startChildApp({ DATABASE_URL: url }, port, logs);
      cleanups.push(() => app.stop());

      const { events, truth } = scriptedStream(N);
      const sender = createWebhookSender({
        baseUrl: `http://127.0.0.1:${port}`,
        secret: SECRET,
        maxRetries: 12,
        baseDelayMs: 200,
        maxDelayMs: 4000,
        timeoutMs: 15_000,
        seed: 11,
      });
      const streaming = sender.deliverAll(events, {
        duplicateRate: 0.2,
        reorderRate: 0.2,
        forgeRate: 0.05,
        concurrency: 12,
      });

      let kills = 0;
      for (const fraction of [0.3, 0.65]) {
        await waitUntil(
          `${fraction * 100}% of deliveries`,
          async () => (await h.db.webhookDelivery.count({ where: { shop: SHOP } })) >= N * fraction,
        );
        await app.kill9();
        kills++;
        await sleep(500);
        app = await startChildApp({ DATABASE_URL: url }, port, logs);
      }
      const report = await streaming;
      expect(kills).toBe(2);

      // Every genuine delivery was eventually acknowledged; every forged one that reached the app got 401.
      expect(report.unacknowledged).toHaveLength(0);
      const forged = report.results.filter((r) => r.forged);
      expect(forged.length).toBeGreaterThan(N * 0.03);
      expect(forged.filter((r) => r.statuses.some((s) => s !== 401 && s !== 0))).toHaveLength(0);
      const duplicates = report.results.filter((r) => r.duplicate).length;
      expect(duplicates).toBeGreaterThan(N * 0.15);
      expect(report.retries).toBeGreaterThan(0); // the kills forced retries

      await waitUntil(
        "processing to finish",
        async () => (await h.db.job.count({ where: { shop: SHOP, status: { in: ["queued", "running"] } } })) === 0,
      );

      // The ledger: exactly one row per genuine event, all processed, no forged payload, no PII.
      const ledger = await h.db.webhookDelivery.findMany({
        where: { shop: SHOP },
        select: { status: true, payload: true, error: true },
      });
      expect(ledger).toHaveLength(N);
      expect(ledger.filter((d) => d.status !== "processed").map((d) => d.error)).toEqual([]);
      expect(ledger.filter((d) => d.payload?.includes("__tampered"))).toHaveLength(0);
      expect(ledger.filter((d) => /@example\.com|Main St|Person\d/.test(d.payload ?? ""))).toHaveLength(0);
      expect(await h.db.job.count({ where: { shop: SHOP, status: "failed" } })).toBe(0);

      const orders = await h.db.order.findMany({ where: { shop: SHOP } });
      expect(orders).toHaveLength(truth.orders.size);
      const orderDiff = orders.filter((o) => {
        const t = truth.orders.get(o.id)!;
        return (
          !t ||
          o.shopifyUpdatedAt.toISOString() !== t.updatedAt ||
          o.total !== t.total ||
          o.financialStatus !== t.status ||
          o.customerId !== t.customerId ||
          (o.cancelledAt !== null) !== t.cancelled
        );
      });
      expect(orderDiff).toEqual([]);

      const refunds = await h.db.refund.findMany({ where: { shop: SHOP } });
      expect(refunds).toHaveLength(truth.refunds.size);
      expect(
        refunds.filter(
          (r) => truth.refunds.get(r.id)?.amount !== r.amount || truth.refunds.get(r.id)?.orderId !== r.orderId,
        ),
      ).toEqual([]);

      const customers = await h.db.customer.findMany({ where: { shop: SHOP } });
      expect(customers).toHaveLength(truth.customers.size);
      const customerDiff = customers.filter((c) => {
        const t = truth.customers.get(c.id)!;
        if (!t) return true;
        if (t.deleted) return c.deletedAt === null;
        return (
          c.deletedAt !== null ||
          c.shopifyUpdatedAt?.toISOString() !== t.updatedAt ||
          c.state !== t.state ||
          c.countryCode !== t.country
        );
      });
      expect(customerDiff).toEqual([]);
      // The crash recovery path was exercised or not needed, but never lost a job.
      expect(logs.join("")).not.toMatch(/app-server: unhandled/);
    },
    30 * 60_000,
  );
});
