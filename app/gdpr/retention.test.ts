import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "~/db/test-db";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { enqueueDailyJobs } from "~/jobs/schedule.server";
import { runRetention } from "./retention.server";

const SHOP = "keep.myshopify.com";
const DAY = 86_400_000;

describe("retention", () => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb("sqlite");
  });
  afterAll(async () => {
    await h?.destroy();
  });

  it("clears processed payloads after the shop's retention, keeps pending ones, deletes old ledger keys", async () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const row = (key: string, ageDays: number, status: string) =>
      h.db.webhookDelivery.create({
        data: {
          shop: SHOP,
          topic: "orders/create",
          webhookId: key,
          eventKey: key,
          status,
          payload: '{"id":1}',
          receivedAt: new Date(now.getTime() - ageDays * DAY),
        },
      });
    await row("fresh", 1, "processed");
    await row("old", 8, "processed");
    await row("old-pending", 8, "received");
    await row("ancient", 60, "processed");
    await h.db.settings.create({ data: { shop: "short.myshopify.com", webhookPayloadRetentionDays: 0 } });
    await h.db.webhookDelivery.create({
      data: {
        shop: "short.myshopify.com",
        topic: "t",
        webhookId: "s",
        eventKey: "s",
        status: "processed",
        payload: "{}",
        receivedAt: new Date(now.getTime() - 3_600_000),
      },
    });

    const r = await runRetention(h.db, now);
    // old + s cleared; ancient cleared then deleted (ledger keys kept 30 days past retention)
    expect(r).toMatchObject({ payloadsCleared: 3, ledgerRowsDeleted: 1 });
    const left = await h.db.webhookDelivery.findMany({ orderBy: { id: "asc" } });
    expect(left.map((d) => [d.eventKey, d.payload !== null])).toEqual([
      ["fresh", true],
      ["old", false],
      ["old-pending", true],
      ["s", false],
    ]);
  });

  it("daily scheduling is idempotent per day", async () => {
    const q = new DbJobQueue(h.db, "sqlite");
    await enqueueDailyJobs(q, new Date("2026-06-01T10:00:00Z"));
    await enqueueDailyJobs(q, new Date("2026-06-01T23:00:00Z"));
    await enqueueDailyJobs(q, new Date("2026-06-02T01:00:00Z"));
    expect(await h.db.job.count({ where: { type: "maintenance.retention" } })).toBe(2);
  });
});
