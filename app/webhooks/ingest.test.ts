import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "~/db/test-db";
import { appendDeliveries } from "~/models/webhook-ledger.server";
import { DeliveryRecorder, deliveryRecorder, type AppendBatch, type VerifiedDelivery } from "./ingest.server";

const SHOP = "ingest.myshopify.com";
const providers = await testProviders();

function delivery(
  eventKey: string,
  webhookId = `wh-${eventKey}`,
  over: Partial<VerifiedDelivery> = {},
): VerifiedDelivery {
  return {
    shop: SHOP,
    topic: "orders/create",
    webhookId,
    eventKey,
    triggeredAt: null,
    payload: JSON.stringify({ id: eventKey }),
    ...over,
  };
}

describe.each(providers)("group-committed webhook ledger on %s", (provider) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  // SQLite: the app's prepared-statement connection (file URL) and the Prisma fallback (no URL).
  const paths = provider === "sqlite" ? ["app writer", "prisma fallback"] : ["app writer"];
  it.each(paths)("concurrent deliveries share a transaction; duplicates change nothing (%s)", async (path) => {
    const prefix = path.replace(/\W/g, "");
    const recorder =
      path === "app writer"
        ? deliveryRecorder({ db: t.db, provider: t.provider, url: t.url })
        : new DeliveryRecorder((ds) => appendDeliveries(t.db, t.provider, ds));
    const before = recorder.stats.batches;
    const triggered = new Date("2026-11-01T10:00:00.123Z");
    const ds = Array.from({ length: 15 }, (_, i) =>
      delivery(`${prefix}-${i}`, undefined, i === 0 ? { triggeredAt: triggered } : {}),
    );
    // Five duplicates of the same events (other webhook ids), sent at the same moment.
    const dups = [0, 3, 3, 7, 14].map((i, n) => delivery(`${prefix}-${i}`, `wh-dup-${n}`));
    const results = await Promise.all([...ds, ...dups].map((d) => recorder.record(d)));
    expect(results.slice(0, 15).every((r) => r.status === "accepted")).toBe(true);
    expect(results.slice(15).every((r) => r.status === "duplicate")).toBe(true);
    expect(recorder.stats.batches - before).toBeLessThanOrEqual(2);

    const rows = await t.db.webhookDelivery.findMany({
      where: { shop: SHOP, eventKey: { startsWith: `${prefix}-` } },
      orderBy: { id: "asc" },
    });
    expect(rows).toHaveLength(15);
    expect(rows.every((r) => r.webhookId === `wh-${r.eventKey}` && r.status === "received" && r.attempts === 0)).toBe(
      true,
    );
    expect(rows.find((r) => r.eventKey === `${prefix}-0`)!.triggeredAt?.toISOString()).toBe(triggered.toISOString());
    expect(Math.abs(rows[0]!.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
    const jobs = await t.db.job.findMany({ where: { shop: SHOP, payload: { contains: `"${prefix}-` } } });
    expect(jobs).toHaveLength(15);
    expect(new Set(jobs.map((j) => JSON.parse(j.payload).eventKey))).toEqual(new Set(rows.map((r) => r.eventKey)));
    expect(jobs.every((j) => j.type === "webhooks.process" && j.status === "queued" && j.maxAttempts === 8)).toBe(true);
    expect(jobs.every((j) => JSON.parse(j.payload).topic === "orders/create" && j.runAt.getTime() <= Date.now())).toBe(
      true,
    );

    // A later redelivery of a stored event is a duplicate too; another topic with the same key is not.
    expect(await recorder.record(delivery(`${prefix}-5`, "wh-late"))).toEqual({ status: "duplicate" });
    expect(await recorder.record(delivery(`${prefix}-5`, "wh-other", { topic: "orders/updated" }))).toEqual({
      status: "accepted",
    });
    expect(await t.db.webhookDelivery.count({ where: { shop: SHOP, eventKey: `${prefix}-5` } })).toBe(2);
    expect(await t.db.job.count({ where: { shop: SHOP, payload: { contains: `"${prefix}-5"` } } })).toBe(2);
  });

  it.runIf(provider === "sqlite")(
    "waits for another connection's write lock without blocking the event loop",
    async () => {
      const recorder = deliveryRecorder({ db: t.db, provider: t.provider, url: t.url });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const hasLock = new Promise<void>((r) => (locked = r));
      // A Prisma interactive transaction holds SQLite's write lock across awaits.
      const holder = t.db.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(
            `INSERT INTO "Job" (shop, type, payload, "updatedAt") VALUES ('${SHOP}', 't.lock', '{}', '2026-01-01T00:00:00.000+00:00')`,
          );
          locked();
          await gate;
        },
        { timeout: 20_000 },
      );
      await hasLock;
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      let settled = false;
      const p = recorder.record(delivery("after-lock")).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      expect(ticks).toBeGreaterThan(10); // the event loop kept running while the batch waited
      release();
      await holder;
      expect(await p).toEqual({ status: "accepted" });
      clearInterval(timer);
      expect(await t.db.webhookDelivery.count({ where: { shop: SHOP, eventKey: "after-lock" } })).toBe(1);
    },
  );

  it("a failing batch is retried delivery by delivery: only the bad one fails", async () => {
    const append: AppendBatch = async (ds) => {
      if (ds.some((d) => d.eventKey === "poison")) throw new Error("row rejected");
      return appendDeliveries(t.db, t.provider, ds);
    };
    const recorder = new DeliveryRecorder(append);
    const out = await Promise.allSettled(
      [delivery("fine-1"), delivery("poison"), delivery("fine-2")].map((d) => recorder.record(d)),
    );
    expect(out.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(
      await t.db.webhookDelivery.count({ where: { shop: SHOP, eventKey: { in: ["fine-1", "fine-2", "poison"] } } }),
    ).toBe(2);
    expect(await t.db.job.count({ where: { shop: SHOP, payload: { contains: '"poison"' } } })).toBe(0);
  });
});
