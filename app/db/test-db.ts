/**
 * Test helpers: isolated databases. SQLite → a fresh file in a temp dir; PostgreSQL → a fresh schema
 * `t_<random>` on TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/test), dropped on close.
 * PostgreSQL tests run when the server answers; with REQUIRE_PG=1 (CI) an unreachable server fails.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDb, splitPgSchema, type DbHandle, type DbProvider } from "~/db/connect.server";
import { migrate } from "~/db/migrate.server";

/** Base URL of the PostgreSQL used by tests. */
export const TEST_PG_URL = process.env.TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432/test";

let pgAvailable: Promise<boolean> | undefined;

/** True when the test PostgreSQL answers (cached). */
export function isPgAvailable(): Promise<boolean> {
  pgAvailable ??= (async () => {
    const c = new pg.Client({
      connectionString: splitPgSchema(TEST_PG_URL).connectionString,
      connectionTimeoutMillis: 2000,
    });
    try {
      await c.connect();
      await c.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      await c.end().catch(() => undefined);
    }
  })();
  return pgAvailable;
}

/**
 * Providers to run a suite against: always sqlite; postgresql when reachable. With REQUIRE_PG=1
 * postgresql is always included (its tests then fail loudly if the server is down).
 */
export async function testProviders(): Promise<DbProvider[]> {
  if (process.env.REQUIRE_PG === "1") return ["sqlite", "postgresql"];
  return (await isPgAvailable()) ? ["sqlite", "postgresql"] : ["sqlite"];
}

/** An isolated, migrated database for one test file. */
export interface TestDb extends DbHandle {
  /** Drops the schema / deletes the file. */
  destroy(): Promise<void>;
}

/** A fresh database URL (file or schema) for a provider, not yet migrated. */
export function freshTestUrl(provider: DbProvider): { url: string; cleanup: () => Promise<void> } {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "horizon-db-"));
    return {
      url: `file:${path.join(dir, "test.sqlite")}`,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const u = new URL(TEST_PG_URL);
  u.searchParams.set("schema", schema);
  return {
    url: u.toString(),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: splitPgSchema(TEST_PG_URL).connectionString });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Creates, migrates and opens an isolated database. */
export async function createTestDb(provider: DbProvider): Promise<TestDb> {
  if (provider === "postgresql" && !(await isPgAvailable())) {
    throw new Error(`PostgreSQL required (REQUIRE_PG=1) but ${TEST_PG_URL} does not answer`);
  }
  const { url, cleanup } = freshTestUrl(provider);
  await migrate(url);
  const h = await openDb(url);
  return {
    ...h,
    destroy: async () => {
      await h.close();
      await cleanup();
    },
  };
}
