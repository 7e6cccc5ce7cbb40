/**
 * The Shopify CLI's files (shopify.app.toml, shopify.web.toml, extensions/<handle>/shopify.extension.toml)
 * parse as TOML and every path they name is served by a route in app/routes (flat-routes convention);
 * package.json has the template's scripts and workspaces, and the web commands name existing scripts.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { WEBHOOK_TOPICS } from "~/webhooks/topics";
import { resolveRoute, routeTable } from "./route-table";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (f: string) => readFileSync(path.join(root, f), "utf8");
const routes = routeTable(path.join(root, "app", "routes"));

/** Every string value under a key named like a path/URL (uri, url, webhooks_path, runtime_url, …). */
function pathsIn(value: unknown, key = ""): string[] {
  if (typeof value === "string")
    return /(^|_)(uri|url|path)s?$/.test(key) && /^(\/|https?:\/\/)/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => pathsIn(v, key));
  if (value && typeof value === "object")
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => pathsIn(v, k));
  return [];
}

/** The path of a TOML URL value (absolute URLs: their path; the app URL itself is "/"). */
const pathOf = (u: string) => (u.startsWith("/") ? u : new URL(u).pathname);

const extensionTomls = existsSync(path.join(root, "extensions"))
  ? readdirSync(path.join(root, "extensions"))
      .map((d) => path.join("extensions", d, "shopify.extension.toml"))
      .filter((f) => existsSync(path.join(root, f)))
  : [];

describe("Shopify CLI configuration", () => {
  const app = parse(read("shopify.app.toml")) as {
    webhooks: {
      api_version: string;
      subscriptions: Array<{ topics?: string[]; compliance_topics?: string[]; uri: string }>;
    };
  };
  const web = parse(read("shopify.web.toml")) as {
    roles: string[];
    webhooks_path: string;
    commands: Record<string, string>;
  };

  it("every webhook subscription's uri is served by that topic's own route (not the 404 splat)", () => {
    const subscribed: string[] = [];
    for (const s of app.webhooks.subscriptions) {
      const topics = [...(s.topics ?? []), ...(s.compliance_topics ?? [])];
      expect(topics, s.uri).toHaveLength(1);
      const match = resolveRoute(routes, s.uri);
      expect(match?.file, s.uri).toBe(`webhooks.${topics[0]!.replace(/\//g, ".")}.tsx`);
      expect(readFileSync(match!.abs, "utf8"), s.uri).toMatch(/export const action\b/);
      subscribed.push(topics[0]!);
    }
    expect(subscribed.sort()).toEqual([...WEBHOOK_TOPICS].sort());
  });

  it("shopify.web.toml: both roles, a webhooks_path that exists, commands that name existing npm scripts", () => {
    expect(web.roles.sort()).toEqual(["backend", "frontend"]);
    expect(resolveRoute(routes, web.webhooks_path)?.file).toBe("webhooks.app.uninstalled.tsx");
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    expect(Object.keys(web.commands).sort()).toEqual(["dev", "predev"]);
    for (const command of Object.values(web.commands))
      for (const [, name] of command.matchAll(/npm run ([\w:-]+)/g)) expect(scripts[name!], name).toBeDefined();
    // the web process must not start `shopify app dev` again
    expect(Object.values(web.commands).join(" ")).not.toMatch(/npm run dev\b(?!:)|shopify app/);
  });

  it("package.json: Shopify CLI scripts and the extensions workspace", () => {
    const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string>; workspaces: string[] };
    expect(pkg.scripts.dev).toBe("shopify app dev");
    expect(pkg.scripts.deploy).toBe("shopify app deploy");
    expect(pkg.scripts["dev:remix"]).toBe("remix vite:dev");
    expect(pkg.workspaces).toContain("extensions/*");
    expect(existsSync(path.join(root, "extensions"))).toBe(true);
  });

  it.each(["shopify.app.toml", "shopify.web.toml", ...extensionTomls])("%s: every path it names has a route", (f) => {
    const doc = parse(read(f));
    const paths = pathsIn(doc)
      .filter((u) => u.startsWith("/") || u.startsWith("https://example.com"))
      .map(pathOf);
    for (const p of paths) expect(resolveRoute(routes, p), `${f}: ${p}`).toBeDefined();
  });

  it("the route resolver follows Remix flat routes (and can fail)", () => {
    expect(resolveRoute(routes, "/app")?.file).toBe("app._index.tsx");
    expect(resolveRoute(routes, "/app/customers/123")?.file).toBe("app.customers.$id.tsx");
    expect(resolveRoute(routes, "/auth/callback")?.file).toBe("auth.$.tsx");
    expect(resolveRoute(routes, "/webhooks/nope/nope")?.file).toBe("webhooks.$.tsx");
    expect(resolveRoute(routes, "/")?.file).toBe("_index/route.tsx");
    expect(resolveRoute(routes, "/nowhere")).toBeUndefined();
  });
});
