/**
 * Transports for the Admin GraphQL port (`createAdminGraphql`):
 * - `remixAdminTransport(admin)`: wraps shopify-app-remix's `admin.graphql` (from
 *   `authenticate.admin` or `unauthenticated.admin`), turning its thrown GraphqlQueryError /
 *   HttpResponseError back into `{ status, json }` so the port sees THROTTLED and 5xx itself.
 * - `fetchTransport({ shop, accessToken })`: a plain fetch to
 *   `https://{shop}/admin/api/2026-07/graphql.json` with `X-Shopify-Access-Token` (background jobs, CLI, tests).
 */
import type { GraphqlTransport, TransportResponse } from "./admin-client.server";
import { normalizeShopDomain } from "./shop-domain";

/** The Admin API version the app targets. */
export const ADMIN_API_VERSION = "2026-07";

/** The shape of shopify-app-remix's `admin.graphql`. */
export type RemixAdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

/** Adapter for shopify-app-remix's `admin.graphql`. */
export function remixAdminTransport(admin: { graphql: RemixAdminGraphql }): GraphqlTransport {
  return async (query, variables) => {
    try {
      const res = await admin.graphql(query, { variables });
      return { status: res.status, json: await res.json().catch(() => null) };
    } catch (e) {
      const err = e as { body?: unknown; response?: { code?: number; body?: unknown } | Response };
      // GraphqlQueryError: GraphQL errors (incl. THROTTLED) in a 200; `body` is the full JSON.
      if (err && typeof err === "object" && "body" in err && err.body && typeof err.body === "object")
        return { status: 200, json: err.body };
      // HttpResponseError: non-2xx with `response.code`.
      if (
        err?.response &&
        typeof err.response === "object" &&
        "code" in err.response &&
        typeof err.response.code === "number"
      ) {
        return { status: err.response.code, json: err.response.body ?? null };
      }
      if (err?.response instanceof Response)
        return { status: err.response.status, json: await err.response.json().catch(() => null) };
      throw e;
    }
  };
}

/** Options for `fetchTransport`. */
export interface FetchTransportOptions {
  /** Shop domain, e.g. "example.myshopify.com". */
  shop: string;
  /** Offline access token (plaintext, already decrypted). */
  accessToken: string;
  /** API version. Default 2026-07. */
  apiVersion?: string;
  /** Override the endpoint (e.g. the local fake Admin API). Default https://{shop}/admin/api/{version}/graphql.json. */
  endpoint?: string;
  /** Per-request timeout in ms. Default 30000. */
  timeoutMs?: number;
  /** Injectable fetch. */
  fetch?: typeof fetch;
}

/** A plain-fetch transport. Network errors and timeouts throw (the port retries them). */
export function fetchTransport(options: FetchTransportOptions): GraphqlTransport {
  if (normalizeShopDomain(options.shop) === null && !options.endpoint) {
    throw new Error(`fetchTransport: invalid shop domain "${options.shop}"`);
  }
  const url =
    options.endpoint ?? `https://${options.shop}/admin/api/${options.apiVersion ?? ADMIN_API_VERSION}/graphql.json`;
  const doFetch = options.fetch ?? fetch;
  return async (query, variables): Promise<TransportResponse> => {
    const res = await doFetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "x-shopify-access-token": options.accessToken,
      },
      body: JSON.stringify({ query, variables: variables ?? {} }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json };
  };
}
