import { describe, expect, it } from "vitest";
import { completeDocumentHeaders, frameAncestorsPolicy } from "./document-headers.server";

describe("document headers", () => {
  it("allows only the shop and the Shopify admin to frame the app", () => {
    expect(frameAncestorsPolicy("Shop-1.myshopify.com")).toMatch(
      /^frame-ancestors https:\/\/shop-1\.myshopify\.com https:\/\/admin\.shopify\.com /,
    );
    expect(frameAncestorsPolicy("evil.com")).not.toMatch(/evil/);
    expect(frameAncestorsPolicy(null)).toMatch(/^frame-ancestors https:\/\/admin\.shopify\.com/);
  });
  it("keeps Shopify's CSP and fills it in when missing", () => {
    const h = new Headers({ "Content-Security-Policy": "frame-ancestors https://a.myshopify.com;" });
    completeDocumentHeaders(h, "b.myshopify.com");
    expect(h.get("Content-Security-Policy")).toBe("frame-ancestors https://a.myshopify.com;");
    const g = new Headers();
    completeDocumentHeaders(g, "b.myshopify.com");
    expect(g.get("Content-Security-Policy")).toContain("https://b.myshopify.com");
    expect(g.get("X-Content-Type-Options")).toBe("nosniff");
  });
});
