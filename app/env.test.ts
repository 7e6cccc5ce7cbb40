import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "./env.server";

const KEY = "a".repeat(64);
const quiet = () => undefined;

describe("loadEnv", () => {
  it("refuses to start in production without credentials and the encryption key, naming each", () => {
    let err: EnvError | undefined;
    try {
      loadEnv({ NODE_ENV: "production" }, quiet);
    } catch (e) {
      err = e as EnvError;
    }
    expect(err).toBeInstanceOf(EnvError);
    expect(err!.problems).toEqual([
      "SHOPIFY_API_KEY: required in production",
      "SHOPIFY_API_SECRET: required in production",
      "SHOPIFY_APP_URL: required in production",
      "HORIZON_ENCRYPTION_KEY: required in production",
    ]);
  });

  it("accepts a complete production environment", () => {
    const e = loadEnv(
      {
        NODE_ENV: "production",
        SHOPIFY_API_KEY: "k",
        SHOPIFY_API_SECRET: "s",
        SHOPIFY_APP_URL: "https://app.example.com",
        HORIZON_ENCRYPTION_KEY: KEY,
      },
      quiet,
    );
    expect(e.DATABASE_URL).toBe("file:./prisma/dev.sqlite");
    expect(e.WEBHOOK_MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(e.SCOPES).toContain("read_all_orders");
  });

  it("names bad values without echoing secrets", () => {
    expect(() => loadEnv({ SHOPIFY_APP_URL: "not a url", DATABASE_URL: "mysql://secret@h/db" }, quiet)).toThrow(
      /DATABASE_URL: must start with "file:" or "postgresql:\/\/"\n[\s\S]*SHOPIFY_APP_URL: must be an absolute URL.*\(got "not a url"\)/,
    );
    try {
      loadEnv({ DATABASE_URL: "mysql://secret@h/db", HORIZON_ENCRYPTION_KEY: "tooshort" }, quiet);
    } catch (e) {
      expect((e as Error).message).not.toContain("secret@h");
      expect((e as Error).message).toContain("HORIZON_ENCRYPTION_KEY must be 32 random bytes");
      expect((e as Error).message).not.toContain("tooshort");
    }
  });

  it("uses labelled placeholders outside production and warns", () => {
    const warnings: string[] = [];
    const e = loadEnv({ NODE_ENV: "development" }, (m) => warnings.push(m));
    expect(e.SHOPIFY_API_SECRET).toBe("horizon-dev-secret");
    expect(e.HORIZON_ENCRYPTION_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(warnings[0]).toMatch(
      /development placeholders for SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL, HORIZON_ENCRYPTION_KEY/,
    );
  });
});
