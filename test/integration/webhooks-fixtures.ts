/**
 * Fixtures for the webhook integration tests: REST-shaped payload builders (after Shopify's examples),
 * a scripted event stream with its ground truth, and a child-process runner for the app harness.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRng } from "../fake-admin/rng";
import type { WebhookEvent } from "../fake-admin/webhook-sender";

export const SECRET = "horizon-test-webhook-secret";
export const SHOP = "stream-test.myshopify.com";

const money = (n: number, cur = "EUR") => ({
  shop_money: { amount: n.toFixed(2), currency_code: cur },
  presentment_money: { amount: n.toFixed(2), currency_code: cur },
});

/** A REST customers/* payload (includes PII fields the app must drop). */
export function customerPayload(id: number, updatedAt: Date, v: { state: string; tags: string; country: string }) {
  return {
    id,
    email: `c${id}@example.com`,
    first_name: "Ann",
    last_name: `Person${id}`,
    phone: "+4912345678",
    created_at: "2025-01-01T00:00:00Z",
    updated_at: updatedAt.toISOString(),
    state: v.state,
    tags: v.tags,
    currency: "EUR",
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    default_address: {
      id: id + 7,
      customer_id: id,
      address1: "Main St 1",
      city: "Berlin",
      zip: "10115",
      country_code: v.country,
      default: true,
    },
  };
}

/** A REST orders/* payload. */
export function orderPayload(
  id: number,
  customerId: number | null,
  updatedAt: Date,
  v: {
    total: number;
    status: string;
    cancelled: Date | null;
    refunds?: Array<{ id: number; amount: number; at: Date }>;
  },
) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id % 100000}`,
    email: customerId ? `c${customerId}@example.com` : null,
    created_at: "2025-06-01T10:00:00Z",
    updated_at: updatedAt.toISOString(),
    processed_at: "2025-06-01T10:00:00Z",
    cancelled_at: v.cancelled ? v.cancelled.toISOString() : null,
    currency: "EUR",
    presentment_currency: "EUR",
    financial_status: v.status,
    test: false,
    source_name: "web",
    subtotal_price_set: money(v.total),
    current_subtotal_price_set: money(v.total),
    total_price_set: money(v.total),
    total_discounts_set: money(0),
    discount_codes: [],
    customer: customerId
      ? {
          id: customerId,
          email: `c${customerId}@example.com`,
          first_name: "Ann",
          admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
        }
      : null,
    billing_address: { country_code: "DE", name: "Ann Person", address1: "Main St 1" },
    line_items: [{ id: id * 10, product_id: 1000 + (id % 17), quantity: 1, title: "Mug" }],
    refunds: (v.refunds ?? []).map((r) => refundPayload(r.id, id, r.amount, r.at)),
  };
}

/** A REST refunds/create payload. */
export function refundPayload(id: number, orderId: number, amount: number, at: Date) {
  return {
    id,
    order_id: orderId,
    created_at: at.toISOString(),
    processed_at: at.toISOString(),
    admin_graphql_api_id: `gid://shopify/Refund/${id}`,
    refund_line_items: [{ id: id + 1, quantity: 1, subtotal_set: money(amount), total_tax_set: money(0) }],
    transactions: [{ id: id + 2, kind: "refund", status: "success", amount: amount.toFixed(2), currency: "EUR" }],
    order_adjustments: [],
  };
}

/** Expected final state after all events. */
export interface GroundTruth {
  customers: Map<string, { updatedAt: string; state: string; country: string; deleted: boolean }>;
  orders: Map<
    string,
    { updatedAt: string; total: number; status: string; customerId: string | null; cancelled: boolean }
  >;
  refunds: Map<string, { orderId: string; amount: number }>;
}

/**
 * Generates `target` genuine events (customers created/updated/deleted, orders created/updated/
 * cancelled, refunds) with strictly increasing logical timestamps, and the ground truth.
 */
export function scriptedStream(target: number, seed = 7, shop = SHOP): { events: WebhookEvent[]; truth: GroundTruth } {
  const rng = createRng(seed);
  const events: WebhookEvent[] = [];
  const truth: GroundTruth = { customers: new Map(), orders: new Map(), refunds: new Map() };
  let clock = Date.parse("2026-03-01T00:00:00Z");
  const tick = () => new Date((clock += 1000 + rng.int(0, 5000)));
  const customers: number[] = [];
  const withOrders = new Set<number>();
  const orders: Array<{
    id: number;
    customerId: number | null;
    total: number;
    status: string;
    cancelled: Date | null;
    refunds: Array<{ id: number; amount: number; at: Date }>;
  }> = [];
  let nextCustomer = 7_000_000_000_000;
  let nextOrder = 5_000_000_000_000;
  let nextRefund = 9_000_000_000_000;
  const push = (topic: string, payload: unknown, triggeredAt?: Date) =>
    events.push({ topic, shop, payload, ...(triggeredAt && { triggeredAt: triggeredAt.toISOString() }) });

  while (events.length < target) {
    const r = rng.next();
    if (r < 0.15 || customers.length < 20) {
      const id = nextCustomer++;
      customers.push(id);
      const at = tick();
      const v = { state: "enabled", tags: "", country: rng.pick(["DE", "FR", "US", "CA"]) };
      push("customers/create", customerPayload(id, at, v));
      truth.customers.set(String(id), {
        updatedAt: at.toISOString(),
        state: "ENABLED",
        country: v.country,
        deleted: false,
      });
    } else if (r < 0.27) {
      const id = rng.pick(customers);
      const t = truth.customers.get(String(id))!;
      if (t.deleted) continue;
      const at = tick();
      const v = {
        state: rng.pick(["enabled", "disabled"]),
        tags: rng.pick(["", "vip", "wholesale"]),
        country: rng.pick(["DE", "FR", "US", "CA"]),
      };
      push("customers/update", customerPayload(id, at, v));
      truth.customers.set(String(id), {
        updatedAt: at.toISOString(),
        state: v.state.toUpperCase(),
        country: v.country,
        deleted: false,
      });
    } else if (r < 0.3) {
      // Shopify only deletes customers without orders.
      const id = rng.pick(customers);
      const t = truth.customers.get(String(id))!;
      if (t.deleted || withOrders.has(id)) continue;
      const at = tick();
      push("customers/delete", { id, admin_graphql_api_id: `gid://shopify/Customer/${id}` }, at);
      truth.customers.set(String(id), { ...t, deleted: true });
    } else if (r < 0.6) {
      const live = customers.filter((c) => !truth.customers.get(String(c))!.deleted);
      const customerId = rng.chance(0.1) || live.length === 0 ? null : rng.pick(live);
      if (customerId) withOrders.add(customerId);
      const o = {
        id: nextOrder++,
        customerId,
        total: rng.int(500, 30000) / 100,
        status: "paid",
        cancelled: null as Date | null,
        refunds: [] as Array<{ id: number; amount: number; at: Date }>,
      };
      orders.push(o);
      const at = tick();
      push("orders/create", orderPayload(o.id, customerId, at, o));
      truth.orders.set(String(o.id), {
        updatedAt: at.toISOString(),
        total: o.total,
        status: "PAID",
        customerId: customerId ? String(customerId) : null,
        cancelled: false,
      });
    } else if (r < 0.85 && orders.length) {
      const o = rng.pick(orders);
      const at = tick();
      let topic = "orders/updated";
      if (rng.chance(0.15) && !o.cancelled) {
        o.cancelled = at;
        o.status = "voided";
        topic = "orders/cancelled";
      } else {
        o.total = Math.round((o.total + rng.int(-200, 200) / 100) * 100) / 100;
        if (o.total < 1) o.total = 1;
      }
      push(topic, orderPayload(o.id, o.customerId, at, o));
      truth.orders.set(String(o.id), {
        updatedAt: at.toISOString(),
        total: o.total,
        status: o.status.toUpperCase(),
        customerId: o.customerId ? String(o.customerId) : null,
        cancelled: !!o.cancelled,
      });
    } else if (orders.length) {
      const o = rng.pick(orders);
      const at = tick();
      const rf = { id: nextRefund++, amount: rng.int(100, 2000) / 100, at };
      o.refunds.push(rf);
      push("refunds/create", refundPayload(rf.id, o.id, rf.amount, at));
      truth.refunds.set(String(rf.id), { orderId: String(o.id), amount: rf.amount });
    }
  }
  return { events, truth };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The harness running as a child process (node --import tsx), so tests can kill -9 it. */
export interface ChildApp {
  proc: ChildProcess;
  port: number;
  /** Everything the child wrote to stderr (the app's logs). */
  logs: () => string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts test/support/app-server.ts as a child process and waits until it listens. */
export async function startChildApp(
  env: Record<string, string>,
  port: number,
  logSink: string[] = [],
): Promise<ChildApp> {
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(root, "test", "support", "app-server.ts")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "test",
      SHOPIFY_API_KEY: "test-api-key",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "http://127.0.0.1",
      PORT: String(port),
      WORKER_STALE_MS: "3000",
      WORKER_RECOVER_MS: "1000",
      WORKER_POLL_MS: "20",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stderr!.on("data", (d: Buffer) => logSink.push(d.toString()));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`app-server did not start in 60 s; stderr:\n${logSink.join("")}`)),
      60_000,
    );
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("listening")) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`app-server exited with ${code}; stderr:\n${logSink.join("")}`));
    });
  });
  return {
    proc,
    port,
    logs: () => logSink.join(""),
    async kill9() {
      proc.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}
