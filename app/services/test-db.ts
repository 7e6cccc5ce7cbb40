/**
 * Throwaway SQLite databases for service tests and the pages benchmark: a fresh file in a temp
 * directory with every migration under prisma/migrations applied (the same SQL production runs).
 * Not used by the app at runtime.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type Db } from "~/db.server";

/** A migrated temp database and how to dispose of it. */
export interface TestDb {
  db: Db;
  url: string;
  file: string;
  /** Disconnects and deletes the temp directory. */
  dispose(): Promise<void>;
}

/** Creates a migrated SQLite database in a new temp directory. */
export async function createTestDb(migrationsDir = path.resolve(process.cwd(), "prisma", "migrations")): Promise<TestDb> {
  const dir = mkdtempSync(path.join(tmpdir(), "horizon-ui-"));
  const file = path.join(dir, "test.sqlite");
  const url = `file:${file}`;
  const handle = await createDb(url);
  for (const m of readdirSync(migrationsDir).sort()) {
    const sqlFile = path.join(migrationsDir, m, "migration.sql");
    if (!existsSync(sqlFile)) continue;
    // Prisma-generated migrations: one statement per ";" at a line end.
    const statements = readFileSync(sqlFile, "utf8")
      .split(/;\s*\n/)
      .map((st) => st.replace(/^\s*--.*$/gm, "").trim())
      .filter(Boolean);
    for (const st of statements) {
      try {
        await handle.db.$executeRawUnsafe(st);
      } catch (e) {
        throw new Error(`applying ${sqlFile}: ${(e as Error).message}\n${st.slice(0, 200)}`);
      }
    }
  }
  return {
    db: handle.db,
    url,
    file,
    async dispose() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
