import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "./connect.server";
import {
  checkpointedFiles,
  checkpointNow,
  sqliteDriverPath,
  useSqliteCheckpointer,
} from "./sqlite-checkpointer.server";

/** The part of better-sqlite3 this test uses (the package is Prisma's adapter's, without types here). */
interface Sqlite {
  pragma(s: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...args: unknown[]): unknown; get(): unknown };
  transaction(fn: () => void): () => void;
  close(): void;
}
const Database = createRequire(import.meta.url)(sqliteDriverPath()) as new (file: string) => Sqlite;

const dir = mkdtempSync(path.join(tmpdir(), "horizon-ckpt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SQLite WAL checkpointer", () => {
  it("a large commit leaves the WAL to the background thread, which copies it into the database", async () => {
    const file = path.join(dir, "big.sqlite");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("wal_autocheckpoint = 0");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    // a checkpointer that only works when asked, so nothing races the file-size checks
    const leave = useSqliteCheckpointer(file, { everyMs: 3_600_000 });
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run("x".repeat(200));
    })();
    const before = statSync(file).size;
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(4_000_000); // > 1,000 pages of 4 KiB
    expect(before).toBeLessThan(100_000); // the commit did not checkpoint
    const r = await checkpointNow(file);
    expect(r!.log).toBeGreaterThan(1000);
    expect(r!.checkpointed).toBe(r!.log);
    expect(statSync(file).size).toBeGreaterThan(4_000_000);
    expect((db.prepare("SELECT count(*) AS n FROM t").get() as { n: number }).n).toBe(20_000);
    await leave();
    expect(checkpointedFiles()).not.toContain(file);
    expect(await checkpointNow(file)).toBeNull();
    db.close();
  });

  it("handles on one file share one thread; it stops when the last handle closes", async () => {
    const url = `file:${path.join(dir, "app.sqlite")}`;
    const a = await openDb(url);
    const b = await openDb(url);
    const file = path.join(dir, "app.sqlite");
    expect(checkpointedFiles().filter((f) => f === file)).toHaveLength(1);
    // the app's connection never checkpoints inside a commit
    expect(await a.db.$queryRawUnsafe("PRAGMA wal_autocheckpoint")).toEqual([{ wal_autocheckpoint: 0n }]);
    await a.close();
    expect(checkpointedFiles()).toContain(file);
    await b.close();
    expect(checkpointedFiles()).not.toContain(file);
  });
});
