/**
 * The app's PrismaClient. The default export is the singleton for DATABASE_URL (default: the
 * embedded SQLite file prisma/dev.sqlite), cached on globalThis outside production so Vite HMR does
 * not leak connections. Tests and tools use `createDb(url)` for an isolated handle.
 */
import { openDb, openDbSync, type Db, type DbHandle } from "~/db/connect.server";
import { databaseUrl } from "~/env.server";

export type { Db, DbHandle, DbProvider } from "~/db/connect.server";

/** Opens a new, independent database handle (tests, CLI, worker processes). */
export function createDb(url: string, opts: { poolSize?: number } = {}): Promise<DbHandle> {
  return openDb(url, opts);
}

declare global {
  var __horizonDb: (DbHandle & { ready: Promise<void> }) | undefined;
}

function open(): DbHandle & { ready: Promise<void> } {
  return openDbSync(databaseUrl());
}

const handle = process.env.NODE_ENV === "production" ? open() : (globalThis.__horizonDb ??= open());

/** The shared handle for DATABASE_URL (provider, close()). */
export const dbHandle: DbHandle = handle;

/** Resolves once the shared connection is configured (SQLite pragmas applied). */
export const dbReady: Promise<void> = handle.ready;

/** The shared PrismaClient for DATABASE_URL. */
const prisma: Db = handle.db;
export default prisma;
