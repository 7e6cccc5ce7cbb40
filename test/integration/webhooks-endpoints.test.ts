/**
 * Webhook endpoints end to end in-process, on SQLite and PostgreSQL: the real route handler with
 * Shopify's authenticate.webhook (HMAC), the ledger + job transaction, and the processing jobs.
 */
import "@shopify/shopify-app-remix/adapters/node";
import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb, testProviders, type TestDb } from "~/db/test-db";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { runJob } from "~/jobs/job-loop.server";
import "~/job-runtime/all-job-handlers.server";
import { registerJobHandler } from "~/jobs/registry.server";
import { createWebhookHandler, type WebhookContext, type WebhookDeps } from "~/webhooks/handle.server";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS, type WebhookTopic } from "~/webhooks/topics";
import { mentionsId } from "~/models/privacy.server";
import { upsertShopInstalled } from "~/models/shops.server";
import { MAX_JSON_DEPTH } from "~/webhooks/json";
import * as unknownTopicRoute from "~/routes/webhooks.$";
import { customerPayload, orderPayload, refundPayload } from "./webhooks-fixtures";
import { testShopifyApp } from "../support/webhook-app";

const SECRET = "endpoint-test-secret";
const SHOP = "endpoints.myshopify.com";
const providers = await testProviders();

interface Captured {
  lines: string[];
}

function makeDeps(t: TestDb, log: Captured): WebhookDeps {
  const app = testShopifyApp(t.db, SECRET);
  const push = (lvl: string) => (m: string) => log.lines.push(`${lvl} ${m}`);
  return {
    authenticate: (r) => app.authenticate.webhook(r) as Promise<WebhookContext>,
    db: t.db,
    maxBodyBytes: 64 * 1024,
    log: { info: push("info"), warn: push("warn"), error: push("error") },
  };
}

let seq = 0;
function request(
  topic: string,
  payload: unknown,
  o: {
    eventId?: string;
    webhookId?: string;
    secret?: string;
    raw?: string;
    shop?: string;
    headers?: Record<string, string | null>;
    method?: string;
    triggeredAt?: string;
  } = {},
) {
  const body = o.raw ?? JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": o.shop ?? SHOP,
    "x-shopify-api-version": "2026-07",
    "x-shopify-webhook-id": o.webhookId ?? `wh-${++seq}`,
    "x-shopify-hmac-sha256": createHmac("sha256", o.secret ?? SECRET)
      .update(body)
      .digest("base64"),
  };
  if (o.eventId !== undefined) headers["x-shopify-event-id"] = o.eventId;
  if (o.triggeredAt) headers["x-shopify-triggered-at"] = o.triggeredAt;
  for (const [k, v] of Object.entries(o.headers ?? {})) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  const method = o.method ?? "POST";
  return new Request(`https://app.example.com/webhooks/${topic}`, {
    method,
    headers,
    ...(method === "POST" ? { body } : {}),
  });
}

describe.each(providers)("webhook endpoints on %s", (provider) => {
  let t: TestDb;
  let deps: WebhookDeps;
  let queue: DbJobQueue;
  const log: Captured = { lines: [] };
  const handlers = new Map<string, (r: Request) => Promise<Response>>();
  const post = (topic: WebhookTopic, req: Request) => handlers.get(topic)!(req);
  const continued: unknown[] = [];

  /** Runs every runnable job to completion. */
  async function drain(): Promise<void> {
    for (;;) {
      const job = await queue.claim("test-worker", ["webhooks.process", "sync.backfill.continue"]);
      if (!job) return;
      await runJob({
        db: t.db,
        queue,
        workerId: "test-worker",
        job,
        signal: new AbortController().signal,
        log: { info() {}, warn() {}, error() {} },
      });
    }
  }

  beforeAll(async () => {
    t = await createTestDb(provider);
    deps = makeDeps(t, log);
    queue = new DbJobQueue(t.db, t.provider);
    for (const topic of WEBHOOK_TOPICS)
      handlers.set(
        topic,
        createWebhookHandler(topic, () => deps),
      );
    registerJobHandler("sync.backfill.continue", async ({ payload }) => void continued.push(payload));
    await upsertShopInstalled(t.db, SHOP);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it("dedupes by (shop, topic, event id): a duplicate is answered 200 with no effect", async () => {
    const p = customerPayload(111, new Date("2026-02-01T00:00:00Z"), { state: "enabled", tags: "", country: "DE" });
    const a = await post("customers/create", request("customers/create", p, { eventId: "ev-1" }));
    const b = await post("customers/create", request("customers/create", p, { eventId: "ev-1" }));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await b.text()).toBe("duplicate");
    // without an event id the webhook id is the key
    const c = await post("customers/create", request("customers/create", p, { webhookId: "same" }));
    const d = await post("customers/create", request("customers/create", p, { webhookId: "same" }));
    expect([c.status, d.status]).toEqual([200, 200]);
    expect(await t.db.webhookDelivery.count({ where: { shop: SHOP, topic: "customers/create" } })).toBe(2);
    expect(await t.db.job.count({ where: { shop: SHOP, type: "webhooks.process" } })).toBe(2);
    await drain();
    const c111 = await t.db.customer.findUnique({ where: { shop_id: { shop: SHOP, id: "111" } } });
    expect(c111).toMatchObject({ countryCode: "DE", state: "ENABLED" });
    // PII never stored, not even in the raw ledger
    const ledger = await t.db.webhookDelivery.findMany({ where: { shop: SHOP } });
    expect(ledger.some((l) => /example\.com|Main St|Person111/.test(l.payload ?? ""))).toBe(false);
  });

  it("out-of-order order updates converge to the newest version", async () => {
    const at = (m: number) => new Date(Date.UTC(2026, 1, 1, 0, m));
    const versions = [1, 5, 3, 4, 2].map((m) =>
      orderPayload(9_100, 111, at(m), { total: m * 10, status: m === 5 ? "refunded" : "paid", cancelled: null }),
    );
    for (const v of versions) expect((await post("orders/updated", request("orders/updated", v))).status).toBe(200);
    await drain();
    const o = await t.db.order.findUnique({ where: { shop_id: { shop: SHOP, id: "9100" } } });
    expect(o).toMatchObject({ total: 50, financialStatus: "REFUNDED", customerId: "111" });
    // refund arriving before its order still lands, once
    const rf = refundPayload(9_300, 9_200, 4.5, at(9));
    await post("refunds/create", request("refunds/create", rf));
    await post("refunds/create", request("refunds/create", rf));
    await drain();
    expect(await t.db.refund.count({ where: { shop: SHOP, orderId: "9200" } })).toBe(1);
  });

  it("customers/delete tombstones; a late older update is ignored", async () => {
    const upd = customerPayload(222, new Date("2026-02-01T00:00:00Z"), {
      state: "enabled",
      tags: "vip",
      country: "FR",
    });
    await post("customers/delete", request("customers/delete", { id: 222 }, { triggeredAt: "2026-02-02T00:00:00Z" }));
    await post("customers/update", request("customers/update", upd));
    await drain();
    const c = await t.db.customer.findUnique({ where: { shop_id: { shop: SHOP, id: "222" } } });
    expect(c?.deletedAt?.toISOString()).toBe("2026-02-02T00:00:00.000Z");
    expect(c?.countryCode).toBeNull();
  });

  it("forged, unsigned and header-less requests are rejected and store nothing", async () => {
    const before = await t.db.webhookDelivery.count();
    const p = { id: 333, updated_at: "2026-02-01T00:00:00Z" };
    expect((await post("customers/update", request("customers/update", p, { secret: "wrong" }))).status).toBe(401);
    expect(
      (await post("customers/update", request("customers/update", p, { headers: { "x-shopify-hmac-sha256": null } })))
        .status,
    ).toBe(400);
    expect(
      (await post("customers/update", request("customers/update", p, { headers: { "x-shopify-topic": null } }))).status,
    ).toBe(400);
    expect(
      (await post("customers/update", request("customers/update", p, { headers: { "x-shopify-webhook-id": null } })))
        .status,
    ).toBe(400);
    expect(await t.db.webhookDelivery.count()).toBe(before);
    expect(log.lines.some((l) => l.includes("401 invalid HMAC signature"))).toBe(true);
  });

  it("every endpoint: 405 for GET, 413 for oversized, 400 for bad JSON, topic mismatch and foreign shop", async () => {
    const before = await t.db.webhookDelivery.count();
    const big = JSON.stringify({ id: 1, pad: "x".repeat(70 * 1024) });
    for (const topic of WEBHOOK_TOPICS) {
      expect((await post(topic, request(topic, null, { method: "GET" }))).status).toBe(405);
      const r413 = await post(topic, request(topic, null, { raw: big }));
      expect(r413.status).toBe(413);
      expect(await r413.text()).toContain("limit is 65536 bytes");
      // chunked (no content-length) oversized body is also cut off
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode("x".repeat(4096)));
          c.close();
        },
      });
      const chunked = new Request(`https://app.example.com/webhooks/${topic}`, {
        method: "POST",
        body: stream,
        duplex: "half",
        headers: { "x-shopify-topic": topic },
      } as RequestInit);
      expect((await post(topic, chunked)).status).toBe(413);
      expect((await post(topic, request(topic, null, { raw: "{not json" }))).status).toBe(400);
      expect((await post(topic, request(topic, null, { raw: "[1,2]" }))).status).toBe(400);
      const other = topic === "orders/create" ? "orders/updated" : "orders/create";
      expect((await post(topic, request(other, { id: 1 }))).status).toBe(400);
      expect((await post(topic, request(topic, { id: 1 }, { shop: "evil.example.com" }))).status).toBe(400);
    }
    expect(await t.db.webhookDelivery.count()).toBe(before);
    expect(log.lines.filter((l) => l.includes("413")).length).toBeGreaterThanOrEqual(WEBHOOK_TOPICS.length * 2);
  });

  it("1,000 fuzzed bodies: no crash, no 5xx, clear reasons logged and recorded", async () => {
    const rnd = (n: number) => Math.floor(Math.random() * n);
    const samples: Array<() => string> = [
      () => randomBytes(rnd(200)).toString("latin1"),
      () => JSON.stringify({ id: rnd(10) - 5, updated_at: ["x", null, 5, "2026-13-45"][rnd(4)] }),
      () =>
        JSON.stringify({
          id: 10_000 + rnd(1e6),
          updated_at: "2026-01-01T00:00:00Z",
          line_items: "nope",
          total_price_set: { shop_money: { amount: "abc", currency_code: "EUR" } },
        }),
      () => JSON.stringify([{ id: 1 }]),
      () => `{"id": ${"9".repeat(rnd(40) + 1)}, "updated_at": "2026-01-01T00:00:00Z", "currency": "EUR"}`,
      () => "null",
      () => '{"customer": {"id": "DROP TABLE"}}',
      () => JSON.stringify({ admin_graphql_api_id: "gid://shopify/BulkOperation/x" }),
      () => "\u0000\u0001".repeat(rnd(50)),
      // nesting far past the cap (arrays and objects): 400, never a stack overflow
      () => "[".repeat(1000 + rnd(50_000)) + "]".repeat(1000),
      () => '{"a":'.repeat(MAX_JSON_DEPTH + rnd(10_000)) + "1" + "}".repeat(MAX_JSON_DEPTH),
    ];
    const foreign = (i: number) => (i % 3 === 0 ? "never-installed.myshopify.com" : `stranger-${i}.myshopify.com`);
    const statuses: Record<number, number> = {};
    for (let i = 0; i < 1000; i++) {
      // app/uninstalled and the compliance topics act on the whole shop; their payload checks are covered above.
      const fuzzable = WEBHOOK_TOPICS.filter(
        (x) => x !== "app/uninstalled" && x !== "shop/redact" && x !== "customers/redact",
      );
      const topic = fuzzable[rnd(fuzzable.length)]!;
      const raw = samples[rnd(samples.length)]!();
      const forged = Math.random() < 0.1;
      // a captured delivery replayed under another shop keeps a valid HMAC: refused (403), never stored
      const shop = Math.random() < 0.1 ? foreign(i) : SHOP;
      const res = await post(topic, request(topic, null, { raw, shop, secret: forged ? "nope" : SECRET }));
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
    expect(
      Object.keys(statuses)
        .map(Number)
        .every((s) => s < 500),
    ).toBe(true);
    expect(statuses[403]).toBeGreaterThan(0);
    // (the compliance topics are acknowledged for any shop; the other topics never store a stranger's delivery)
    expect(
      await t.db.webhookDelivery.count({ where: { shop: { not: SHOP }, topic: { notIn: [...COMPLIANCE_TOPICS] } } }),
    ).toBe(0);
    await drain();
    const failed = await t.db.webhookDelivery.findMany({ where: { shop: SHOP, status: "failed" } });
    expect(failed.length).toBeGreaterThan(50);
    // each failure names the topic and field
    expect(failed.every((f) => /payload: field "|must be|stored payload/.test(f.error ?? ""))).toBe(true);
    expect(
      await t.db.job.count({ where: { shop: SHOP, status: { in: ["queued", "running"] }, type: "webhooks.process" } }),
    ).toBe(0);
    expect(log.lines.filter((l) => l.startsWith("error"))).toEqual([]);
  });

  it("shops without an installation are refused and nothing is stored, except compliance topics", async () => {
    const stranger = "stranger.myshopify.com";
    const before = await t.db.webhookDelivery.count();
    for (const topic of WEBHOOK_TOPICS) {
      const res = await post(topic, request(topic, { id: 1, shop_domain: stranger }, { shop: stranger }));
      const expected = COMPLIANCE_TOPICS.includes(topic) ? 200 : topic === "app/uninstalled" ? 200 : 403;
      expect(res.status, topic).toBe(expected);
      if (expected === 403) expect(await res.text()).toBe("Forbidden: the app is not installed on this shop");
    }
    // only the three compliance deliveries were stored (app/uninstalled for a shop with no row: acknowledged, ignored)
    expect(await t.db.webhookDelivery.count({ where: { shop: stranger } })).toBe(3);
    expect(await t.db.webhookDelivery.count()).toBe(before + 3);
    expect(log.lines.some((l) => l.includes(`403 ${stranger} has no installation of the app (none)`))).toBe(true);

    // after an uninstall: orders are refused, app/uninstalled repeats and shop/redact are accepted
    const gone = "gone.myshopify.com";
    const fresh: WebhookDeps = { ...deps, installationCacheMs: 0 };
    const handle = (topic: WebhookTopic) => createWebhookHandler(topic, () => fresh);
    await upsertShopInstalled(t.db, gone);
    expect((await handle("orders/create")(request("orders/create", { id: 77 }, { shop: gone }))).status).toBe(200);
    await t.db.shop.update({ where: { shop: gone }, data: { uninstalledAt: new Date() } });
    expect((await handle("orders/create")(request("orders/create", { id: 78 }, { shop: gone }))).status).toBe(403);
    expect((await handle("app/uninstalled")(request("app/uninstalled", { id: 1 }, { shop: gone }))).status).toBe(200);
    expect((await handle("shop/redact")(request("shop/redact", { shop_domain: gone }, { shop: gone }))).status).toBe(
      200,
    );
    const stored = await t.db.webhookDelivery.findMany({ where: { shop: gone }, select: { topic: true } });
    expect(stored.map((r) => r.topic).sort()).toEqual(["app/uninstalled", "orders/create", "shop/redact"]);
    await t.db.webhookDelivery.deleteMany({ where: { shop: { in: [stranger, gone] } } });
    await t.db.job.deleteMany({ where: { shop: { in: [stranger, gone] } } });
    await t.db.shop.deleteMany({ where: { shop: gone } });
  });

  it("JSON nested deeper than 400 levels is answered 400 (no stack overflow); 400 levels are fine", async () => {
    const deep = (n: number) => '{"id":1,"x":' + "[".repeat(n - 2) + "[]" + "]".repeat(n - 2) + "}";
    const ok = await post("orders/create", request("orders/create", null, { raw: deep(MAX_JSON_DEPTH) }));
    expect(ok.status).toBe(200);
    for (const n of [MAX_JSON_DEPTH + 1, 30_000]) {
      const res = await post("orders/create", request("orders/create", null, { raw: deep(n) }));
      expect(res.status).toBe(400);
      expect(await res.text()).toBe(`Bad Request: JSON nesting is deeper than ${MAX_JSON_DEPTH} levels`);
    }
    await drain();
  });

  it("an unknown topic path is a clean 404 for every method, logged on one line without a stack", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      for (const method of ["POST", "GET"]) {
        const req = new Request("https://app.example.com/webhooks/orders/exploded", { method });
        const res = await (method === "POST" ? unknownTopicRoute.action : unknownTopicRoute.loader)({ request: req });
        expect(res.status).toBe(404);
        expect(await res.text()).toBe("Not Found: no webhook topic is served at /webhooks/orders/exploded");
      }
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        "webhook: 404 no topic is served at /webhooks/orders/exploded",
        "webhook: 404 no topic is served at /webhooks/orders/exploded",
      ]);
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it("bulk_operations/finish enqueues the backfill continuation once", async () => {
    const p = {
      admin_graphql_api_id: "gid://shopify/BulkOperation/777",
      status: "completed",
      error_code: null,
      type: "query",
      completed_at: "2026-02-01T00:00:00Z",
    };
    await post("bulk_operations/finish", request("bulk_operations/finish", p));
    await post("bulk_operations/finish", request("bulk_operations/finish", p)); // a second delivery id
    await drain();
    const mine = continued.filter(
      (c) => (c as { bulkOperationId?: string }).bulkOperationId === "gid://shopify/BulkOperation/777",
    );
    expect(mine).toEqual([expect.objectContaining({ status: "COMPLETED", errorCode: null })]);
  });

  it("compliance: data_request exports, customers/redact removes every trace, shop/redact erases the shop", async () => {
    const cust = 4_444_444;
    await post(
      "customers/create",
      request(
        "customers/create",
        customerPayload(cust, new Date("2026-02-01T00:00:00Z"), { state: "enabled", tags: "", country: "CA" }),
      ),
    );
    await post(
      "orders/create",
      request(
        "orders/create",
        orderPayload(5_555_555, cust, new Date("2026-02-01T00:00:00Z"), {
          total: 42,
          status: "paid",
          cancelled: null,
          refunds: [{ id: 6_666_666, amount: 2, at: new Date("2026-02-02T00:00:00Z") }],
        }),
      ),
    );
    await drain();
    await t.db.prediction.create({
      data: {
        shop: SHOP,
        customerId: String(cust),
        modelRunId: 1,
        clv: 9,
        clvLow: 1,
        clvHigh: 20,
        pAlive: 0.7,
        expectedOrders: 2,
        tier: "high",
      },
    });

    const dr = {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: cust, email: "x@y.z", phone: "1" },
      orders_requested: [5_555_555],
      data_request: { id: 9999 },
    };
    expect((await post("customers/data_request", request("customers/data_request", dr))).status).toBe(200);
    await drain();
    const exp = await t.db.dataRequest.findFirst({ where: { shop: SHOP, customerId: String(cust) } });
    const content = JSON.parse(exp!.content);
    expect(exp?.requestId).toBe("9999");
    expect(content.orders).toHaveLength(1);
    expect(content.refunds).toHaveLength(1);
    expect(content.predictions).toHaveLength(1);
    expect(exp!.content).not.toContain("x@y.z");

    const rd = {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: cust, email: "x@y.z", phone: "1" },
      orders_to_redact: [5_555_555],
    };
    expect((await post("customers/redact", request("customers/redact", rd))).status).toBe(200);
    await drain();
    const id = String(cust);
    const dump = JSON.stringify(
      await Promise.all([
        t.db.customer.findMany({ where: { shop: SHOP } }),
        t.db.order.findMany({ where: { shop: SHOP } }),
        t.db.refund.findMany({ where: { shop: SHOP } }),
        t.db.prediction.findMany({ where: { shop: SHOP } }),
        t.db.tierHistory.findMany({ where: { shop: SHOP } }),
        t.db.dataRequest.findMany({ where: { shop: SHOP } }),
        t.db.webhookDelivery.findMany({ where: { shop: SHOP } }),
        t.db.job.findMany({ where: { shop: SHOP } }),
        t.db.modelRun.findMany({ where: { shop: SHOP } }),
        t.db.syncRun.findMany({ where: { shop: SHOP } }),
      ]),
    );
    expect(mentionsId(dump, id)).toBe(false);
    expect(mentionsId(dump, "5555555")).toBe(false);
    expect(mentionsId(dump, "6666666")).toBe(false);
    expect(await t.db.customer.count({ where: { shop: SHOP } })).toBeGreaterThan(0); // others untouched

    // app/uninstalled (twice) then shop/redact
    await t.db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "s", accessToken: "enc:v1:x" } });
    await upsertShopInstalled(t.db, SHOP);
    await queue.enqueue(SHOP, "sync.backfill.continue", { later: true }, { runAt: new Date(Date.now() + 3_600_000) });
    for (let i = 0; i < 2; i++)
      expect((await post("app/uninstalled", request("app/uninstalled", { id: 1, name: "Shop" }))).status).toBe(200);
    await drain();
    expect(await t.db.session.count({ where: { shop: SHOP } })).toBe(0);
    expect((await t.db.shop.findUnique({ where: { shop: SHOP } }))?.uninstalledAt).not.toBeNull();
    expect(await t.db.job.count({ where: { shop: SHOP, status: "queued" } })).toBe(0);

    await t.db.customer.create({ data: { shop: "bystander.myshopify.com", id: "1" } });
    expect((await post("shop/redact", request("shop/redact", { shop_id: 1, shop_domain: SHOP }))).status).toBe(200);
    await drain();
    for (const table of [
      "customer",
      "order",
      "refund",
      "prediction",
      "webhookDelivery",
      "job",
      "dataRequest",
      "shop",
      "session",
      "settings",
    ] as const) {
      expect(
        await (t.db[table] as unknown as { count(a: object): Promise<number> }).count({ where: { shop: SHOP } }),
        table,
      ).toBe(0);
    }
    expect(await t.db.customer.count({ where: { shop: "bystander.myshopify.com" } })).toBe(1);
  });
});
