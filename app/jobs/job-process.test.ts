import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "~/db/test-db";
import { DbJobQueue } from "./db-queue.server";
import { workerSettingsFromEnv } from "./job-process.server";

const root = path.resolve(__dirname, "..", "..");
let db: TestDb;
let url: string;

beforeAll(async () => {
  db = await createTestDb("sqlite");
  url = (await db.db.$queryRawUnsafe<Array<{ file: string }>>("PRAGMA database_list"))[0]!.file;
});
afterAll(() => db?.destroy());

function child(env: Record<string, string>): { proc: ChildProcess; out: () => string; exited: Promise<number | null> } {
  let out = "";
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(root, "test", "support", "worker-child.ts")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", DATABASE_URL: `file:${url}`, WORKER_POLL_MS: "50", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return { proc, out: () => out, exited };
}

async function until(fn: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("job process", () => {
  it("a restarted process drains a queued backlog with no new traffic, and exits on SIGTERM", async () => {
    const q = new DbJobQueue(db.db, "sqlite");
    for (let i = 0; i < 40; i++) await q.enqueue("a.myshopify.com", "test.noop", { i });
    const c = child({});
    await until(async () => (await db.db.job.count({ where: { type: "test.noop", status: "completed" } })) === 40);
    c.proc.kill("SIGTERM");
    expect(await c.exited).toBe(0);
    expect(c.out()).toContain("db closed");
  }, 90_000);

  it("SIGTERM during a job exits within the bound; the job is released and runs again after restart", async () => {
    const q = new DbJobQueue(db.db, "sqlite");
    const { id } = await q.enqueue("a.myshopify.com", "test.sleep", {});
    const first = child({ WORKER_SHUTDOWN_MS: "800", CHILD_SLEEP_MS: "120000" });
    await until(async () => (await db.db.job.findUnique({ where: { id } }))?.status === "running");
    const t0 = Date.now();
    first.proc.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const took = Date.now() - t0;
    expect(took).toBeLessThan(800 + 4_000); // the bound plus process teardown on a loaded machine
    expect(took).toBeGreaterThanOrEqual(700); // it did wait for the running job first
    const released = await db.db.job.findUnique({ where: { id } });
    expect(released).toMatchObject({ status: "queued", attempts: 0, lockedBy: null });

    const second = child({ CHILD_SLEEP_MS: "10" });
    await until(async () => (await db.db.job.findUnique({ where: { id } }))?.status === "completed");
    const done = await db.db.job.findUnique({ where: { id } });
    expect(JSON.parse(done!.result!)).toMatchObject({ slept: true, pid: second.proc.pid });
    second.proc.kill("SIGINT");
    expect(await second.exited).toBe(0);
  }, 90_000);

  it("reads worker settings from WORKER_* with clear errors", () => {
    expect(workerSettingsFromEnv("postgresql", {})).toMatchObject({ concurrency: 2, pollMs: 200, claimBatch: 16 });
    expect(workerSettingsFromEnv("sqlite", { WORKER_CONCURRENCY: "3" }).concurrency).toBe(3);
    expect(() => workerSettingsFromEnv("sqlite", { WORKER_POLL_MS: "fast" })).toThrow(/WORKER_POLL_MS/);
  });
});
