import "@shopify/shopify-app-remix/adapters/node";
import { describe, expect, it } from "vitest";
import { ApiVersion, shopifyApp } from "@shopify/shopify-app-remix/server";
import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { createWebhookVerifier, webhookHmac } from "./verify.server";

const SECRET = "parity-secret";

/** In-memory session storage (the five methods of the interface). */
class MemorySessions implements SessionStorage {
  private m = new Map<string, Session>();
  async storeSession(s: Session) {
    this.m.set(s.id, s);
    return true;
  }
  async loadSession(id: string) {
    return this.m.get(id);
  }
  async deleteSession(id: string) {
    return this.m.delete(id);
  }
  async deleteSessions(ids: string[]) {
    ids.forEach((i) => this.m.delete(i));
    return true;
  }
  async findSessionsByShop(shop: string) {
    return [...this.m.values()].filter((s) => s.shop === shop);
  }
}
const app = shopifyApp({
  apiKey: "k",
  apiSecretKey: SECRET,
  apiVersion: ApiVersion.July26,
  appUrl: "https://app.example.com",
  scopes: ["read_orders"],
  sessionStorage: new MemorySessions(),
  logger: { level: 0 },
});
const verify = createWebhookVerifier(SECRET, "old-secret");

function req(body: string, headers: Record<string, string | null>) {
  const h: Record<string, string> = {
    "x-shopify-topic": "orders/create",
    "x-shopify-shop-domain": "a.myshopify.com",
    "x-shopify-api-version": "2026-07",
    "x-shopify-webhook-id": "w1",
    "x-shopify-event-id": "e1",
    "x-shopify-hmac-sha256": webhookHmac(body, SECRET),
  };
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) delete h[k];
    else h[k] = v;
  }
  return () => new Request("https://app.example.com/webhooks/orders/create", { method: "POST", body, headers: h });
}

async function outcome(fn: (r: Request) => Promise<unknown>, r: Request): Promise<number | string> {
  try {
    await fn(r);
    return "ok";
  } catch (e) {
    return e instanceof Response ? e.status : String(e);
  }
}

describe("createWebhookVerifier has the same outcomes as authenticate.webhook", () => {
  const body = '{"id":1}';
  const cases: Array<[string, () => Request]> = [
    ["valid", req(body, {})],
    ["wrong secret", req(body, { "x-shopify-hmac-sha256": webhookHmac(body, "nope") })],
    ["garbage signature", req(body, { "x-shopify-hmac-sha256": "%%%" })],
    ["tampered body", req('{"id":2}', { "x-shopify-hmac-sha256": webhookHmac(body, SECRET) })],
    ["no signature", req(body, { "x-shopify-hmac-sha256": null })],
    ["no topic", req(body, { "x-shopify-topic": null })],
    ["no shop", req(body, { "x-shopify-shop-domain": null })],
    ["no api version", req(body, { "x-shopify-api-version": null })],
    ["no webhook id", req(body, { "x-shopify-webhook-id": null })],
    ["no event id (optional)", req(body, { "x-shopify-event-id": null })],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const theirs = await outcome((r) => app.authenticate.webhook(r), make());
      expect(await outcome(verify, make())).toBe(theirs);
    });
  }

  it("accepts the previous secret during a rotation and returns the headers", async () => {
    const ctx = await verify(req(body, { "x-shopify-hmac-sha256": webhookHmac(body, "old-secret") })());
    expect(ctx).toMatchObject({ shop: "a.myshopify.com", topic: "orders/create", webhookId: "w1", eventId: "e1" });
  });
});
