/**
 * Database connection factory: one PrismaClient per URL, on the driver adapter that matches the
 * provider (better-sqlite3 for `file:` URLs, pg for `postgres(ql)://` URLs).
 *
 * A Prisma client is provider-specific: the SQLite client lives in `@prisma/client` (generated from
 * prisma/schema.prisma), the PostgreSQL client in `node_modules/.prisma-pg/client` (generated from
 * prisma/postgres/schema.prisma by `node scripts/gen-postgres-schema.mjs --generate`). Both expose the
 * same models, so the app types everything as the SQLite `PrismaClient`.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { useSqliteCheckpointer } from "./sqlite-checkpointer.server";

/** The app's database handle (either provider). */
export type Db = PrismaClient;

/** Which database engine a URL points to. */
export type DbProvider = "sqlite" | "postgresql";

/** A connected database plus the facts callers need (provider, schema, how to close it). */
export interface DbHandle {
  db: Db;
  provider: DbProvider;
  url: string;
  /** PostgreSQL schema (search_path) in use; undefined for SQLite. */
  schema?: string;
  close(): Promise<void>;
}

/** Default SQLite database file, relative to the project root. */
export { DEFAULT_SQLITE_URL } from "~/default-database-url";

/** Which engine a Prisma client talks to (Prisma's own record of it). */
export function providerOfClient(db: Db): DbProvider {
  return (db as unknown as { _activeProvider?: string })._activeProvider === "postgresql" ? "postgresql" : "sqlite";
}

/** Returns the provider of a database URL or throws a clear error naming DATABASE_URL. */
export function providerOf(url: string): DbProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  throw new Error(
    `DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL); got "${url.split(":")[0]}:…"`,
  );
}

/** Splits `?schema=name` off a PostgreSQL URL (pg does not understand it; Prisma's adapter does). */
export function splitPgSchema(url: string): { connectionString: string; schema: string } {
  const u = new URL(url);
  const schema = u.searchParams.get("schema") ?? "public";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`DATABASE_URL: invalid PostgreSQL schema name "${schema}" (letters, digits, _ only)`);
  }
  u.searchParams.delete("schema");
  return { connectionString: u.toString(), schema };
}

/** Resolves a `file:` URL to an absolute path (relative paths are relative to the cwd). */
export function sqlitePathOf(url: string): string {
  const p = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return path.isAbsolute(p) ? p : path.resolve(process.cwd(), p);
}

/**
 * Opens a database and waits until it is configured. SQLite gets WAL, synchronous=NORMAL and a busy
 * timeout (one writer, many readers; safe across processes), and its WAL is checkpointed on a
 * background thread instead of inside a large COMMIT (sqlite-checkpointer.server.ts). PostgreSQL gets a pool whose
 * search_path is the URL's schema.
 */
export async function openDb(url: string, opts: { poolSize?: number } = {}): Promise<DbHandle> {
  const h = openDbSync(url, opts);
  await h.ready;
  return h;
}

/**
 * Synchronous variant for module-level singletons: the client is usable at once; `ready` settles
 * when the connection pragmas have been applied.
 */
export function openDbSync(url: string, opts: { poolSize?: number } = {}): DbHandle & { ready: Promise<void> } {
  const provider = providerOf(url);
  if (provider === "sqlite") {
    const file = sqlitePathOf(url);
    const adapter = new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 10_000 });
    const db = new PrismaClient({ adapter });
    const leaveCheckpointer = useSqliteCheckpointer(file);
    const ready = (async () => {
      await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
      await db.$queryRawUnsafe("PRAGMA synchronous=NORMAL");
      await db.$queryRawUnsafe("PRAGMA busy_timeout=10000");
      await db.$queryRawUnsafe("PRAGMA wal_autocheckpoint=0");
    })();
    ready.catch(() => undefined);
    const close = async () => {
      await db.$disconnect();
      await leaveCheckpointer();
    };
    return { db, provider, url, ready, close };
  }
  const { connectionString, schema } = splitPgSchema(url);
  const adapter = new PrismaPg(
    { connectionString, max: opts.poolSize ?? 5, options: `-c search_path=${schema}` },
    { schema },
  );
  const PgClient = loadPgClient();
  const db = new PgClient({ adapter }) as Db;
  return { db, provider, url, schema, ready: Promise.resolve(), close: () => db.$disconnect() };
}

let pgClientCtor: typeof PrismaClient | undefined;

/** Loads the PostgreSQL-generated PrismaClient class (clear error when it was never generated). */
function loadPgClient(): typeof PrismaClient {
  if (pgClientCtor) return pgClientCtor;
  const require = createRequire(import.meta.url);
  const entry = path.resolve(process.cwd(), "node_modules", ".prisma-pg", "client", "index.js");
  try {
    pgClientCtor = (require(entry) as { PrismaClient: typeof PrismaClient }).PrismaClient;
  } catch (e) {
    throw new Error(
      `PostgreSQL Prisma client not found at ${entry}. Run: node scripts/gen-postgres-schema.mjs --generate ` +
        `(${(e as Error).message})`,
    );
  }
  return pgClientCtor;
}
