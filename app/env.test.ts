import { describe, expect, it } from "vitest";
import { EnvError, databaseUrl, loadEnv, workerSettings } from "./env.server";

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

  it("one set of worker settings for the inline and the standalone worker", () => {
    const e = loadEnv({}, quiet);
    expect(workerSettings(e, "sqlite")).toEqual({
      concurrency: 1,
      pollMs: 200,
      staleMs: 60_000,
      recoverEveryMs: 10_000,
      claimBatch: 16,
    });
    expect(workerSettings(e, "postgresql").concurrency).toBe(2);
    const set = loadEnv({ WORKER_CONCURRENCY: "3", WORKER_POLL_MS: "50", WORKER_CLAIM_BATCH: "1" }, quiet);
    expect(workerSettings(set, "postgresql")).toMatchObject({ concurrency: 3, pollMs: 50, claimBatch: 1 });
    expect(() => loadEnv({ WORKER_POLL_MS: "soon" }, quiet)).toThrow(/WORKER_POLL_MS: .*\(got "soon"\)/);
    expect(() => loadEnv({ WORKER_CONCURRENCY: "0" }, quiet)).toThrow(/WORKER_CONCURRENCY/);
  });

  it("validates flags and enums instead of ignoring typos", () => {
    expect(() => loadEnv({ HORIZON_DEMO: "true" }, quiet)).toThrow(/HORIZON_DEMO: .*\(got "true"\)/);
    expect(() => loadEnv({ HORIZON_WEBHOOK_AUTH: "shopfy" }, quiet)).toThrow(/HORIZON_WEBHOOK_AUTH/);
    const e = loadEnv({ HORIZON_SCHEDULER: "off", PORT: "0", HORIZON_DEMO_CUSTOMERS: "400" }, quiet);
    expect(e).toMatchObject({ HORIZON_SCHEDULER: "off", PORT: 0, HORIZON_DEMO_CUSTOMERS: 400, HORIZON_DEMO: "0" });
  });

  it("databaseUrl reads DATABASE_URL alone with the same default and check", () => {
    expect(databaseUrl({})).toBe("file:./prisma/dev.sqlite");
    expect(databaseUrl({ DATABASE_URL: "" })).toBe("file:./prisma/dev.sqlite");
    expect(databaseUrl({ DATABASE_URL: "postgresql://u@h:5432/db" })).toBe("postgresql://u@h:5432/db");
    expect(() => databaseUrl({ DATABASE_URL: "mysql://u@h/db" })).toThrow(/DATABASE_URL: must start with/);
  });
});
