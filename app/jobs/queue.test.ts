import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "~/db/test-db";
import { DbJobQueue, backoffDelay, enqueueJob } from "./db-queue.server";
import { registerJobHandler, unregisterJobHandler } from "./registry.server";
import { startWorker } from "./job-loop.server";
import { PermanentJobError } from "./types";

const SHOP = "alpha.myshopify.com";
const providers = await testProviders();
const quiet = { info() {}, warn() {}, error() {} };

describe("backoffDelay", () => {
  it("doubles per attempt and caps", () => {
    const p = { baseMs: 100, maxMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 9].map((a) => backoffDelay(a, p))).toEqual([100, 200, 400, 800, 1000, 1000]);
    const j = backoffDelay(1, { baseMs: 1000, maxMs: 1e6, jitter: 0.2 }, () => 1);
    expect(j).toBe(1200);
  });
});

describe.each(providers)("DbJobQueue on %s", (provider) => {
  let h: TestDb;
  let q: DbJobQueue;
  beforeAll(async () => {
    h = await createTestDb(provider);
    q = new DbJobQueue(h.db, h.provider, { baseMs: 10, maxMs: 50, jitter: 0 });
  });
  afterAll(async () => {
    await h?.destroy();
  });

  it("dedupes by key, also inside a transaction", async () => {
    const a = await q.enqueue(SHOP, "t.a", { n: 1 }, { dedupeKey: "k1" });
    const b = await q.enqueue(SHOP, "t.a", { n: 2 }, { dedupeKey: "k1" });
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    const c = await h.db.$transaction((tx) => enqueueJob(tx, SHOP, "t.a", {}, { dedupeKey: "k1" }));
    expect(c.created).toBe(false);
    expect(await h.db.job.count({ where: { dedupeKey: "k1" } })).toBe(1);
  });

  it("claims atomically: concurrent claimers never get the same job", async () => {
    for (let i = 0; i < 20; i++) await q.enqueue(SHOP, "t.claim", { i });
    const got = await Promise.all(Array.from({ length: 30 }, (_, i) => q.claim(`w${i % 3}`, ["t.claim"])));
    const ids = got.filter(Boolean).map((j) => j!.id);
    expect(new Set(ids).size).toBe(ids.length);
    // SQLite CAS may give up under contention; whatever was not claimed is still queued
    const left = await h.db.job.count({ where: { type: "t.claim", status: "queued" } });
    expect(ids.length + left).toBe(20);
    const all = await h.db.job.findMany({ where: { type: "t.claim", status: "running" } });
    expect(all.every((j) => j.attempts === 1 && j.lockedBy)).toBe(true);
  });

  it("retries with backoff, then fails with lastError after maxAttempts", async () => {
    const q = new DbJobQueue(h.db, h.provider, { baseMs: 400, maxMs: 1000, jitter: 0 });
    const { id } = await q.enqueue(SHOP, "t.retry", {}, { maxAttempts: 2 });
    let job = (await q.claim("w", ["t.retry"]))!;
    expect(job.id).toBe(id);
    const before = Date.now();
    expect(await q.fail(job, "w", new Error("boom 1"))).toBe("retry");
    let row = await q.get(SHOP, id);
    expect(row?.status).toBe("queued");
    // backoff for attempt 1 is baseMs = 400 ms (no jitter)
    expect(row!.runAt.getTime()).toBeGreaterThanOrEqual(before + 400);
    expect(await q.claim("w", ["t.retry"])).toBeNull();
    await new Promise((r) => setTimeout(r, 450));
    job = (await q.claim("w", ["t.retry"]))!;
    expect(await q.fail(job, "w", new Error("boom 2"))).toBe("failed");
    row = await q.get(SHOP, id);
    expect(row).toMatchObject({ status: "failed", attempts: 2, lastError: "Error: boom 2" });
    expect(await q.get("other.myshopify.com", id)).toBeNull();
  });

  it("recovers stale locks after a crash and refuses completion by the lost worker", async () => {
    const { id } = await q.enqueue(SHOP, "t.stale", {});
    const job = (await q.claim("dead", ["t.stale"]))!;
    await h.db.job.update({ where: { id }, data: { lockedAt: new Date(Date.now() - 120_000) } });
    expect(await q.recoverStale(60_000)).toBe(1);
    const again = (await q.claim("alive", ["t.stale"]))!;
    expect(again.id).toBe(id);
    expect(await q.complete(job, "dead")).toBe(false);
    expect(await q.complete(again, "alive", { ok: 1 })).toBe(true);
    expect((await q.get(SHOP, id))?.result).toBe('{"ok":1}');
  });

  it("cancel stops queued jobs of a shop only", async () => {
    await q.enqueue(SHOP, "t.cancel", {});
    await q.enqueue("beta.myshopify.com", "t.cancel", {});
    expect(await q.cancel(SHOP, { type: "t.cancel" })).toBe(1);
    expect(await q.claim("w", ["t.cancel"])).toMatchObject({ shop: "beta.myshopify.com" });
  });

  it("claims a batch atomically (oldest first, no job twice) and releases unstarted jobs", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await q.enqueue(SHOP, "t.batch", { i })).id);
    await q.enqueue(SHOP, "t.other", {});
    const [a, b] = await Promise.all([q.claimBatch("wa", ["t.batch"], 4), q.claimBatch("wb", ["t.batch"], 4)]);
    const got = [...a, ...b].map((j) => j.id);
    expect(got).toHaveLength(8);
    expect(new Set(got).size).toBe(8);
    expect(
      a.every((j) => j.status === "running" && j.lockedBy === "wa" && j.attempts === 1 && j.type === "t.batch"),
    ).toBe(true);
    expect(a.map((j) => j.id)).toEqual([...a.map((j) => j.id)].sort((x, y) => x - y));
    const rest = await q.claimBatch("wc", ["t.batch"], 100);
    expect(rest.map((j) => j.id).sort((x, y) => x - y)).toEqual(ids.filter((id) => !got.includes(id)));
    expect(await q.claimBatch("wc", ["t.batch"], 5)).toEqual([]);
    // A job claimed but never started goes back to the queue as it was.
    expect(await q.release(a[0]!, "wb")).toBe(false); // not wb's
    expect(await q.release(a[0]!, "wa")).toBe(true);
    expect(await q.get(SHOP, a[0]!.id)).toMatchObject({ status: "queued", attempts: 0, lockedBy: null });
  });

  it("worker with batch claims runs every job once and releases its batch when stopped", async () => {
    const ran: number[] = [];
    registerJobHandler("t.many", async ({ job }) => {
      ran.push(job.id);
      return null;
    });
    for (let i = 0; i < 30; i++) await q.enqueue(SHOP, "t.many", { i });
    const w = startWorker({
      db: h.db,
      queue: q,
      pollMs: 10,
      claimBatch: 8,
      concurrency: 2,
      types: ["t.many"],
      log: quiet,
    });
    for (let i = 0; i < 300 && ran.length < 30; i++) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    expect(ran).toHaveLength(30);
    expect(new Set(ran).size).toBe(30);
    expect(await h.db.job.count({ where: { type: "t.many", status: "completed" } })).toBe(30);

    // Stopped while a batch is waiting: the unstarted jobs are queued again, not left running.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    registerJobHandler("t.slow", async () => gate);
    for (let i = 0; i < 5; i++) await q.enqueue(SHOP, "t.slow", { i });
    const w2 = startWorker({ db: h.db, queue: q, pollMs: 10, claimBatch: 5, types: ["t.slow"], log: quiet });
    for (let i = 0; i < 200 && (await h.db.job.count({ where: { type: "t.slow", status: "running" } })) < 5; i++)
      await new Promise((r) => setTimeout(r, 10));
    const stopping = w2.stop();
    release();
    await stopping;
    expect(await h.db.job.count({ where: { type: "t.slow", status: "completed" } })).toBe(1);
    expect(await h.db.job.count({ where: { type: "t.slow", status: "queued", attempts: 0 } })).toBe(4);
    ["t.many", "t.slow"].forEach(unregisterJobHandler);
  });

  it("worker runs handlers, retries transient errors and fails permanent ones", async () => {
    let flaky = 0;
    registerJobHandler("t.ok", async ({ payload }) => ({ doubled: (payload as { n: number }).n * 2 }));
    registerJobHandler("t.flaky", async () => {
      if (++flaky < 3) throw new Error("transient");
      return "fine";
    });
    registerJobHandler("t.bad", async () => {
      throw new PermanentJobError("payload missing field x");
    });
    const ok = await q.enqueue(SHOP, "t.ok", { n: 21 });
    const fl = await q.enqueue(SHOP, "t.flaky", {});
    const bad = await q.enqueue(SHOP, "t.bad", {});
    const w = startWorker({ db: h.db, queue: q, pollMs: 10, types: ["t.ok", "t.flaky", "t.bad"], log: quiet });
    for (let i = 0; i < 200; i++) {
      const st = await h.db.job.findMany({ where: { id: { in: [ok.id, fl.id, bad.id] } } });
      if (st.every((j) => j.status === "completed" || j.status === "failed")) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await w.stop();
    expect((await q.get(SHOP, ok.id))?.result).toBe('{"doubled":42}');
    expect(await q.get(SHOP, fl.id)).toMatchObject({ status: "completed", attempts: 3 });
    expect(await q.get(SHOP, bad.id)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await q.get(SHOP, bad.id))?.lastError).toContain("payload missing field x");
    ["t.ok", "t.flaky", "t.bad"].forEach(unregisterJobHandler);
  });
});
