/**
 * Write-back through Shopify bulk mutations, end to end against the local Admin API: staged JSONL
 * upload over HTTP, bulkOperationRunMutation (schema-validated), polling, per-line results; only
 * what changed is written; per-line failures are reported and not recorded as written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDb } from "~/db/test-db";
import type { FakeAdmin } from "../../test/fake-admin/server";
import { createWritebackShop, type WritebackShop } from "../../test/support/writeback-fixture";
import { getSettings, saveSettings } from "~/settings/shop-settings.server";
import { lineErrors, runBulkMutation, splitVariablesFiles } from "~/shopify/bulk-mutation.server";
import { writeBack, type WritebackProgress } from "./writeback.server";

const SHOP = "writeback-bulk-test.myshopify.com";
const N = 60;

describe("writeBack with bulk mutations (local Admin API)", () => {
  let t: TestDb;
  let fake: FakeAdmin;
  let ids: string[];
  const admin = () => w.admin();
  const opts = { bulkThreshold: 10, bulk: { pollMs: 5, maxPollMs: 20 } };
  const mutationOps = () => fake.bulk.list().filter((o) => o.type === "MUTATION");

  let w: WritebackShop;
  beforeAll(async () => {
    w = await createWritebackShop({
      shop: SHOP,
      n: N,
      currencyCode: "USD",
      tierOf: (i) => (i < 20 ? "gold" : "bronze"),
      tagsOf: (_id, i) => (i === 1 ? "vip" : ""),
    });
    ({ t, fake, ids } = w);
  });
  afterAll(() => w?.close());

  it("writes every metafield and tag in bulk operations, with progress", async () => {
    const progress: WritebackProgress[] = [];
    const r = await writeBack(t.db, admin(), SHOP, { ...opts, onProgress: (p) => void progress.push(p) });
    expect(r).toMatchObject({ customers: N, touched: N, tagged: N, untagged: 0, requests: 2 });
    expect(r.bulkOperationIds).toHaveLength(2);
    expect(r.metafieldValues).toBe(N * 7); // six values + clv_updated_at per customer
    const audit = await t.db.writebackAudit.findUnique({ where: { id: r.auditId } });
    expect(audit).toMatchObject({ status: "completed", customersTouched: N, mutations: N * 7 + N });
    expect(JSON.parse(audit!.bulkOperationIds)).toEqual(r.bulkOperationIds);
    const ops = mutationOps();
    expect(ops.map((o) => o.status)).toEqual(["COMPLETED", "COMPLETED"]);
    expect(ops[0]!.query).toContain("metafieldsSet");
    expect(ops[0]!.objectCount).toBe(String(Math.ceil(N / 3))); // 3 customers (21 metafields) per line
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
    const r = await writeBack(t.db, admin(), SHOP, opts);
    expect(r).toMatchObject({ touched: 12, tagged: 12, untagged: 12 });
    expect(r.bulkOperationIds).toHaveLength(3);
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
    const r2 = await writeBack(t.db, admin(), SHOP, { ...opts, bulkThreshold: 1000 });
    // clv_tier + clv_updated_at in one metafieldsSet, one aliased tag request.
    expect(r2).toMatchObject({ touched: 1, tagged: 1, untagged: 1, requests: 2, metafieldValues: 2, mutations: 4 });
    expect(r2.bulkOperationIds).toEqual([]);
    const r3 = await writeBack(t.db, admin(), SHOP, opts);
    expect(r3).toMatchObject({ touched: 0, mutations: 0, requests: 0 });
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
    const settings = await getSettings(t.db, SHOP);
    await saveSettings(t.db, SHOP, { ...settings, automations: { ...settings.automations, metafields: false } });
    await expect(writeBack(t.db, admin(), SHOP, opts)).rejects.toThrow(
      new RegExp(`1 error\\(s\\).*tagsAdd customer ${gone}: Resource not found`),
    );
    const audit = await t.db.writebackAudit.findFirst({ where: { shop: SHOP }, orderBy: { id: "desc" } });
    expect(audit?.status).toBe("failed");
    expect(JSON.parse(audit!.errors)[0]).toMatch(/Resource not found/);
    const stored = await t.db.customer.findMany({
      where: { shop: SHOP, id: { in: ids.slice(40, 52) } },
      select: { id: true, tags: true },
    });
    for (const c of stored) expect(c.tags.includes("clv:silver")).toBe(c.id !== gone);
  });
  it("splits variables over the file-size limit into several bulk operations, results by input line", async () => {
    expect(splitVariablesFiles(["aa", "bbb", "c", "dddddd"], 7)).toEqual([
      { start: 0, text: "aa\nbbb\n" },
      { start: 2, text: "c\n" },
      { start: 3, text: "dddddd\n" },
    ]);
    const gone = ids[45]!; // deleted in the previous test: its line fails
    const targets = ids.slice(30, 60);
    const before = mutationOps().length;
    const lines = await runBulkMutation(
      admin(),
      "mutation T($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { field message } } }",
      targets.map((id) => ({ id: `gid://shopify/Customer/${id}`, tags: ["split"] })),
      { pollMs: 5, maxPollMs: 20, maxFileBytes: 700 },
    );
    const ops = mutationOps().slice(before);
    expect(ops.length).toBeGreaterThan(2);
    expect(ops.reduce((n, o) => n + Number(o.objectCount), 0)).toBe(targets.length);
    expect(lines.map((l) => l.line)).toEqual(targets.map((_, i) => i));
    targets.forEach((id, i) => {
      expect(lineErrors(lines[i]!, "tagsAdd").length > 0, id).toBe(id === gone);
      if (id !== gone) expect(fake.store.customers.get(Number(id))!.tags).toContain("split");
    });
  });
});
