/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// `shopify app dev` (shopify.web.toml) passes the tunnel URL as HOST; the app reads it as
// SHOPIFY_APP_URL (as Shopify's template does), and Vite then binds to localhost.
if (process.env.HOST && /^https?:\/\//.test(process.env.HOST)) {
  process.env.SHOPIFY_APP_URL ??= process.env.HOST;
  delete process.env.HOST;
}
const appHost = new URL(process.env.SHOPIFY_APP_URL || "http://localhost").hostname;
const local = appHost === "localhost" || appHost === "127.0.0.1";

/**
 * Vite config for the Remix app (Shopify's Remix template layout, flat routes under app/routes).
 * The Remix plugin is disabled under vitest (VITEST is set by vitest), see stack-notes §2.2.
 * HOST/PORT are only used by `remix vite:dev` (`npm run dev:remix`, or `shopify app dev` through
 * shopify.web.toml: behind the CLI's tunnel, HMR goes over wss on port 443 of the tunnel host);
 * the demo and production serve the built app.
 */
export default defineConfig({
  server: {
    host: process.env.HOST ?? "127.0.0.1",
    port: Number(process.env.PORT ?? 3000),
    allowedHosts: local ? undefined : [appHost],
    hmr: local
      ? undefined
      : { protocol: "wss", host: appHost, port: Number(process.env.FRONTEND_PORT) || 8002, clientPort: 443 },
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    !process.env.VITEST &&
      remix({
        ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_lazyRouteDiscovery: true,
          // Single fetch stays on: every embedded route exports `headers` (app/shopify/embedded-headers.ts),
          // so re-auth headers reach the browser on data requests (test/integration/embedded-headers.test.ts).
          v3_singleFetch: true,
          v3_routeConfig: false,
        },
      }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/polaris", "recharts"] },
});
