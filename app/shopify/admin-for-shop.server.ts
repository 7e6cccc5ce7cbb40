/**
 * The production Admin GraphQL port factory: shopify-app-remix's `unauthenticated.admin(shop)`
 * (the shop's offline session) behind the cost-aware client. The process that starts a job worker
 * passes it in (app/job-runtime/boot.server.ts, app/job-runtime/standalone-worker-main.ts); tests and the demo pass a
 * factory of their own (e.g. a fetch transport to the local fake Admin API). Nothing here imports
 * the Shopify app object, so job code never depends on it.
 */
import { env } from "~/env.server";
import type { AdminFactory } from "~/jobs/types";
import { createAdminGraphql, type AdminLogger } from "./admin-client.server";
import { fetchTransport, remixAdminTransport, type RemixAdminGraphql } from "./transports.server";

/** The part of shopify-app-remix's `unauthenticated` object the factory uses. */
export interface UnauthenticatedAdmin {
  admin(shop: string): Promise<{ admin: unknown }>;
}

/** Pacing waits are routine: printed only with HORIZON_LOG_LEVEL=debug; retries are warnings. */
const consoleLogger: AdminLogger = {
  info: (msg, meta) => {
    if (env().HORIZON_LOG_LEVEL === "debug") console.info(msg, meta ?? {});
  },
  warn: (msg, meta) => console.warn(msg, meta ?? {}),
};

/** Admin ports from the shops' offline sessions (throws for a shop without one). */
export function shopifyAdminFactory(unauthenticated: UnauthenticatedAdmin): AdminFactory {
  return async (shop) => {
    const { admin } = await unauthenticated.admin(shop);
    return createAdminGraphql({
      transport: remixAdminTransport(admin as { graphql: RemixAdminGraphql }),
      logger: consoleLogger,
    });
  };
}

/** Admin ports over plain fetch to one endpoint with one token (the local fake Admin API). */
export function endpointAdminFactory(endpoint: string, accessToken: string, baseBackoffMs?: number): AdminFactory {
  return async (shop) =>
    createAdminGraphql({ transport: fetchTransport({ shop, accessToken, endpoint }), baseBackoffMs });
}
