import { describe, expect, it, vi } from "vitest";

vi.mock("~/shopify.server", () => ({ authenticate: { admin: vi.fn() }, sessionStorage: { loadSession: vi.fn() } }));

const { demoShopFromEnv, DEFAULT_DEMO_SHOP } = await import("./auth.server");

describe("demoShopFromEnv", () => {
  it("is off unless HORIZON_DEMO=1", () => {
    expect(demoShopFromEnv({ NODE_ENV: "development" })).toBeNull();
    expect(demoShopFromEnv({ HORIZON_DEMO: "true", NODE_ENV: "development" })).toBeNull();
  });
  it("returns the demo shop in demo mode", () => {
    expect(demoShopFromEnv({ HORIZON_DEMO: "1", NODE_ENV: "development" })).toBe(DEFAULT_DEMO_SHOP);
    expect(demoShopFromEnv({ HORIZON_DEMO: "1", HORIZON_DEMO_SHOP: "x-1.myshopify.com" })).toBe("x-1.myshopify.com");
  });
  it("refuses demo mode in production and odd shop names", () => {
    expect(() => demoShopFromEnv({ HORIZON_DEMO: "1", NODE_ENV: "production" })).toThrow(
      /refused when NODE_ENV=production/,
    );
    expect(() => demoShopFromEnv({ HORIZON_DEMO: "1", HORIZON_DEMO_SHOP: "evil.com" })).toThrow(/HORIZON_DEMO_SHOP/);
  });
});
