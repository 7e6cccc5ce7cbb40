/**
 * Fast webhook verification with Shopify's exact rules (docs/reference/shopify-webhooks.md §2.1–2.2), used on the ingest
 * hot path instead of `authenticate.webhook`, which additionally loads the shop's offline session and
 * builds an Admin client on every delivery (≈ 10 ms under load) that ingest never uses — processing
 * runs later in jobs. Same outcomes: missing X-Shopify-Hmac-Sha256 → 400; wrong HMAC → 401 (checked
 * before anything else is trusted); missing topic/shop/api-version/webhook-id → 400. Parity with
 * `authenticate.webhook` is tested in verify.test.ts.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { WebhookContext } from "./handle.server";

const REQUIRED = ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"] as const;

/** base64(HMAC-SHA256(secret, rawBody)), Shopify's webhook signature. */
export function webhookHmac(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

/** Constant-time comparison of a received base64 signature with the expected one. */
export function hmacMatches(received: string, expected: string): boolean {
  const a = Buffer.from(received, "base64");
  const b = Buffer.from(expected, "base64");
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/**
 * Verifies a webhook's headers and raw body (the bytes as received) against `secret` (or, during a
 * secret rotation, `previousSecret`). Throws a Response (400/401) like authenticate.webhook.
 */
export function verifyWebhookRaw(h: Headers, raw: Buffer, secret: string, previousSecret?: string): WebhookContext {
  const signature = h.get("x-shopify-hmac-sha256");
  if (!signature) throw new Response(undefined, { status: 400, statusText: "Bad Request" });
  const ok =
    hmacMatches(signature, webhookHmac(raw, secret)) ||
    (!!previousSecret && hmacMatches(signature, webhookHmac(raw, previousSecret)));
  if (!ok) throw new Response(undefined, { status: 401, statusText: "Unauthorized" });
  const missing = REQUIRED.filter((k) => !h.get(k));
  if (missing.length)
    throw new Response(undefined, { status: 400, statusText: `Missing headers: ${missing.join(", ")}` });
  return {
    shop: h.get("x-shopify-shop-domain")!,
    topic: h.get("x-shopify-topic")!,
    webhookId: h.get("x-shopify-webhook-id")!,
    eventId: h.get("x-shopify-event-id") ?? undefined,
    triggeredAt: h.get("x-shopify-triggered-at") ?? undefined,
    // The handler parses the body itself (losslessly); nothing downstream reads this.
    payload: undefined,
  };
}

/** `verifyWebhookRaw` bound to the app's secrets (the handler's fast path: no second Request). */
export function createRawWebhookVerifier(secret: string, previousSecret?: string) {
  return (headers: Headers, raw: Buffer): WebhookContext => verifyWebhookRaw(headers, raw, secret, previousSecret);
}

/**
 * Returns an `authenticate(request)` that verifies a webhook signed with `secret` (or, during a
 * secret rotation, `previousSecret`). Throws a Response (400/401) like authenticate.webhook.
 */
export function createWebhookVerifier(secret: string, previousSecret?: string) {
  return async function verify(request: Request): Promise<WebhookContext> {
    // A missing signature is rejected before the body is read (as before).
    if (!request.headers.get("x-shopify-hmac-sha256"))
      throw new Response(undefined, { status: 400, statusText: "Bad Request" });
    return verifyWebhookRaw(request.headers, Buffer.from(await request.arrayBuffer()), secret, previousSecret);
  };
}
