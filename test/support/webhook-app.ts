/**
 * A node server that dispatches /webhooks/<topic> to the app's real webhook handlers
 * (shopify-app-remix authenticate.webhook → ledger → `webhooks.process` job), for integration tests
 * that let the fake Admin API send signed webhooks to the app.
 */
import "@shopify/shopify-app-remix/adapters/node";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { ApiVersion, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { Db } from "~/db/connect.server";
import { keyRingFrom } from "~/security/crypto.server";
import { EncryptedSessionStorage } from "~/models/encrypted-session-storage.server";
import { createWebhookHandler, type WebhookContext, type WebhookDeps } from "~/webhooks/handle.server";
import { WEBHOOK_TOPICS, type WebhookTopic } from "~/webhooks/topics";
import { SECRET } from "../integration/backfill-helpers";
import { toFetchRequest } from "./app-server";

/** A running webhook app. */
export interface WebhookApp {
  url: string;
  close(): void;
}

/**
 * The Shopify app object the webhook tests authenticate with: HMAC secret `secret`, encrypted
 * session storage on `db` with a random key, no logging.
 */
export function testShopifyApp(db: Db, secret: string) {
  return shopifyApp({
    apiKey: "test-key",
    apiSecretKey: secret,
    apiVersion: ApiVersion.July26,
    appUrl: "https://app.example.com",
    scopes: ["read_orders"],
    sessionStorage: new EncryptedSessionStorage(
      new PrismaSessionStorage(db),
      keyRingFrom(randomBytes(32).toString("hex")),
    ),
    logger: { level: 0 },
  });
}

/** Starts the webhook app on a random port. */
export async function startWebhookApp(db: Db): Promise<WebhookApp> {
  const shopify = testShopifyApp(db, SECRET);
  const deps: WebhookDeps = {
    authenticate: (r) => shopify.authenticate.webhook(r) as Promise<WebhookContext>,
    db,
    maxBodyBytes: 1024 * 1024,
    log: { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) },
  };
  const handlers = new Map(WEBHOOK_TOPICS.map((t) => [t, createWebhookHandler(t as WebhookTopic, () => deps)]));
  const app = createServer((req, res) => {
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
  await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(app.address() as AddressInfo).port}`, close: () => app.close() };
}
