/**
 * The app's webhook endpoints: `webhookAction(topic)` / `webhookLoader` for the thin route files
 * app/routes/webhooks.<topic>.tsx, wired to the shared database, the validated environment, the
 * webhook verifier and the inline worker. The endpoint itself (checks, verification, ledger) is
 * handle.server.ts, which takes these dependencies injected so tests can pass their own.
 */
import db, { dbHandle } from "~/db.server";
import { env } from "~/env.server";
import { wakeInlineWorker } from "~/jobs/inline.server";
import { authenticate as shopifyAuthenticate } from "~/shopify.server";
import { createWebhookHandler, text, type WebhookContext, type WebhookDeps } from "./handle.server";
import type { WebhookTopic } from "./topics";
import { createRawWebhookVerifier, createWebhookVerifier } from "./verify.server";

let appDeps: WebhookDeps | undefined;

/**
 * The app's dependencies, built on first use: the shared PrismaClient and webhook verification. By
 * default the fast verifier (verify.server.ts, same rules, no per-delivery session load);
 * HORIZON_WEBHOOK_AUTH=shopify uses shopify.server's authenticate.webhook instead.
 */
function defaultDeps(): WebhookDeps {
  if (appDeps) return appDeps;
  const e = env();
  const shopifyAuth = e.HORIZON_WEBHOOK_AUTH === "shopify";
  const authenticate = shopifyAuth ? shopifyAuthenticate.webhook : createWebhookVerifier(e.SHOPIFY_API_SECRET);
  appDeps = {
    authenticate: (req: Request) => authenticate(req) as Promise<WebhookContext>,
    ...(!shopifyAuth && { verifyRaw: createRawWebhookVerifier(e.SHOPIFY_API_SECRET) }),
    db,
    provider: dbHandle.provider,
    dbUrl: dbHandle.url,
    maxBodyBytes: e.WEBHOOK_MAX_BODY_BYTES,
    log: console,
    onAccepted: () => wakeInlineWorker(),
  };
  return appDeps;
}

/** Remix `action` for a webhook route: `export const action = webhookAction("orders/create")`. */
export function webhookAction(topic: WebhookTopic) {
  const handle = createWebhookHandler(topic, defaultDeps);
  return ({ request }: { request: Request }) => handle(request);
}

/** Remix `loader` for webhook routes: GET/HEAD are not allowed. */
export function webhookLoader(): Response {
  return text(405, "Method Not Allowed: webhooks accept POST only", { allow: "POST" });
}

/**
 * Remix `action`/`loader` for /webhooks/* paths no topic is served at: 404 with the path named, one
 * log line, no thrown error (Remix would log a stack trace for an unmatched route).
 */
export function unknownWebhookPath({ request }: { request: Request }): Response {
  const path = new URL(request.url).pathname;
  console.warn(`webhook: 404 no topic is served at ${path.slice(0, 200)}`);
  return text(404, `Not Found: no webhook topic is served at ${path.slice(0, 200)}`);
}
