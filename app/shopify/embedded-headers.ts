/**
 * `headers` for every embedded route (app/routes/app.*): `export { headers } from "~/shopify/embedded-headers"`.
 * With single fetch, a data request that loads only the page's loader takes its response headers from
 * that route's `headers`; without one, the headers of a Response thrown by authenticate.admin (the
 * 401 `X-Shopify-Retry-Invalid-Session-Request` that makes App Bridge fetch a new session token, the
 * re-authorize URL) are dropped. Shopify's boundary.headers passes them through.
 * test/integration/embedded-headers.test.ts runs that request for every embedded route.
 */
import type { HeadersFunction } from "@remix-run/node";
import { boundary } from "@shopify/shopify-app-remix/server";

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
