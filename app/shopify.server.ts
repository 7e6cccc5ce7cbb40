/**
 * The Shopify app object (Remix template layout), configuration only: API version 2026-07, Prisma
 * session storage with tokens encrypted at rest, scopes from the environment, webhooks declared in
 * shopify.app.toml. The install hook hands the shop to the lifecycle (app/lifecycle), which runs
 * everything else as durable jobs.
 */
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma, { dbHandle } from "~/db.server";
import { env } from "~/env.server";
import { keyRingFrom } from "~/security/crypto.server";
import { EncryptedSessionStorage } from "~/models/encrypted-session-storage.server";
import { shopDomainTransformations } from "~/shopify/shop-domains";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { wakeInlineWorker } from "~/jobs/inline.server";
import { installShop } from "~/lifecycle/chain.server";

const e = env();

/** Session storage: PrismaSessionStorage behind AES-256-GCM token encryption. */
export const sessionStorage = new EncryptedSessionStorage(
  new PrismaSessionStorage(prisma),
  keyRingFrom(e.HORIZON_ENCRYPTION_KEY, e.HORIZON_ENCRYPTION_KEY_PREVIOUS),
);

const shopify = shopifyApp({
  apiKey: e.SHOPIFY_API_KEY,
  apiSecretKey: e.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.July26,
  scopes: e.SCOPES.split(",")
    .map((s) => s.trim())
    .filter(Boolean),
  appUrl: e.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage,
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await installShop(prisma, new DbJobQueue(prisma, dbHandle.provider), session.shop, {
        scopes: session.scope ?? null,
      });
      wakeInlineWorker();
    },
  },
  domainTransformations: shopDomainTransformations(e.SHOP_CUSTOM_DOMAIN),
});

export default shopify;
/** The Admin API version used everywhere (2026-07). */
export const apiVersion = ApiVersion.July26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
