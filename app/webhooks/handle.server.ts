/**
 * Webhook endpoint factory used by the thin route files app/routes/webhooks.<topic>.tsx.
 *
 * Per request: method check (405) → body size cap (413) → HMAC verification on the raw body (→ 401,
 * missing headers → 400; `authenticate.webhook` when configured) → topic/shop checks (400) → the shop
 * must have an installation (403, see `admission` in topics.ts) → JSON checks (400; nesting deeper than
 * MAX_JSON_DEPTH → 400) → ledger row + processing job, group-committed with concurrent deliveries (ingest.server.ts;
 * duplicate → 200, no effect) → 200 once committed. Processing happens in the job worker.
 * Every rejection is logged with its reason (never the payload or a secret).
 */
import type { Db, DbProvider } from "~/db/connect.server";
import { assertShop } from "~/models/common.server";
import { installationState, type InstallationState } from "~/models/shops.server";
import { recordDelivery } from "./ingest.server";
import { JsonTooDeepError, parseJsonLossless, scrubPii } from "./json";
import { admission, topicEnum, type WebhookTopic } from "./topics";

/** What `authenticate.webhook` returns that the handler uses. */
export interface WebhookContext {
  shop: string;
  topic: string;
  webhookId: string;
  eventId?: string;
  triggeredAt?: string;
  payload: unknown;
}

/** Minimal logger. */
export interface WebhookLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** Injected dependencies (the app uses shopify.server and db.server; tests inject their own). */
export interface WebhookDeps {
  /** Verifies HMAC and headers; throws a Response (401/400/405) on failure. */
  authenticate(request: Request): Promise<WebhookContext>;
  /**
   * Optional fast path with the same outcomes as `authenticate`: verifies the headers and the raw
   * body already read, so no second Request is built and the body is not copied again.
   */
  verifyRaw?(headers: Headers, raw: Buffer): WebhookContext;
  db: Db;
  /** The database's provider (default: read from the client). */
  provider?: DbProvider;
  /** The database URL (SQLite: enables the prepared-statement ledger writer; see ingest.server.ts). */
  dbUrl?: string;
  /** Largest accepted body in bytes. */
  maxBodyBytes: number;
  log: WebhookLogger;
  /** A shop's installation state (default: the Shop row, app/models/shops.server.ts). */
  installation?: (shop: string) => Promise<InstallationState>;
  /** How long an "installed" answer is reused for the same shop, in ms (default 5000; 0 = always ask). */
  installationCacheMs?: number;
  /** Called after a delivery was accepted (e.g. to wake an in-process worker). */
  onAccepted?: (topic: WebhookTopic, shop: string) => void;
}

/** Default cap on a webhook body (1 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A plain-text response (every answer of the endpoint). */
export function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });
}

/** Reads a body up to `max` bytes; returns null when it is larger. */
async function readCapped(request: Request, max: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return chunks.length === 1
    ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength)
    : Buffer.concat(chunks);
}

/** Creates the request handler of one topic. `deps` is resolved per request (lazily). */
export function createWebhookHandler(topic: WebhookTopic, deps: () => WebhookDeps | Promise<WebhookDeps>) {
  // Shops recently seen installed → until when that answer is reused (keeps the lookup off the hot path).
  const installedUntil = new Map<string, number>();
  async function installationOf(d: WebhookDeps, shop: string): Promise<InstallationState> {
    const now = Date.now();
    if ((installedUntil.get(shop) ?? 0) > now) return "installed";
    const state = await (d.installation ? d.installation(shop) : installationState(d.db, shop));
    const ttl = d.installationCacheMs ?? 5000;
    if (state === "installed" && ttl > 0) {
      if (installedUntil.size >= 10_000) installedUntil.clear();
      installedUntil.set(shop, now + ttl);
    } else installedUntil.delete(shop);
    return state;
  }

  return async function handle(request: Request): Promise<Response> {
    const d = await deps();
    const where = `webhook ${topic}`;
    if (request.method !== "POST") {
      d.log.warn(`${where}: 405 method ${request.method} not allowed`);
      return text(405, "Method Not Allowed: webhooks accept POST only", { allow: "POST" });
    }
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (Number.isFinite(declared) && declared > d.maxBodyBytes) {
      d.log.warn(`${where}: 413 declared body ${declared} bytes exceeds ${d.maxBodyBytes}`);
      return text(413, `Payload Too Large: body is ${declared} bytes; the limit is ${d.maxBodyBytes} bytes`);
    }
    const rawBytes = await readCapped(request, d.maxBodyBytes);
    if (rawBytes === null) {
      d.log.warn(`${where}: 413 body exceeds ${d.maxBodyBytes} bytes`);
      return text(413, `Payload Too Large: the limit is ${d.maxBodyBytes} bytes`);
    }

    // Reject a malformed shop domain before anything else touches it (session lookup would throw).
    const shopHeader = request.headers.get("x-shopify-shop-domain");
    if (shopHeader !== null) {
      try {
        assertShop(shopHeader);
      } catch {
        d.log.warn(`${where}: 400 X-Shopify-Shop-Domain is not a *.myshopify.com domain`);
        return text(400, "Bad Request: X-Shopify-Shop-Domain must be a *.myshopify.com domain");
      }
    }

    let ctx: WebhookContext;
    try {
      ctx = d.verifyRaw
        ? d.verifyRaw(request.headers, rawBytes)
        : await d.authenticate(
            new Request(request.url, {
              method: "POST",
              headers: request.headers,
              body: rawBytes as unknown as BodyInit,
            }),
          );
    } catch (e) {
      if (e instanceof Response) {
        const reason =
          e.status === 401
            ? "invalid HMAC signature"
            : e.status === 400
              ? "missing or invalid X-Shopify-* headers"
              : e.statusText || "rejected";
        d.log.warn(`${where}: ${e.status} ${reason}`);
        return text(e.status, `${e.status === 401 ? "Unauthorized" : "Bad Request"}: ${reason}`);
      }
      if (e instanceof SyntaxError) {
        d.log.warn(`${where}: 400 signed body is not valid JSON (${e.message})`);
        return text(400, "Bad Request: body is not valid JSON");
      }
      d.log.error(`${where}: 500 authentication error: ${(e as Error).message}`);
      return text(500, "Internal Server Error");
    }

    if (ctx.topic !== topicEnum(topic) && ctx.topic !== topic) {
      d.log.warn(`${where}: 400 X-Shopify-Topic ${ctx.topic} does not match this endpoint`);
      return text(400, `Bad Request: X-Shopify-Topic does not match endpoint ${topic}`);
    }
    try {
      assertShop(ctx.shop);
    } catch {
      d.log.warn(`${where}: 400 X-Shopify-Shop-Domain is not a *.myshopify.com domain`);
      return text(400, "Bad Request: X-Shopify-Shop-Domain must be a *.myshopify.com domain");
    }
    let state: InstallationState;
    try {
      state = await installationOf(d, ctx.shop);
    } catch (e) {
      d.log.error(`${where}: 500 could not read the installation of ${ctx.shop}: ${(e as Error).message}`);
      return text(500, "Internal Server Error");
    }
    const admit = admission(topic, state);
    if (admit === "refuse") {
      d.log.warn(`${where}: 403 ${ctx.shop} has no installation of the app (${state}); delivery not stored`);
      return text(403, "Forbidden: the app is not installed on this shop");
    }
    if (admit === "ignore") {
      d.log.info(`${where}: 200 ${ctx.shop} has no installation left; nothing to do, delivery not stored`);
      return text(200, "ignored");
    }
    let payload: unknown;
    try {
      payload = parseJsonLossless(rawBytes.toString("utf8"));
    } catch (e) {
      if (e instanceof JsonTooDeepError) {
        d.log.warn(`${where}: 400 ${e.message}`);
        return text(400, `Bad Request: ${e.message}`);
      }
      d.log.warn(`${where}: 400 body is not valid JSON (${(e as Error).message})`);
      return text(400, "Bad Request: body is not valid JSON");
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
      d.log.warn(`${where}: 400 body is not a JSON object`);
      return text(400, "Bad Request: body must be a JSON object");
    }
    const triggered = ctx.triggeredAt ? new Date(ctx.triggeredAt) : null;
    try {
      const r = await recordDelivery(
        { db: d.db, provider: d.provider, url: d.dbUrl },
        {
          shop: ctx.shop,
          topic,
          webhookId: ctx.webhookId.slice(0, 200),
          eventKey: (ctx.eventId || ctx.webhookId).slice(0, 200),
          triggeredAt: triggered && !Number.isNaN(triggered.getTime()) ? triggered : null,
          payload: JSON.stringify(scrubPii(payload)),
        },
      );
      if (r.status === "duplicate") {
        d.log.info(`${where}: 200 duplicate delivery ${ctx.eventId ?? ctx.webhookId} for ${ctx.shop} ignored`);
        return text(200, "duplicate");
      }
      d.onAccepted?.(topic, ctx.shop);
      return text(200, "ok");
    } catch (e) {
      d.log.error(`${where}: 500 could not record delivery for ${ctx.shop}: ${(e as Error).message}`);
      return text(500, "Internal Server Error");
    }
  };
}
