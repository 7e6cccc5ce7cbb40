import { cpSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshTestUrl, testProviders } from "./test-db";
import { migrate, migrationsDir } from "./migrate.server";
import { openDb } from "./connect.server";

const providers = await testProviders();

describe.each(providers)("migration runner on %s", (provider) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it("applies once, is idempotent, refuses an edited migration and rolls back a failing one", async () => {
    const { url, cleanup } = freshTestUrl(provider);
    cleanups.push(cleanup);
    const dir = mkdtempSync(path.join(tmpdir(), "horizon-mig-"));
    cpSync(migrationsDir(provider), dir, { recursive: true });

    const real = readdirSync(dir).sort();
    expect(real[0]).toBe("0001_init");
    expect((await migrate(url, { dir })).applied).toEqual(real);
    expect(await migrate(url, { dir })).toMatchObject({ applied: [], skipped: real });

    // a failing migration leaves nothing behind (one transaction) and names itself
    cpSync(path.join(dir, "0001_init"), path.join(dir, "9999_bad"), { recursive: true });
    writeFileSync(
      path.join(dir, "9999_bad", "migration.sql"),
      `CREATE TABLE "Partial" ("id" INTEGER);\nTHIS IS NOT SQL;`,
    );
    await expect(migrate(url, { dir })).rejects.toThrow(/migration 9999_bad failed/);
    const h = await openDb(url);
    try {
      const tables =
        provider === "sqlite"
          ? await h.db.$queryRawUnsafe<Array<{ name: string }>>(`SELECT name FROM sqlite_master WHERE name = 'Partial'`)
          : await h.db.$queryRawUnsafe<Array<{ name: string }>>(
              `SELECT table_name::text AS name FROM information_schema.tables WHERE table_name = 'Partial' AND table_schema = current_schema()`,
            );
      expect(tables).toEqual([]);
      expect(await h.db.order.count()).toBe(0); // the schema works through Prisma
    } finally {
      await h.close();
    }

    writeFileSync(path.join(dir, "9999_bad", "migration.sql"), `CREATE TABLE "Extra" ("id" INTEGER);`);
    expect((await migrate(url, { dir })).applied).toEqual(["9999_bad"]);
    writeFileSync(path.join(dir, "0001_init", "migration.sql"), "-- edited\n");
    await expect(migrate(url, { dir })).rejects.toThrow(/0001_init was already applied with a different checksum/);
  });
});
