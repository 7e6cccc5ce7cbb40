import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "~/db/test-db";
import { seedPredictions } from "../../test/support/seed-predictions";
import { getDashboard } from "./dashboard.server";
import { getCustomerDetail, shopifyCustomerUrl } from "./customer-detail.server";
import { getModelPage, requestRetrain } from "./model-card.server";
import { getCohorts } from "./cohorts.server";
import { getShopStatus } from "~/lifecycle/job-progress.server";

const A = "shop-a.myshopify.com";
const B = "shop-b.myshopify.com";
const metrics = {
  candidates: [
    {
      name: "bgnbd+gg",
      metrics: {
        gini: 0.61,
        decileMape: 0.18,
        spearman: 0.55,
        mae: 20.5,
        topDecileCapture: 0.42,
        scale: 0.8,
        serving: { scale: 0.9, interval: null },
        servedInterval: {
          coverage: 0.78,
          nominal: 0.8,
          customers: 120,
          shapeFold: "2025-10-01",
          levelFold: "2025-11-01",
          measuredFold: "2025-12-01",
          overlapDays: 0,
        },
      },
    },
    {
      name: "past-spend",
      baseline: true,
      metrics: { gini: 0.48, decileMape: 0.35, spearman: 0.4, mae: 28, topDecileCapture: 0.33 },
    },
  ],
  deciles: Array.from({ length: 10 }, (_, i) => ({ decile: i + 1, predicted: 100 - i * 9, actual: 95 - i * 9 })),
};
const artefact = { unit: "week", models: [{ model: "bgnbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } }] };

describe.each(await testProviders())("page services on %s", (provider) => {
  let t: TestDb;
  let runA: number;
  beforeAll(async () => {
    t = await createTestDb(provider);
    runA = (
      await t.db.modelRun.create({
        data: {
          shop: A,
          status: "completed",
          champion: "bgnbd+gg",
          promoted: true,
          reason: "best Gini",
          metrics: JSON.stringify(metrics),
          artefact: JSON.stringify(artefact),
          finishedAt: new Date(),
          horizonDays: 365,
        },
      })
    ).id;
    await seedPredictions(t.db, A, { n: 120, modelRunId: runA, withOrders: true });
    await seedPredictions(t.db, B, { n: 80, idOffset: 5000, withOrders: true, seed: 9 });
    // Customer 1 of shop A: three orders a month apart, one cancelled order and one test order.
    const base = Date.UTC(2025, 0, 10);
    const mk = (id: string, days: number, extra: Record<string, unknown> = {}) => ({
      shop: A,
      id,
      customerId: "1",
      name: `#X${id}`,
      processedAt: new Date(base + days * 86400000),
      shopifyUpdatedAt: new Date(base),
      currencyCode: "USD",
      currentSubtotal: 50,
      total: 55,
      ...extra,
    });
    await t.db.order.createMany({
      data: [mk("o1", 31), mk("o2", 62), mk("o3", 70, { cancelledAt: new Date(base) }), mk("o4", 80, { test: true })],
    });
    await t.db.tierHistory.create({ data: { shop: A, customerId: "1", tier: "high", clv: 300, modelRunId: runA } });
    await t.db.syncRun.create({
      data: { shop: A, kind: "backfill", status: "running", phase: "orders", rowsDone: 250, rowsTotalEstimate: 1000 },
    });
  });
  afterAll(async () => t?.destroy());

  it("dashboard totals, tiers and metrics belong to the shop only", async () => {
    const d = await getDashboard(t.db, A, "profit");
    const sums = await t.db.prediction.aggregate({
      where: { shop: A },
      _sum: { clv: true, clvLow: true, clvHigh: true, historicSpend: true },
    });
    expect(d.predictions).toBe(120);
    expect(d.totalValue).toBeCloseTo(sums._sum.clv!, 6);
    expect(d.historicValue).toBeCloseTo(sums._sum.historicSpend! * d.grossMargin, 6);
    if (d.totalRange) {
      // The total's own interval: inside the (much wider) sum of per-customer bounds.
      expect(d.totalRange.low).toBeLessThan(d.totalValue);
      expect(d.totalRange.high).toBeGreaterThan(d.totalValue);
      expect(d.totalRange.low).toBeGreaterThan(sums._sum.clvLow!);
      expect(d.totalRange.high).toBeLessThan(sums._sum.clvHigh!);
    }
    const revenue = await getDashboard(t.db, A);
    expect(revenue.view).toBe("revenue");
    expect(revenue.totalValue).toBeGreaterThan(d.totalValue); // profit ÷ margin, undiscounted
    expect(revenue.historicValue).toBeCloseTo(sums._sum.historicSpend!, 6);
    expect(d.tiers.reduce((s, x) => s + x.customers, 0)).toBe(120);
    expect(d.tiers.reduce((s, x) => s + x.valueShare, 0)).toBeCloseTo(1, 9);
    expect(d.histogram.bins.reduce((s, b) => s + b.count, 0) + (d.histogram.overflow?.count ?? 0)).toBe(120);
    expect(d.top20Share).toBeGreaterThan(0.2);
    expect(d.lastModel?.champ?.gini).toBe(0.61);
    expect(d.lastModel?.baseline?.name).toBe("past-spend");
    expect(d.status.sync?.fraction).toBe(0.25);
    expect(d.data.customers).toBe(120); // valid orders only; the cancelled/test ones add no customer
    expect(d.data.repeatCustomers).toBe(1); // customer 1: seeded order + o1 + o2
    expect(d.data.enough).toBe(false);
    expect(d.data.missing.join(" ")).toMatch(/at least 200/);
    const b = await getDashboard(t.db, B);
    expect(b.predictions).toBe(80);
    expect(b.status.sync).toBeNull();
  });

  it("customer detail: prediction, orders, P(alive) history, tier history — and nothing across shops", async () => {
    // the model's churn probability and expected next-order date reach the customer page as stored
    await t.db.prediction.updateMany({
      where: { shop: A, customerId: "1" },
      data: { churnProbability: 0.31, nextOrderAt: new Date(Date.UTC(2026, 1, 3)) },
    });
    const c = await getCustomerDetail(t.db, A, "1", new Date(Date.UTC(2025, 11, 31)));
    expect(c?.prediction?.champion).toBe("bgnbd+gg");
    expect(c?.prediction).toMatchObject({ churnProbability: 0.31, nextOrderAt: "2026-02-03T00:00:00.000Z" });
    expect(c?.orders.map((o) => o.status)).toEqual(["unknown", "test", "cancelled", "unknown", "unknown"]);
    expect(c?.orderCounts).toEqual({ recorded: 5, valid: 3, purchaseDays: 3 });
    expect(c?.ordersPage).toEqual({ page: 1, pageCount: 1, pageSize: 20 });
    expect(c?.tierHistory).toHaveLength(1);
    expect(c?.pAliveHistory.length).toBeGreaterThan(10);
    expect(c?.pAliveHistory.filter((p) => p.order)).toHaveLength(3); // seeded order + o1 + o2; cancelled/test ignored
    expect(c?.drivers[0].phrase).toMatch(/Bought/);
    expect(c?.shopifyUrl).toBe(shopifyCustomerUrl(A, "1"));
    expect(await getCustomerDetail(t.db, B, "1")).toBeNull();
    expect(await getCustomerDetail(t.db, A, "5001")).toBeNull();
    const nb = await getCustomerDetail(t.db, B, "5001");
    expect(nb?.pAliveHistory).toEqual([]);
    expect(nb?.pAliveUnavailable).toMatch(/does not define P\(alive\)/);
  });

  it("model page shows the backtest and retrain is idempotent while queued", async () => {
    const m = await getModelPage(t.db, A);
    expect(m.latest?.metrics.candidates.map((c) => [c.name, c.isChampion, c.isBaseline])).toEqual([
      ["bgnbd+gg", true, false],
      ["past-spend", false, true],
    ]);
    expect(m.latest?.metrics.deciles).toHaveLength(10);
    // the model card shows the served factor and the served range's measured coverage
    expect(m.latest?.metrics.candidates[0]).toMatchObject({
      scale: 0.8,
      servingScale: 0.9,
      servedInterval: { coverage: 0.78, nominal: 0.8, levelFold: "2025-11-01", measuredFold: "2025-12-01" },
    });
    const r1 = await requestRetrain(t.db, A);
    const r2 = await requestRetrain(t.db, A);
    expect(r1.created).toBe(true);
    expect(r2).toEqual({ runId: r1.runId, jobId: null, created: false });
    const job = await t.db.job.findFirst({ where: { id: r1.jobId! } });
    expect(job).toMatchObject({ shop: A, type: "training.run", status: "queued" });
    expect(JSON.parse(job!.payload)).toEqual({ runId: r1.runId, trigger: "manual" });
    const st = await getShopStatus(t.db, A);
    expect(st.training).toMatchObject({ id: r1.runId, status: "queued", running: true });
    expect(await t.db.modelRun.count({ where: { shop: B, status: "queued" } })).toBe(0);
  });

  it("cohorts count valid orders only", async () => {
    const { cohorts, orders } = await getCohorts(t.db, A, new Date(Date.UTC(2026, 11, 1)));
    expect(orders).toBe(122);
    expect(cohorts.reduce((s, c) => s + c.customers, 0)).toBe(120);
  });
});
