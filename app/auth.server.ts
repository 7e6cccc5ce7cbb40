/**
 * The app's single auth entry for admin pages: `requireAdmin(request)`.
 *
 * Production: Shopify's `authenticate.admin` (session token / OAuth, throws redirects/responses
 * that the layout's `boundary` turns into the right thing inside the Shopify admin).
 *
 * Demo (`HORIZON_DEMO=1`, see bin/demo.mjs): there is no Shopify admin to issue session tokens,
 * so the request is attributed to the demo shop's stored offline session. This is the only place
 * where page auth differs in demo mode, and it is refused outright when NODE_ENV=production.
 */
import type { Session } from "@shopify/shopify-api";
import { env } from "~/env.server";
import { authenticate, sessionStorage } from "~/shopify.server";
import { isShopDomain } from "~/shopify/shop-domain";

/** What every admin loader/action gets: the shop all queries must be scoped to. */
export interface AdminContext {
  /** The session's shop domain, e.g. "example.myshopify.com". Scope every query by it. */
  shop: string;
  session: Session;
  /** True only in demo mode (local fake Admin API, no Shopify admin). */
  demo: boolean;
}

/** Default demo shop domain (overridable with HORIZON_DEMO_SHOP). */
export const DEFAULT_DEMO_SHOP = "horizon-demo.myshopify.com";

/**
 * Returns the demo shop when demo mode is on, null otherwise. Throws when demo mode is requested
 * in production, or with a shop domain that is not a *.myshopify.com name.
 */
export function demoShopFromEnv(
  e: { HORIZON_DEMO?: string; HORIZON_DEMO_SHOP?: string; NODE_ENV?: string } = env(),
): string | null {
  if (e.HORIZON_DEMO !== "1") return null;
  if (e.NODE_ENV === "production") {
    throw new Error("HORIZON_DEMO=1 is refused when NODE_ENV=production: demo auth must never serve a real store.");
  }
  const shop = e.HORIZON_DEMO_SHOP || DEFAULT_DEMO_SHOP;
  if (!isShopDomain(shop)) {
    throw new Error(`HORIZON_DEMO_SHOP must be a *.myshopify.com domain, got "${shop}"`);
  }
  return shop;
}

/** Offline session id of a shop, as stored by Shopify's session storage. */
export function offlineSessionId(shop: string): string {
  return `offline_${shop}`;
}

/**
 * Authenticates an admin page request and returns the shop to scope every query by. Throws the
 * responses `authenticate.admin` throws (redirects, 401) in production; in demo mode throws a 503
 * when the demo store has not been installed yet.
 */
export async function requireAdmin(request: Request): Promise<AdminContext> {
  const demoShop = demoShopFromEnv();
  if (demoShop) {
    const session = await sessionStorage.loadSession(offlineSessionId(demoShop));
    if (!session) {
      throw new Response("The demo store is not installed yet: start it with `npm run demo`.", { status: 503 });
    }
    return { shop: session.shop, session, demo: true };
  }
  const { session } = await authenticate.admin(request);
  return { shop: session.shop, session, demo: false };
}

/** Whether pages render in demo mode (Polaris AppProvider, demo banner, no App Bridge). */
export function isDemoMode(): boolean {
  return demoShopFromEnv() !== null;
}
