import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createWebhookSender, signWebhookBody } from "./webhook-sender";

const SECRET = "test-secret";

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
  path: string;
  valid: boolean;
}

/** A receiver that verifies the HMAC like the app and can fail the first N genuine deliveries. */
async function receiver(failFirst = 0): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const valid = signWebhookBody(body, SECRET) === req.headers["x-shopify-hmac-sha256"];
      received.push({ headers: req.headers, body, path: req.url ?? "", valid });
      if (!valid) return void res.writeHead(401).end();
      if (failures < failFirst) {
        failures++;
        return void res.writeHead(503).end();
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

let open: Server | undefined;
afterEach(() => open?.close());

describe("webhook sender", () => {
  it("signs the raw body and sends Shopify's headers to /webhooks/<topic>", async () => {
    const r = await receiver();
    open = r.server;
    const sender = createWebhookSender({ baseUrl: r.url, secret: SECRET });
    const res = await sender.send({
      topic: "orders/create",
      shop: "a.myshopify.com",
      payload: { id: 1 },
      eventId: "ev1",
    });
    expect(res.acknowledged).toBe(true);
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.valid).toBe(true);
    expect(got.path).toBe("/webhooks/orders/create");
    expect(got.headers["x-shopify-topic"]).toBe("orders/create");
    expect(got.headers["x-shopify-shop-domain"]).toBe("a.myshopify.com");
    expect(got.headers["x-shopify-api-version"]).toBe("2026-07");
    expect(got.headers["x-shopify-event-id"]).toBe("ev1");
    expect(got.headers["x-shopify-webhook-id"]).toBeTruthy();
    expect(got.headers["x-shopify-triggered-at"]).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("retries unacknowledged deliveries with the same webhook id until a 2xx", async () => {
    const r = await receiver(3);
    open = r.server;
    const sender = createWebhookSender({ baseUrl: r.url, secret: SECRET, baseDelayMs: 5 });
    const res = await sender.send({ topic: "orders/updated", shop: "a.myshopify.com", payload: { id: 2 } });
    expect(res.statuses).toEqual([503, 503, 503, 200]);
    expect(new Set(r.received.map((x) => x.headers["x-shopify-webhook-id"])).size).toBe(1);
  });

  it("gives up after maxRetries and reports connection errors as status 0", async () => {
    const sender = createWebhookSender({
      baseUrl: "http://127.0.0.1:9",
      secret: SECRET,
      baseDelayMs: 1,
      maxRetries: 2,
    });
    const res = await sender.send({ topic: "orders/create", shop: "a.myshopify.com", payload: {} });
    expect(res.statuses).toEqual([0, 0, 0]);
    expect(res.acknowledged).toBe(false);
  });

  it("deliverAll duplicates, forges and delays per the plan; forged copies get 401 and are not retried", async () => {
    const r = await receiver();
    open = r.server;
    const sender = createWebhookSender({ baseUrl: r.url, secret: SECRET, seed: 7 });
    const events = Array.from({ length: 400 }, (_, i) => ({
      topic: "orders/create",
      shop: "a.myshopify.com",
      payload: { id: i },
    }));
    const report = await sender.deliverAll(events, {
      duplicateRate: 0.2,
      reorderRate: 0.2,
      forgeRate: 0.05,
      delayRate: 0.05,
      delayMs: 10,
      concurrency: 4,
    });
    const forged = report.results.filter((x) => x.forged);
    const dups = report.results.filter((x) => x.duplicate);
    expect(forged.length).toBeGreaterThan(5);
    expect(dups.length).toBeGreaterThan(40);
    expect(report.forgedNot401).toEqual([]);
    expect(report.unacknowledged).toEqual([]);
    expect(forged.every((f) => f.statuses.length === 1)).toBe(true);
    // Every original event arrived validly at least once.
    const validIds = new Set(r.received.filter((x) => x.valid).map((x) => (JSON.parse(x.body) as { id: number }).id));
    expect(validIds.size).toBe(400);
    // Reordering happened: the valid arrival order is not sorted.
    const order = r.received.filter((x) => x.valid).map((x) => (JSON.parse(x.body) as { id: number }).id);
    expect(order.some((v, i) => i > 0 && v < order[i - 1]!)).toBe(true);
  });
});
