/**
 * The Admin port for a request authenticated by shopify-app-remix (`authenticate.admin` /
 * `authenticate.flow` return an `admin` with `graphql`): the same cost-aware client the jobs use.
 */
import { createAdminGraphql, type AdminGraphql } from "~/shopify/admin-client.server";
import { remixAdminTransport, type RemixAdminGraphql } from "~/shopify/transports.server";

export function adminPortOf(admin: unknown): AdminGraphql {
  return createAdminGraphql({ transport: remixAdminTransport(admin as { graphql: RemixAdminGraphql }) });
}
