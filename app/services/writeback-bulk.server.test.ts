/**
 * Write-back through Shopify bulk mutations, end to end against the local Admin API: staged JSONL
 * upload over HTTP, bulkOperationRunMutation (schema-validated), polling, per-line results; only
 * what changed is written; per-line failures are reported and not recorded as written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "~/db/test-db";
import { createAdminGraphql } from "~/shopify/admin-client.server";
import { fetchTransport } from "~/shopify/transports.server";
import { startFakeAdmin, type FakeAdmin } from "../../test/fake-admin/server";
import { storeFromTransactions } from "../../test/fake-admin/generate";
import { writeBackTiers, type WritebackProgress } from "./writeback.server";

const SHOP = "writeback-bulk-test.myshopify.com";
const N = 60;

describe("writeBackTiers with bulk mutations (local Admin API)", () => {
  let t: TestDb;
  let fake: FakeAdmin;
  let ids: string[];
  const admin = () =>
    createAdminGraphql({
      transport: fetchTransport({ shop: SHOP, accessToken: fake.accessToken, endpoint: fake.graphqlUrl }),
    });
  const opts = { bulkThreshold: 10, bulk: { pollMs: 5, maxPollMs: 20 } };
  const mutationOps = () => fake.bulk.list().filter((o) => o.type === "MUTATION");

  beforeAll(async () => {
    t = await createTestDb("sqlite");
    const d = (s: string) => new Date(`${s}T12:00:00Z`);
    const rows = Array.from({ length: N }, (_, i) => ({
      customerId: `c${i}`,
      date: d(`2025-0${1 + (i % 9)}-1${i % 10}`),
      amount: 10 + i,
    }));
    const store = storeFromTransactions(rows, { domain: SHOP });
    fake = await startFakeAdmin({ store, bulkDelayMs: 1 });
    ids = [...store.customers.keys()].map(String);
    await t.db.shop.create({ data: { shop: SHOP, currencyCode: "USD" } });
    await t.db.customer.createMany({ data: ids.map((id) => ({ shop: SHOP, id, tags: id === ids[1] ? "vip" : "" })) });
    await t.db.prediction.createMany({
      data: ids.map((id, i) => ({
        shop: SHOP,
        customerId: id,
        modelRunId: 1,
        clv: 100 - i,
        clvLow: 50,
        clvHigh: 150,
        pAlive: 0.5,
        expectedOrders: 1,
        tier: i < 20 ? "gold" : "bronze",
      })),
    });
  });
  afterAll(async () => {
    await fake?.close();
    await t?.destroy();
  });

  it("writes every metafield and tag in bulk operations, with progress", async () => {
    const progress: WritebackProgress[] = [];
    const r = await writeBackTiers(t.db, admin(), SHOP, (p) => void progress.push(p), opts);
    expect(r).toMatchObject({
      customers: N,
      metafieldCalls: 0,
      tagCalls: 0,
      tagged: N,
      untagged: 0,
      bulkOperations: 2,
    });
    const ops = mutationOps();
    expect(ops.map((o) => o.status)).toEqual(["COMPLETED", "COMPLETED"]);
    expect(ops[0]!.query).toContain("metafieldsSet");
    expect(ops[0]!.objectCount).toBe(String(Math.ceil(N / 8))); // 8 customers (24 metafields) per line
    expect(ops[1]!.objectCount).toBe(String(N));
    for (const [i, id] of ids.entries()) {
      const c = fake.store.customers.get(Number(id))!;
      expect(c.metafields.get("$app.clv_tier")?.value).toBe(i < 20 ? "gold" : "bronze");
      expect(c.metafields.get("$app.p_alive")?.value).toBe("0.5000");
      expect(c.tags).toContain(i < 20 ? "clv:gold" : "clv:bronze");
    }
    expect(fake.store.customers.get(Number(ids[1]))!.tags).toContain("clv:gold");
    expect((await t.db.customer.findUnique({ where: { shop_id: { shop: SHOP, id: ids[1]! } } }))!.tags).toBe(
      "vip, clv:gold",
    );
    expect(progress.some((p) => p.phase === "tags" && p.done === N && p.total === N)).toBe(true);
    expect(progress.at(-1)).toEqual({ phase: "done", done: N, total: N });
    expect(fake.validationFailures).toEqual([]);
    expect(fake.stats.throttled).toBe(0);
  });

  it("then writes only the changed tags: tagsAdd and tagsRemove operations for many changes, requests for few", async () => {
    for (const id of ids.slice(0, 12))
      await t.db.prediction.update({
        where: { shop_customerId: { shop: SHOP, customerId: id } },
        data: { tier: "platinum" },
      });
    const before = mutationOps().length;
    const r = await writeBackTiers(t.db, admin(), SHOP, undefined, opts);
    expect(r).toMatchObject({ tagged: 12, untagged: 12, tagCalls: 0, bulkOperations: 3 });
    const tagOps = mutationOps().slice(before + 1);
    expect(tagOps.map((o) => [o.query.includes("tagsAdd") ? "add" : "remove", o.objectCount])).toEqual([
      ["add", "12"],
      ["remove", "12"],
    ]);
    for (const id of ids.slice(0, 12)) {
      expect(fake.store.customers.get(Number(id))!.tags).toContain("clv:platinum");
      expect(fake.store.customers.get(Number(id))!.tags).not.toContain("clv:gold");
    }
    expect(fake.store.customers.get(Number(ids[12]))!.tags).toContain("clv:gold");

    await t.db.prediction.update({
      where: { shop_customerId: { shop: SHOP, customerId: ids[30]! } },
      data: { tier: "gold" },
    });
    const r2 = await writeBackTiers(t.db, admin(), SHOP, undefined, { ...opts, bulkThreshold: 1000 });
    expect(r2).toMatchObject({ tagged: 1, untagged: 1, tagCalls: 1, bulkOperations: 0 });
    const r3 = await writeBackTiers(t.db, admin(), SHOP, undefined, opts);
    expect(r3).toMatchObject({ tagged: 0, untagged: 0, tagCalls: 0 });
    expect(fake.validationFailures).toEqual([]);
  });

  it("reports lines Shopify rejected and records only the accepted changes", async () => {
    for (const id of ids.slice(40, 52))
      await t.db.prediction.update({
        where: { shop_customerId: { shop: SHOP, customerId: id } },
        data: { tier: "silver" },
      });
    const gone = ids[45]!;
    fake.store.customers.delete(Number(gone)); // deleted in Shopify meanwhile: its lines fail
    const s = await import("./settings.server");
    const settings = await s.getSettings(t.db, SHOP);
    await s.saveSettings(t.db, SHOP, { ...settings, automations: { ...settings.automations, metafields: false } });
    await expect(writeBackTiers(t.db, admin(), SHOP, undefined, opts)).rejects.toThrow(
      /tag write-back failed for 1 customers: tagsAdd: Resource not found/,
    );
    const stored = await t.db.customer.findMany({
      where: { shop: SHOP, id: { in: ids.slice(40, 52) } },
      select: { id: true, tags: true },
    });
    for (const c of stored) expect(c.tags.includes("clv:silver")).toBe(c.id !== gone);
  });
});
