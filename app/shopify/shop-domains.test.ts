import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, shopifyApp } from "@shopify/shopify-app-remix/server";
import { testConfig } from "@shopify/shopify-app-remix/test-helpers";
import { describe, expect, it } from "vitest";
import { shopDomainTransformations } from "./shop-domains";

/** What the app's login does with `shop` (a redirect into the install flow, or an error code). */
async function loginWith(domains: string | undefined, shop: string) {
  const app = shopifyApp(
    testConfig({
      apiVersion: ApiVersion.July26,
      logger: { level: 0 },
      domainTransformations: shopDomainTransformations(domains),
    }),
  );
  try {
    return await app.login(new Request(`https://my-test-app.myshopify.io/auth/login?shop=${shop}`));
  } catch (e) {
    return e as Response;
  }
}

describe("shopDomainTransformations (SHOP_CUSTOM_DOMAIN)", () => {
  it("parses plain domains and source=target pairs; nothing configured → []", () => {
    expect(shopDomainTransformations(undefined)).toEqual([]);
    expect(shopDomainTransformations(" ")).toEqual([]);
    const [plain, split] = shopDomainTransformations("Example.io, my.shop.dev=api.shop.dev");
    expect(plain!.transform).toBe("$1.example.io");
    expect("a-1.example.io".match(plain!.match)?.[1]).toBe("a-1");
    expect("a.example.io.evil.com".match(plain!.match)).toBeNull();
    expect(split!.transform).toBe("$1.api.shop.dev");
  });

  it("names the bad entry", () => {
    expect(() => shopDomainTransformations("example.io, not a domain")).toThrow(
      'SHOP_CUSTOM_DOMAIN: "not a domain" is not a domain',
    );
    expect(() => shopDomainTransformations("a.io=b.io=c.io")).toThrow('"a.io=b.io=c.io" has more than one "="');
  });

  it("shopify-api accepts a shop on a configured domain (and still refuses it without)", async () => {
    const refused = await loginWith(undefined, "store.example.io");
    expect(refused).toEqual({ shop: "INVALID_SHOP" });
    const accepted = (await loginWith("example.io", "store.example.io")) as Response;
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toContain("store.example.io");
  });

  it("a split domain is rewritten to its API domain", async () => {
    const res = (await loginWith("my.shop.dev=api.shop.dev", "store.my.shop.dev")) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("store.api.shop.dev");
  });
});
