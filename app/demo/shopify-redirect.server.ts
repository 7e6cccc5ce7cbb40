/**
 * Demo only: sends the app's Shopify Admin API traffic for the demo shop to the local fake Admin
 * API by replacing shopify-api's fetch (`setAbstractFetchFunc`). Every other URL goes out
 * unchanged. Together with the demo branch of requireAdmin (app/auth.server.ts) this is the whole
 * difference between the demo and production; it refuses to run outside demo mode.
 */
import "@shopify/shopify-app-remix/adapters/node";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { demoShopFromEnv } from "~/auth.server";

/** Rewrites `https://<shop>/…` to `<target>/…`; other URLs are returned unchanged. */
export function rewriteShopUrl(url: string, shop: string, target: string): string {
  const prefix = `https://${shop}/`;
  return url.startsWith(prefix) ? `${target.replace(/\/$/, "")}/${url.slice(prefix.length)}` : url;
}

/** Installs the redirect for the demo shop. Throws unless HORIZON_DEMO=1 outside production. */
export function installDemoShopifyRedirect(target: string): void {
  const shop = demoShopFromEnv();
  if (!shop) throw new Error("installDemoShopifyRedirect: demo mode is off (HORIZON_DEMO=1 is required)");
  const realFetch = globalThis.fetch;
  setAbstractFetchFunc((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const next = rewriteShopUrl(url, shop, target);
    if (next === url) return realFetch(input, init);
    return realFetch(next, typeof input === "object" && !(input instanceof URL) ? { ...input, ...init } : init);
  });
}
