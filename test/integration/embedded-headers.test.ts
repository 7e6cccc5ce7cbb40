/**
 * A re-auth response thrown by authenticate.admin reaches the browser on a single-fetch data request,
 * for every embedded route (app/routes/app.*): the request the client makes when it revalidates only
 * the page (`/app/<page>.data?_routes=<page route>`) with an invalid session token must come back as
 * 401 with `X-Shopify-Retry-Invalid-Session-Request: 1` (App Bridge then retries with a fresh token).
 * Also: /auth/login (where /app without `shop` is sent) answers without a 500.
 */
import "@shopify/shopify-app-remix/adapters/node";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { ApiVersion, shopifyApp } from "@shopify/shopify-app-remix/server";
import { testConfig } from "@shopify/shopify-app-remix/test-helpers";
import { describe, expect, it, vi } from "vitest";

const app = shopifyApp(
  testConfig({
    apiVersion: ApiVersion.July26,
    future: { unstable_newEmbeddedAuthStrategy: true },
    logger: { level: 0 },
  }),
);
vi.mock("~/shopify.server", () => ({
  authenticate: app.authenticate,
  login: app.login,
  sessionStorage: app.sessionStorage,
  unauthenticated: app.unauthenticated,
  apiVersion: "2026-07",
}));

const routesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "app", "routes");
const embedded = readdirSync(routesDir).filter((f) => /^app\..+\.tsx$/.test(f) && !/\.test\.tsx$/.test(f));

/** Route id, URL path and index flag of an embedded route file (flat routes under the app layout). */
function routeOf(file: string) {
  const parts = file
    .replace(/\.tsx$/, "")
    .split(".")
    .slice(1);
  const index = parts[parts.length - 1] === "_index";
  const segs = parts.filter((p) => p !== "_index").map((p) => (p.startsWith("$") ? `:${p.slice(1)}` : p));
  return { id: `routes/${file.replace(/\.tsx$/, "")}`, path: segs.join("/") || undefined, index };
}

/** A ServerBuild with the root, the app layout and the given leaves, single fetch on (as vite.config.ts). */
async function buildWith(files: string[]): Promise<ServerBuild> {
  const routes: ServerBuild["routes"] = {
    root: { id: "root", path: "", module: await import("~/root") },
    "routes/app": { id: "routes/app", parentId: "root", path: "app", module: await import("~/routes/app") },
    "routes/auth.login": {
      id: "routes/auth.login",
      parentId: "root",
      path: "auth/login",
      module: await import("~/routes/auth.login/route"),
    },
  };
  for (const f of files) {
    const r = routeOf(f);
    routes[r.id] = { ...r, parentId: "routes/app", module: await import(/* @vite-ignore */ path.join(routesDir, f)) };
  }
  return {
    mode: "production",
    entry: { module: { default: () => new Response("document requests are not part of this test", { status: 500 }) } },
    routes,
    assets: { entry: { imports: [], module: "" }, routes: {}, url: "", version: "test" },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true },
    isSpaMode: false,
  } as unknown as ServerBuild;
}

describe("re-auth headers on single-fetch data requests", () => {
  it("the embedded routes are all covered", () => {
    expect(embedded.length).toBeGreaterThanOrEqual(8);
  });

  it.each(embedded)("%s: a data request with an invalid session token gets the retry header", async (file) => {
    const handler = createRequestHandler(await buildWith([file]));
    const r = routeOf(file);
    const pathname = `/app${r.path ? `/${r.path.replace(/:\w+/g, "123")}` : ""}`;
    const url = `https://my-test-app.myshopify.io${pathname === "/app" ? "/app" : pathname}.data?${r.index ? "index&" : ""}_routes=${encodeURIComponent(r.id)}`;
    const res = await handler(new Request(url, { headers: { authorization: "Bearer not-a-session-token" } }));
    expect(res.status).toBe(401);
    expect(res.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
  });

  it("without the route's headers export the header is lost (what the test guards against)", async () => {
    const file = embedded.find((f) => f === "app.status.tsx") ?? embedded[0]!;
    const build = await buildWith([file]);
    const r = routeOf(file);
    build.routes[r.id] = { ...build.routes[r.id]!, module: { ...build.routes[r.id]!.module, headers: undefined } };
    const res = await createRequestHandler(build)(
      new Request(`https://my-test-app.myshopify.io/app/${r.path}.data?_routes=${encodeURIComponent(r.id)}`, {
        headers: { authorization: "Bearer not-a-session-token" },
      }),
    );
    expect(res.headers.get("x-shopify-retry-invalid-session-request")).toBeNull();
  });
});

describe("/auth/login", () => {
  it("/app without shop is sent to /auth/login, which answers 200 (never a 500)", async () => {
    const handler = createRequestHandler(await buildWith([]));
    let thrown: unknown;
    try {
      await app.authenticate.admin(new Request("https://my-test-app.myshopify.io/app"));
    } catch (e) {
      thrown = e;
    }
    expect((thrown as Response).status).toBe(302);
    const location = (thrown as Response).headers.get("location")!;
    expect(new URL(location, "https://my-test-app.myshopify.io").pathname).toBe("/auth/login");
    const res = await handler(new Request("https://my-test-app.myshopify.io/auth/login.data"));
    expect(res.status).toBe(200);
  });

  it("the loader reports a missing or invalid shop and redirects a valid one to the install flow", async () => {
    const route = await import("~/routes/auth.login/route");
    const url = "https://my-test-app.myshopify.io/auth/login";
    const submit = (shop: string) =>
      route
        .action({
          request: new Request(url, { method: "POST", body: new URLSearchParams({ shop }) }),
          params: {},
          context: {},
        })
        .catch((e: unknown) => e as Response);
    const empty = await route.loader({ request: new Request(url), params: {}, context: {} });
    expect(empty.errors).toEqual({});
    expect(await submit("")).toEqual({ errors: { shop: "Please enter your shop domain to log in" } });
    expect(await submit("not a shop!")).toEqual({ errors: { shop: "Please enter a valid shop domain to log in" } });
    const redirect = (await submit("my-shop.myshopify.com")) as Response;
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toContain("my-shop");
  });
});
