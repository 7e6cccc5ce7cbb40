/**
 * The project's own migration runner (prisma `migrate deploy` fails on PostgreSQL and `migrate dev`
 * fails everywhere offline; see docs/decisions/0002-database.md and stack-notes §3).
 *
 * Migrations are `prisma migrate diff` scripts: prisma/migrations/NNNN_name/migration.sql (SQLite)
 * and prisma/postgres/migrations/NNNN_name/migration.sql (PostgreSQL). Applied in name order, each
 * in one transaction together with its bookkeeping row in `_horizon_migrations` (name, sha256), so a
 * crash mid-migration leaves nothing half-applied. Idempotent: applied migrations are skipped; an
 * applied migration whose file changed is an error (never edit a shipped migration).
 *
 * CLI: `DATABASE_URL=... npx tsx app/db/migrate.server.ts`
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { providerOf, splitPgSchema, sqlitePathOf, type DbProvider } from "~/db/connect.server";
import { databaseUrl } from "~/env.server";

/** One migration file on disk. */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** What a run did. */
export interface MigrateResult {
  provider: DbProvider;
  applied: string[];
  skipped: string[];
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Directory holding the migrations for a provider. */
export function migrationsDir(provider: DbProvider, root = projectRoot): string {
  return provider === "sqlite"
    ? path.join(root, "prisma", "migrations")
    : path.join(root, "prisma", "postgres", "migrations");
}

/** Reads the migrations of a provider, sorted by name. */
export function loadMigrations(provider: DbProvider, dir = migrationsDir(provider)): Migration[] {
  if (!existsSync(dir)) throw new Error(`migrations directory not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!existsSync(file)) return [];
      const sql = readFileSync(file, "utf8");
      return [{ name, sql, checksum: createHash("sha256").update(sql).digest("hex") }];
    });
}

function checkApplied(m: Migration, stored: string | undefined): boolean {
  if (stored === undefined) return false;
  if (stored !== m.checksum) {
    throw new Error(`migration ${m.name} was already applied with a different checksum (file edited after release?)`);
  }
  return true;
}

interface SqliteDatabase {
  pragma(s: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): { all(...a: unknown[]): unknown[]; run(...a: unknown[]): unknown };
  close(): void;
}

function migrateSqlite(url: string, migrations: Migration[]): MigrateResult {
  const require = createRequire(import.meta.url);
  const Database = require("better-sqlite3") as new (file: string, o?: object) => SqliteDatabase;
  const file = sqlitePathOf(url);
  mkdirSync(path.dirname(file), { recursive: true });
  const conn = new Database(file, { timeout: 10_000 });
  const res: MigrateResult = { provider: "sqlite", applied: [], skipped: [] };
  try {
    conn.pragma("journal_mode = WAL");
    conn.exec(
      `CREATE TABLE IF NOT EXISTS "_horizon_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`,
    );
    for (const m of migrations) {
      // BEGIN IMMEDIATE takes the write lock first, so two runners cannot both apply m.
      conn.exec("BEGIN IMMEDIATE");
      try {
        const rows = conn.prepare(`SELECT checksum FROM "_horizon_migrations" WHERE name = ?`).all(m.name) as Array<{
          checksum: string;
        }>;
        if (checkApplied(m, rows[0]?.checksum)) {
          conn.exec("ROLLBACK");
          res.skipped.push(m.name);
          continue;
        }
        conn.exec(m.sql);
        conn
          .prepare(`INSERT INTO "_horizon_migrations" (name, checksum, appliedAt) VALUES (?, ?, ?)`)
          .run(m.name, m.checksum, new Date().toISOString());
        conn.exec("COMMIT");
        res.applied.push(m.name);
      } catch (e) {
        try {
          conn.exec("ROLLBACK");
        } catch {
          /* already rolled back */
        }
        throw new Error(`migration ${m.name} failed: ${(e as Error).message}`);
      }
    }
  } finally {
    conn.close();
  }
  return res;
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrateResult> {
  const { connectionString, schema } = splitPgSchema(url);
  const client = new pg.Client({ connectionString });
  await client.connect();
  const res: MigrateResult = { provider: "postgresql", applied: [], skipped: [] };
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "_horizon_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    for (const m of migrations) {
      await client.query("BEGIN");
      try {
        // Serialise concurrent runners on this schema.
        await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`horizon-migrate:${schema}`]);
        const r = await client.query<{ checksum: string }>(
          `SELECT checksum FROM "_horizon_migrations" WHERE name = $1`,
          [m.name],
        );
        if (checkApplied(m, r.rows[0]?.checksum)) {
          await client.query("ROLLBACK");
          res.skipped.push(m.name);
          continue;
        }
        // prisma's diff starts with CREATE SCHEMA "public"; tables are unqualified, so they land in
        // the search_path schema.
        await client.query(m.sql);
        await client.query(`INSERT INTO "_horizon_migrations" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
        await client.query("COMMIT");
        res.applied.push(m.name);
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new Error(`migration ${m.name} failed: ${(e as Error).message}`);
      }
    }
  } finally {
    await client.end();
  }
  return res;
}

/** Applies every pending migration for the database at `url`. */
export async function migrate(url: string, opts: { dir?: string } = {}): Promise<MigrateResult> {
  const provider = providerOf(url);
  const migrations = loadMigrations(provider, opts.dir ?? migrationsDir(provider));
  return provider === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const url = databaseUrl();
  migrate(url)
    .then((r) =>
      console.log(
        `migrate (${r.provider}): applied ${r.applied.length} [${r.applied.join(", ")}], up to date ${r.skipped.length}`,
      ),
    )
    .catch((e: Error) => {
      console.error(e.message);
      process.exit(1);
    });
}
