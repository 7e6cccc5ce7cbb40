/**
 * Shared wiring for the backfill and reconciliation integration tests: a migrated test database,
 * the fake Admin API over a scripted store, the Admin port pointed at it, a minimal signed-webhook
 * receiver for bulk_operations/finish (HMAC-checked, enqueues `sync.backfill.continue` like the
 * app's route), and ground-truth comparisons between the DB and the store.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { createTestDb, type TestDb } from "~/db/test-db";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { upsertShopInstalled } from "~/models/shops.server";
import { createAdminGraphql, type AdminGraphql } from "~/shopify/admin-client.server";
import type { AdminFactory } from "~/jobs/types";
import { fetchTransport } from "~/shopify/transports.server";
import { normalizeRestCustomer, normalizeRestOrder } from "~/webhooks/normalize-rest";
import type { DbProvider } from "~/db/connect.server";
import { generateStore, type GenerateOptions } from "../fake-admin/generate";
import { customerToRest, orderToRest } from "../fake-admin/rest-payloads";
import { startFakeAdmin, type FakeAdmin, type FakeAdminOptions } from "../fake-admin/server";
import type { FakeStore } from "../fake-admin/store";
import { signWebhookBody } from "../fake-admin/webhook-sender";

export const SECRET = "integration-secret";

/** A running test environment. */
export interface SyncEnv {
  db: TestDb;
  queue: DbJobQueue;
  store: FakeStore;
  fake: FakeAdmin;
  shop: string;
  admin: AdminGraphql;
  /** The Admin port factory to start workers with (`startWorker({ adminFor })`). */
  adminFor: AdminFactory;
  receiver: Server;
  close(): Promise<void>;
}

/** Builds the environment; `fakeOptions` tunes the fake (bucket, dropBulkFinish, …). */
export async function createSyncEnv(
  provider: DbProvider,
  gen: GenerateOptions,
  fakeOptions: Partial<FakeAdminOptions> & {
    dropBulkFinish?: boolean;
    /** Forward the webhooks caused by API mutations (tagsAdd → customers/update echo). */
    forwardMutationEvents?: boolean;
    /** Send the fake's webhooks here instead of the stand-in receiver. */ webhookBaseUrl?: () => string;
  } = {},
): Promise<SyncEnv> {
  const db = await createTestDb(provider);
  const queue = new DbJobQueue(db.db, db.provider, { baseMs: 50, maxMs: 500, jitter: 0 });
  const store = generateStore(gen);
  const shop = store.shop.domain;
  await upsertShopInstalled(db.db, shop, { currencyCode: store.shop.currencyCode });
  // Minimal stand-in for the app's bulk_operations/finish route: HMAC check, then durable enqueue.
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      void (async () => {
        if (signWebhookBody(body, SECRET) !== req.headers["x-shopify-hmac-sha256"])
          return void res.writeHead(401).end();
        const payload = JSON.parse(body) as { admin_graphql_api_id: string };
        await queue.enqueue(
          String(req.headers["x-shopify-shop-domain"]),
          "sync.backfill.continue",
          { bulkOperationId: payload.admin_graphql_api_id },
          { dedupeKey: `sync.backfill.continue:${payload.admin_graphql_api_id}` },
        );
        res.writeHead(200).end();
      })().catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const fake = await startFakeAdmin({
    store,
    ...fakeOptions,
    webhooks: {
      baseUrl: fakeOptions.webhookBaseUrl ?? `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      secret: SECRET,
      dropBulkFinish: fakeOptions.dropBulkFinish,
      forwardMutationEvents: fakeOptions.forwardMutationEvents,
    },
  });
  const makeAdmin = () =>
    createAdminGraphql({
      transport: fetchTransport({ shop, accessToken: fake.accessToken, endpoint: fake.graphqlUrl }),
      baseBackoffMs: 20,
    });
  const admin = makeAdmin();
  const adminFor: AdminFactory = async () => admin;
  return {
    db,
    queue,
    store,
    fake,
    shop,
    admin,
    adminFor,
    receiver,
    async close() {
      await fake.close();
      receiver.close();
      await db.destroy();
    },
  };
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 120_000,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`waitFor: timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const cents = (x: number) => Math.round(x * 100);

/** Asserts that the DB holds exactly the store's non-test orders, refunds and customers. */
export async function expectDbMatchesStore(env: SyncEnv): Promise<void> {
  const { db, store, shop } = env;
  const t = store.totals();
  const orders = await db.db.order.findMany({ where: { shop } });
  expect(orders.length).toBe(t.orders);
  expect(orders.filter((o) => o.test).length).toBe(0);
  expect(orders.filter((o) => o.cancelledAt !== null).length).toBe(t.cancelled);
  expect(orders.filter((o) => o.customerId === null).length).toBe(t.guest);
  expect(cents(orders.reduce((s, o) => s + o.currentSubtotal, 0))).toBe(cents(t.currentSubtotal));
  expect(cents(orders.reduce((s, o) => s + o.total, 0))).toBe(cents(t.total));
  expect(cents(orders.reduce((s, o) => s + o.totalRefunded, 0))).toBe(cents(t.refunded));
  expect(orders.reduce((s, o) => s + o.lineItemCount, 0)).toBe(t.lineItems);
  const refunds = await db.db.refund.findMany({ where: { shop } });
  expect(refunds.length).toBe(t.refunds);
  expect(cents(refunds.reduce((s, r) => s + r.amount, 0))).toBe(cents(t.refunded));
  expect(await db.db.customer.count({ where: { shop } })).toBe(t.customers);
  expect(env.fake.validationFailures).toEqual([]);
}

/** Every stored order/customer equals the REST-normalised store object (webhook and backfill agree). */
export async function expectRowsEqualRest(env: SyncEnv, sample?: number): Promise<void> {
  const { db, store, shop } = env;
  const orders = [...store.orders.values()].filter((o) => !o.test);
  const picked = sample ? orders.filter((_, i) => i % Math.max(1, Math.floor(orders.length / sample)) === 0) : orders;
  const rows = new Map((await db.db.order.findMany({ where: { shop } })).map((r) => [r.id, r]));
  for (const o of picked) {
    const want = normalizeRestOrder(orderToRest(store, o)).order;
    const got = rows.get(String(o.id));
    expect(got, `order ${o.id}`).toBeDefined();
    expect(
      {
        customerId: got!.customerId,
        processedAt: got!.processedAt.toISOString(),
        updatedAt: got!.shopifyUpdatedAt.toISOString(),
        cancelledAt: got!.cancelledAt?.toISOString() ?? null,
        financialStatus: got!.financialStatus,
        currencyCode: got!.currencyCode,
        presentmentCurrencyCode: got!.presentmentCurrencyCode,
        subtotal: cents(got!.subtotal),
        currentSubtotal: cents(got!.currentSubtotal),
        total: cents(got!.total),
        totalDiscounts: cents(got!.totalDiscounts),
        totalRefunded: cents(got!.totalRefunded),
        presentmentTotal: got!.presentmentTotal === null ? null : cents(got!.presentmentTotal),
        sourceName: got!.sourceName,
        countryCode: got!.countryCode,
        discountCodes: JSON.parse(got!.discountCodes),
        productIds: JSON.parse(got!.productIds),
        lineItemCount: got!.lineItemCount,
      },
      `order ${o.id}`,
    ).toEqual({
      customerId: want.customerId,
      processedAt: want.processedAt.toISOString(),
      updatedAt: want.shopifyUpdatedAt.toISOString(),
      cancelledAt: want.cancelledAt?.toISOString() ?? null,
      financialStatus: want.financialStatus,
      currencyCode: want.currencyCode,
      presentmentCurrencyCode: want.presentmentCurrencyCode,
      subtotal: cents(want.subtotal),
      currentSubtotal: cents(want.currentSubtotal),
      total: cents(want.total),
      totalDiscounts: cents(want.totalDiscounts),
      totalRefunded: cents(want.totalRefunded),
      presentmentTotal: want.presentmentTotal === null ? null : cents(want.presentmentTotal),
      sourceName: want.sourceName,
      countryCode: want.countryCode,
      discountCodes: want.discountCodes,
      productIds: want.productIds,
      lineItemCount: want.lineItemCount,
    });
  }
  const customers = [...store.customers.values()];
  const crow = new Map((await db.db.customer.findMany({ where: { shop } })).map((r) => [r.id, r]));
  for (const c of sample ? customers.slice(0, sample) : customers) {
    const want = normalizeRestCustomer(customerToRest(store, c));
    const got = crow.get(String(c.id));
    expect(
      { updatedAt: got?.shopifyUpdatedAt?.toISOString(), state: got?.state, countryCode: got?.countryCode },
      `customer ${c.id}`,
    ).toEqual({ updatedAt: want.shopifyUpdatedAt?.toISOString(), state: want.state, countryCode: want.countryCode });
  }
}

/** A stable snapshot of the shop's orders/refunds/customers (to compare two runs). */
export async function snapshot(env: SyncEnv) {
  const { db, shop } = env;
  const strip = <T extends Record<string, unknown>>(rows: T[]) =>
    rows.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest);
  return {
    orders: strip(await db.db.order.findMany({ where: { shop }, orderBy: { id: "asc" } })),
    refunds: strip(await db.db.refund.findMany({ where: { shop }, orderBy: { id: "asc" } })),
    customers: strip(await db.db.customer.findMany({ where: { shop }, orderBy: { id: "asc" } })),
  };
}
