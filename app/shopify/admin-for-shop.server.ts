/**
 * Where background jobs get the Admin GraphQL port for a shop. Production: shopify-app-remix's
 * `unauthenticated.admin(shop)` (offline session) behind the cost-aware client. Tests and the demo
 * install their own factory (e.g. a fetch transport to the local fake Admin API).
 */
import { env } from "~/env.server";
import { createAdminGraphql, type AdminGraphql, type AdminLogger } from "./admin-client.server";
import { remixAdminTransport, type RemixAdminGraphql } from "./transports.server";

/** Builds the port for one shop. */
export type AdminFactory = (shop: string) => Promise<AdminGraphql>;

let factory: AdminFactory | null = null;

/** Installs a factory (tests, demo, CLI); `null` restores the production default. */
export function setAdminFactory(f: AdminFactory | null): void {
  factory = f;
}

/** Pacing waits are routine: printed only with HORIZON_LOG_LEVEL=debug; retries are warnings. */
const consoleLogger: AdminLogger = {
  info: (msg, meta) => {
    if (env().HORIZON_LOG_LEVEL === "debug") console.info(msg, meta ?? {});
  },
  warn: (msg, meta) => console.warn(msg, meta ?? {}),
};

/** The Admin GraphQL port for `shop` (throws when the shop has no offline session). */
export async function adminForShop(shop: string): Promise<AdminGraphql> {
  if (factory) return factory(shop);
  const { unauthenticated } = await import("~/shopify.server");
  const { admin } = await unauthenticated.admin(shop);
  return createAdminGraphql({
    transport: remixAdminTransport(admin as unknown as { graphql: RemixAdminGraphql }),
    logger: consoleLogger,
  });
}
