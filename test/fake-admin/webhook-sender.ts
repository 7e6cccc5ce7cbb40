/**
 * A webhook sender that behaves like Shopify's delivery pipeline, over real HTTP:
 * signs the raw body with the app secret (base64 HMAC-SHA256 → X-Shopify-Hmac-Sha256), sends the
 * X-Shopify-* headers, treats anything but a 2xx within the timeout as "not acknowledged" and retries
 * with exponential backoff (Shopify: 8 retries over 4 hours; here the delays are scaled for tests).
 *
 * For stress tests it can also duplicate, reorder, delay and forge deliveries (see `deliverAll`).
 * Test fixture only: never imported by app code.
 */
import { createHmac, randomUUID } from "node:crypto";
import { createRng } from "./rng";

/** One business event to deliver (one merchant action → one event id). */
export interface WebhookEvent {
  /** REST topic, e.g. "orders/create". */
  topic: string;
  /** Shop domain, e.g. "demo.myshopify.com". */
  shop: string;
  /** The REST-shaped payload (serialised with JSON.stringify unless `rawBody` is given). */
  payload: unknown;
  /** Send these exact bytes instead of JSON.stringify(payload) (for malformed-body fuzzing). */
  rawBody?: string;
  /** X-Shopify-Event-Id; generated when absent. Shared by duplicates of the same event. */
  eventId?: string;
  /** X-Shopify-Webhook-Id; generated when absent. Kept across retries of one delivery. */
  webhookId?: string;
  /** X-Shopify-Triggered-At (ISO); defaults to now at construction time. */
  triggeredAt?: string;
}

/** Options for the sender. */
export interface WebhookSenderOptions {
  /** Base URL of the app, e.g. "http://127.0.0.1:3000". */
  baseUrl: string;
  /** App client secret used for the HMAC. */
  secret: string;
  /** X-Shopify-API-Version header. Default "2026-07". */
  apiVersion?: string;
  /** Maps a topic to the path it is posted to. Default `/webhooks/${topic}` ("orders/create" → "/webhooks/orders/create"). */
  pathForTopic?: (topic: string) => string;
  /** Per-attempt timeout in ms (Shopify allows 5 s). Default 5000. */
  timeoutMs?: number;
  /** Retries after the first attempt (Shopify: 8). Default 8. */
  maxRetries?: number;
  /** First retry delay in ms; doubles each retry (with ±20% jitter). Default 100 (scaled down from Shopify's minutes). */
  baseDelayMs?: number;
  /** Cap on one retry delay in ms. Default 5000. */
  maxDelayMs?: number;
  /** Injectable sleep (tests may speed time up). */
  sleep?: (ms: number) => Promise<void>;
  /** Seed for jitter and chaos plans. Default 1. */
  seed?: number;
}

/** What happened to one delivery (including its retries). */
export interface DeliveryResult {
  topic: string;
  shop: string;
  webhookId: string;
  eventId: string;
  /** True if the delivery was deliberately signed with a wrong secret. */
  forged: boolean;
  /** True if this delivery was a deliberate duplicate of another one. */
  duplicate: boolean;
  /** HTTP status of every attempt (0 = connection error / timeout). */
  statuses: number[];
  /** Whether a 2xx was eventually received. */
  acknowledged: boolean;
  /** Last network error message, if any. */
  lastError?: string;
}

/** Chaos knobs for `deliverAll`. Rates are probabilities per event. */
export interface ChaosPlan {
  /** Probability that an event is delivered twice (same event id and webhook id). */
  duplicateRate?: number;
  /** Probability that an event is moved later in the stream (swapped with one up to `reorderWindow` ahead). */
  reorderRate?: number;
  /** How far ahead a reordered event may move. Default 20. */
  reorderWindow?: number;
  /** Probability that an extra forged copy (bad HMAC, tampered payload) is sent alongside. */
  forgeRate?: number;
  /** Probability that an event is held back and sent after `delayMs`. */
  delayRate?: number;
  /** Delay for held-back events in ms. Default 200. */
  delayMs?: number;
  /** Parallel deliveries in flight. Default 8. */
  concurrency?: number;
}

/** Summary of a `deliverAll` run. */
export interface StreamReport {
  results: DeliveryResult[];
  /** Genuine (non-forged) deliveries that were never acknowledged after all retries. */
  unacknowledged: DeliveryResult[];
  /** Forged deliveries that were answered with something other than 401. */
  forgedNot401: DeliveryResult[];
  /** Total HTTP attempts including retries and forged sends. */
  attempts: number;
  /** Attempts that were retries. */
  retries: number;
  durationMs: number;
}

/** base64(HMAC-SHA256(secret, rawBody)), exactly as Shopify signs webhook bodies. */
export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Creates a sender bound to one app URL and secret. */
export function createWebhookSender(options: WebhookSenderOptions) {
  const apiVersion = options.apiVersion ?? "2026-07";
  const pathForTopic = options.pathForTopic ?? ((t: string) => `/webhooks/${t}`);
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxRetries = options.maxRetries ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const sleep = options.sleep ?? defaultSleep;
  const jitterRng = createRng(options.seed ?? 1);

  /** Builds the exact headers Shopify sends for a body. `forge` signs with a wrong secret. */
  function headersFor(
    event: Required<Pick<WebhookEvent, "topic" | "shop" | "webhookId" | "eventId" | "triggeredAt">>,
    body: string,
    forge: boolean,
  ) {
    const secret = forge ? `${options.secret}-forged` : options.secret;
    return {
      "content-type": "application/json",
      "user-agent": "Shopify-Captain-Hook",
      "x-shopify-topic": event.topic,
      "x-shopify-shop-domain": event.shop,
      "x-shopify-api-version": apiVersion,
      "x-shopify-webhook-id": event.webhookId,
      "x-shopify-event-id": event.eventId,
      "x-shopify-triggered-at": event.triggeredAt,
      "x-shopify-hmac-sha256": signWebhookBody(body, secret),
    };
  }

  /** Fills in ids/timestamps so that duplicates and retries can reuse them. */
  function complete(event: WebhookEvent) {
    return {
      ...event,
      webhookId: event.webhookId ?? randomUUID(),
      eventId: event.eventId ?? randomUUID(),
      triggeredAt: event.triggeredAt ?? new Date().toISOString(),
    };
  }

  async function attempt(
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; error?: string }> {
    try {
      const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      return { status: res.status };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { status: 0, error: err.cause?.code ?? err.message };
    }
  }

  /**
   * Delivers one event; retries non-2xx / network errors with exponential backoff unless `forge`
   * (a forger does not retry). Returns every attempt's status.
   */
  async function send(
    event: WebhookEvent,
    flags: { forge?: boolean; duplicate?: boolean; retry?: boolean } = {},
  ): Promise<DeliveryResult> {
    const full = complete(event);
    const forge = flags.forge ?? false;
    let body = full.rawBody ?? JSON.stringify(full.payload);
    if (forge && full.rawBody === undefined) body = JSON.stringify({ ...(full.payload as object), __tampered: true });
    const headers = headersFor(full, body, forge);
    const url = new URL(pathForTopic(full.topic), options.baseUrl).toString();
    const result: DeliveryResult = {
      topic: full.topic,
      shop: full.shop,
      webhookId: full.webhookId,
      eventId: full.eventId,
      forged: forge,
      duplicate: flags.duplicate ?? false,
      statuses: [],
      acknowledged: false,
    };
    const retries = forge || flags.retry === false ? 0 : maxRetries;
    for (let i = 0; i <= retries; i++) {
      if (i > 0) {
        const base = Math.min(maxDelayMs, baseDelayMs * 2 ** (i - 1));
        await sleep(base * (0.8 + 0.4 * jitterRng.next()));
      }
      const r = await attempt(url, headers, body);
      result.statuses.push(r.status);
      if (r.error) result.lastError = r.error;
      if (r.status >= 200 && r.status < 300) {
        result.acknowledged = true;
        break;
      }
    }
    return result;
  }

  /**
   * Delivers a stream of events with the chaos plan applied: duplicates (same ids), reordering,
   * delayed events, and extra forged copies (which must be answered 401). Genuine deliveries are
   * retried until acknowledged or out of retries, as Shopify does.
   */
  async function deliverAll(
    events: WebhookEvent[],
    plan: ChaosPlan = {},
    seed = options.seed ?? 1,
  ): Promise<StreamReport> {
    const rng = createRng(seed ^ 0x5bd1e995);
    type Item = { event: ReturnType<typeof complete>; forge: boolean; duplicate: boolean; delayed: boolean };
    const items: Item[] = [];
    const later: Item[] = [];
    for (const e of events) {
      const ev = complete(e);
      const delayed = rng.chance(plan.delayRate ?? 0);
      (delayed ? later : items).push({ event: ev, forge: false, duplicate: false, delayed });
      if (rng.chance(plan.forgeRate ?? 0))
        items.push({ event: { ...ev, webhookId: randomUUID() }, forge: true, duplicate: false, delayed: false });
      if (rng.chance(plan.duplicateRate ?? 0)) {
        // Shopify's duplicates arrive some time later; put the copy a few slots ahead.
        const dup = { event: ev, forge: false, duplicate: true, delayed: false };
        const at = Math.min(items.length, items.length + rng.int(0, 30));
        items.splice(at, 0, dup);
      }
    }
    const window = plan.reorderWindow ?? 20;
    for (let i = 0; i < items.length; i++) {
      if (rng.chance(plan.reorderRate ?? 0)) {
        const j = Math.min(items.length - 1, i + rng.int(1, window));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
    }
    const start = Date.now();
    const results: DeliveryResult[] = [];
    const concurrency = Math.max(1, plan.concurrency ?? 8);
    const runQueue = async (queue: Item[]) => {
      let next = 0;
      const worker = async () => {
        while (next < queue.length) {
          const item = queue[next++]!;
          results.push(await send(item.event, { forge: item.forge, duplicate: item.duplicate }));
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    };
    await runQueue(items);
    if (later.length > 0) {
      await sleep(plan.delayMs ?? 200);
      await runQueue(later);
    }
    const attempts = results.reduce((s, r) => s + r.statuses.length, 0);
    return {
      results,
      unacknowledged: results.filter((r) => !r.forged && !r.acknowledged),
      forgedNot401: results.filter((r) => r.forged && r.statuses.some((s) => s !== 401)),
      attempts,
      retries: results.reduce((s, r) => s + Math.max(0, r.statuses.length - 1), 0),
      durationMs: Date.now() - start,
    };
  }

  return { send, deliverAll, headersFor, signBody: (body: string) => signWebhookBody(body, options.secret) };
}

/** The sender's type, for helpers that receive one. */
export type WebhookSender = ReturnType<typeof createWebhookSender>;
