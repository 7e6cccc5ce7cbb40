import { spawnSync } from "node:child_process";
import { describe, expect, it, vi } from "vitest";

// auth.server imports the Shopify app object; its session storage is not needed here.
vi.mock("~/shopify.server", () => ({ authenticate: {}, sessionStorage: {} }));
const { rewriteShopUrl, installDemoShopifyRedirect } = await import("./shopify-redirect.server");
const { loadDemoTransactions } = await import("./data.server");

describe("demo guard rails", () => {
  it("npm run demo refuses NODE_ENV=production before doing anything", () => {
    const r = spawnSync(process.execPath, ["bin/demo.mjs"], {
      env: { ...process.env, NODE_ENV: "production" },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to start: NODE_ENV=production/);
  });
  it("the Admin API redirect only rewrites the demo shop and only installs in demo mode", () => {
    expect(
      rewriteShopUrl(
        "https://d.myshopify.com/admin/api/2026-07/graphql.json",
        "d.myshopify.com",
        "http://127.0.0.1:9/",
      ),
    ).toBe("http://127.0.0.1:9/admin/api/2026-07/graphql.json");
    expect(rewriteShopUrl("https://other.myshopify.com/admin", "d.myshopify.com", "http://127.0.0.1:9")).toBe(
      "https://other.myshopify.com/admin",
    );
    expect(rewriteShopUrl("https://d.myshopify.com.evil.com/x", "d.myshopify.com", "http://127.0.0.1:9")).toBe(
      "https://d.myshopify.com.evil.com/x",
    );
    delete process.env.HORIZON_DEMO;
    expect(() => installDemoShopifyRedirect("http://127.0.0.1:9")).toThrow(/demo mode is off/);
  });
});

describe("bundled demo data", () => {
  it("is the full CDNOW master log, shifted so the last purchase is yesterday", () => {
    const today = new Date("2026-11-28T10:00:00Z");
    const d = loadDemoTransactions({ today });
    expect(d.customers).toBe(23_570);
    expect(d.rows).toHaveLength(69_659);
    const last = Math.max(...d.rows.map((r) => r.date.getTime()));
    expect(new Date(last).toISOString().slice(0, 10)).toBe("2026-11-27");
    expect(Math.round(d.rows.reduce((s, r) => s + r.amount, 0) * 100) / 100).toBe(2_500_315.63);
  });
  it("subsets by customer for quick runs and rejects a bad count", () => {
    expect(loadDemoTransactions({ customers: 100 }).customers).toBe(100);
    expect(() => loadDemoTransactions({ customers: 0 })).toThrow(/positive integer/);
  });
});
