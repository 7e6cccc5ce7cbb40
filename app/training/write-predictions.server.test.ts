import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "~/db/test-db";
import { nextBatchSize, writePredictions } from "./load.server";
import type { CustomerScores } from "./score";
import { scoresToColumns } from "./thread-columns";

/** Scores for the listed customer numbers; `k` shifts every value (a new run or a rescoring). */
function scores(ids: number[], k: number): CustomerScores {
  const n = ids.length;
  const f = (g: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => g(i));
  return {
    customerIds: ids.map(String),
    // values that do not survive a decimal rounding to 15 digits
    clv: f((i) => ids[i]! / 3 + k + 105.73499999999999),
    clvLow: f((i) => ids[i]! / 7),
    clvHigh: f((i) => ids[i]! / 3 + k + 1000.1),
    pAlive: f((i) => (ids[i]! % 97) / 97),
    churnProbability: f((i) => (i % 5 === 0 ? Number.NaN : 1 - (ids[i]! % 97) / 97)),
    nextOrderAt: f((i) => (i % 3 === 0 ? Number.NaN : Date.UTC(2027, 0, 1 + (ids[i]! % 28), 12, 30, 0, 123))),
    expectedOrders: f((i) => ids[i]! / 11),
    orderValue: f(() => 50),
    historicSpend: f((i) => ids[i]! * 1.01),
    orderCount: Int32Array.from(ids, (id) => 1 + (id % 4)),
    firstAt: f(() => Date.UTC(2025, 0, 1)),
    lastAt: f((i) => (i % 7 === 0 ? Number.NaN : Date.UTC(2026, 5, 1 + (ids[i]! % 20)))),
    tier: ids.map((id) => ((id + k) % 3 === 0 ? "gold" : "bronze")),
    drivers: ids.map((id) => [{ phrase: `Bought ${id} times`, weight: 0.5 }]),
    interval: { lower: 0.1, upper: 0.9, method: "ziln" },
  };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe.each(await testProviders())("writePredictions on %s", (provider) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => t?.destroy());

  async function expectRowsEqual(shop: string, s: CustomerScores, run: number) {
    const rows = await t.db.prediction.findMany({ where: { shop } });
    expect(rows).toHaveLength(s.customerIds.length);
    const byId = new Map(rows.map((r) => [r.customerId, r]));
    s.customerIds.forEach((id, i) => {
      const r = byId.get(id)!;
      expect(r.modelRunId).toBe(run);
      // exact: the raw insert keeps every bit of a double
      expect([r.clv, r.clvLow, r.clvHigh, r.pAlive, r.expectedOrders, r.historicSpend]).toEqual([
        s.clv[i],
        s.clvLow[i],
        s.clvHigh[i],
        s.pAlive[i],
        s.expectedOrders[i],
        s.historicSpend[i],
      ]);
      expect(r.churnProbability).toBe(Number.isNaN(s.churnProbability[i]) ? null : s.churnProbability[i]);
      expect(r.nextOrderAt?.getTime() ?? null).toBe(Number.isNaN(s.nextOrderAt[i]) ? null : s.nextOrderAt[i]);
      expect(r.lastOrderAt?.getTime() ?? null).toBe(Number.isNaN(s.lastAt[i]) ? null : s.lastAt[i]);
      expect(r.orderCount).toBe(s.orderCount[i]);
      expect(r.tier).toBe(s.tier[i]);
      expect(JSON.parse(r.drivers)).toEqual(s.drivers[i]);
    });
  }

  it("replaces the whole set in small batches: values exact, customers no longer scored removed, tier changes recorded", async () => {
    const shop = "write-full.myshopify.com";
    const other = "write-other.myshopify.com";
    const run1 = (await t.db.modelRun.create({ data: { shop, status: "completed" } })).id;
    const runOther = (await t.db.modelRun.create({ data: { shop: other, status: "completed" } })).id;
    const first = scores(range(1, 300), 0);
    // a tiny budget forces batches of the minimum size (many batches, many yields)
    expect(await writePredictions(t.db, shop, run1, first, { batchBudgetMs: 0.001 })).toEqual({
      written: 300,
      tierChanges: 300,
    });
    await writePredictions(t.db, other, runOther, scores(range(1, 40), 5));
    await expectRowsEqual(shop, first, run1);

    const run2 = (await t.db.modelRun.create({ data: { shop, status: "completed" } })).id;
    const second = scores([...range(51, 300), ...range(301, 320)], 1);
    const w = await writePredictions(t.db, shop, run2, second);
    const changed = second.customerIds.filter(
      (id, i) => Number(id) > 300 || first.tier[Number(id) - 1] !== second.tier[i],
    );
    expect(w).toEqual({ written: 270, tierChanges: changed.length });
    await expectRowsEqual(shop, second, run2); // customers 1–50 are gone
    expect(await t.db.tierHistory.count({ where: { shop, modelRunId: run2 } })).toBe(changed.length);
    // the neighbour shop is untouched
    expect(await t.db.prediction.count({ where: { shop: other } })).toBe(40);

    // rescoring with the same run: every row rewritten at the new computedAt, none left behind
    const third = scores(range(51, 320), 2);
    await writePredictions(t.db, shop, run2, third, { batchBudgetMs: 1 });
    await expectRowsEqual(shop, third, run2);
  });

  it("scores in column form (from the training thread) are written exactly like the same scores as objects", async () => {
    const shop = "write-columns.myshopify.com";
    const run = (await t.db.modelRun.create({ data: { shop, status: "completed" } })).id;
    const s = scores(range(1, 150), 3);
    expect(await writePredictions(t.db, shop, run, scoresToColumns(s), { batchBudgetMs: 0.001 })).toEqual({
      written: 150,
      tierChanges: 150,
    });
    await expectRowsEqual(shop, s, run);
    const next = scores(range(1, 150), 4);
    const only = new Set(["7", "70"]);
    expect((await writePredictions(t.db, shop, run, scoresToColumns(next), { onlyCustomers: only })).written).toBe(2);
    const rows = await t.db.prediction.findMany({ where: { shop, customerId: { in: ["7", "8", "70"] } } });
    const clv = Object.fromEntries(rows.map((r) => [r.customerId, r.clv]));
    expect(clv).toEqual({ "7": next.clv[6], "8": s.clv[7], "70": next.clv[69] });
    await expect(writePredictions(t.db, shop, run, scoresToColumns(scores([1, 2, 2], 1)))).rejects.toThrow(
      /customer 2 is scored twice/,
    );
  });

  it("an incremental write replaces only the listed customers", async () => {
    const shop = "write-inc.myshopify.com";
    const run = (await t.db.modelRun.create({ data: { shop, status: "completed" } })).id;
    const base = scores(range(1, 120), 0);
    await writePredictions(t.db, shop, run, base);
    const next = scores(range(1, 120), 4);
    const only = new Set(["3", "60", "119"]);
    expect((await writePredictions(t.db, shop, run, next, { onlyCustomers: only })).written).toBe(3);
    const rows = await t.db.prediction.findMany({ where: { shop }, orderBy: { customerId: "asc" } });
    expect(rows).toHaveLength(120);
    for (const r of rows) {
      const i = Number(r.customerId) - 1;
      expect(r.clv).toBe(only.has(r.customerId) ? next.clv[i] : base.clv[i]);
    }
  });

  it("a write that fails part-way leaves the previous predictions as they were", async () => {
    const shop = "write-fail.myshopify.com";
    const run = (await t.db.modelRun.create({ data: { shop, status: "completed" } })).id;
    const base = scores(range(1, 200), 0);
    await writePredictions(t.db, shop, run, base);
    await expect(writePredictions(t.db, shop, run, scores([1, 2, 2], 1))).rejects.toThrow(/customer 2 is scored twice/);
    // the database refuses customer 150's row: earlier batches were written in the transaction
    if (provider === "sqlite")
      await t.db.$executeRawUnsafe(
        `CREATE TRIGGER "refuse_150" BEFORE INSERT ON "Prediction" WHEN NEW."shop" = '${shop}' AND NEW."customerId" = '150' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
      );
    else {
      await t.db.$executeRawUnsafe(
        `CREATE FUNCTION refuse_150() RETURNS trigger AS $$ BEGIN IF NEW."shop" = '${shop}' AND NEW."customerId" = '150' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
      );
      await t.db.$executeRawUnsafe(
        `CREATE TRIGGER refuse_150 BEFORE INSERT ON "Prediction" FOR EACH ROW EXECUTE FUNCTION refuse_150()`,
      );
    }
    await expect(writePredictions(t.db, shop, run, scores(range(1, 200), 9), { batchBudgetMs: 0.001 })).rejects.toThrow(
      /refused/,
    );
    await expectRowsEqual(shop, base, run);
    await t.db.$executeRawUnsafe(`DROP TRIGGER "refuse_150"${provider === "sqlite" ? "" : ` ON "Prediction"`}`);
  });

  it("the batch size follows the time budget, at most doubling, within bounds", () => {
    expect(nextBatchSize(50, 50, 25)).toBe(25);
    expect(nextBatchSize(50, 1, 25)).toBe(100);
    expect(nextBatchSize(50, 1000, 25)).toBe(10);
    expect(nextBatchSize(2000, 1, 25)).toBe(2000);
  });
});
