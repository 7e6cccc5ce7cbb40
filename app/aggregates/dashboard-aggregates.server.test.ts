import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "~/db/test-db";
import { redactCustomer } from "~/models/privacy.server";
import { seedPredictions } from "../../test/support/seed-predictions";
import {
  AGGREGATES_VERSION,
  buildAggregates,
  FINE_BINS,
  computeAggregates,
  getAggregates,
  invalidateAggregates,
  readCachedAggregates,
  type PredictionAggregates,
} from "./dashboard-aggregates.server";
import { clvHistogram, concentrationCurve } from "~/presentation/stats";
import { getDashboard } from "~/pages/dashboard.server";
import { getCustomerDetail } from "~/pages/customer-detail.server";
import { currentIntervalLevel } from "./dashboard-aggregates.server";
import { writePredictions } from "~/training/load.server";
import type { CustomerScores } from "~/training/score";

const A = "agg-a.myshopify.com";
const B = "agg-b.myshopify.com";

/** The aggregates recomputed independently, in JS, from every prediction row of the shop. */
async function recompute(t: TestDb, shop: string) {
  const rows = await t.db.prediction.findMany({ where: { shop } });
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  const sorted = Float64Array.from(rows.map((r) => r.clv).sort((a, b) => a - b));
  const tiers = new Map<string, { customers: number; value: number; low: number; high: number; sq: number }>();
  for (const r of rows) {
    const x = tiers.get(r.tier) ?? { customers: 0, value: 0, low: 0, high: 0, sq: 0 };
    x.customers++;
    x.value += r.clv;
    x.low += r.clvLow;
    x.high += r.clvHigh;
    x.sq += (r.clvHigh - r.clvLow) ** 2;
    tiers.set(r.tier, x);
  }
  return {
    predictions: rows.length,
    modelRunId: Math.max(...rows.map((r) => r.modelRunId)),
    totalValue: sum((r) => r.clv),
    totalLow: sum((r) => r.clvLow),
    totalHigh: sum((r) => r.clvHigh),
    sumSquaredWidths: sum((r) => (r.clvHigh - r.clvLow) ** 2),
    historicSpend: sum((r) => r.historicSpend),
    tiers,
    histogram: clvHistogram(sorted, FINE_BINS),
    ...concentrationCurve(sorted, 50),
  };
}

function expectEqualToRecomputed(a: PredictionAggregates | null, r: Awaited<ReturnType<typeof recompute>>) {
  expect(a).not.toBeNull();
  expect(a!.predictions).toBe(r.predictions);
  expect(a!.modelRunId).toBe(r.modelRunId);
  expect(a!.totalValue).toBeCloseTo(r.totalValue, 6);
  expect(a!.totalLow).toBeCloseTo(r.totalLow, 6);
  expect(a!.totalHigh).toBeCloseTo(r.totalHigh, 6);
  expect(a!.sumSquaredWidths / r.sumSquaredWidths).toBeCloseTo(1, 9);
  expect(a!.historicSpend).toBeCloseTo(r.historicSpend, 6);
  expect(a!.tiers.map((t) => t.tier).sort()).toEqual([...r.tiers.keys()].sort());
  for (const t of a!.tiers) {
    const x = r.tiers.get(t.tier)!;
    expect(t.customers).toBe(x.customers);
    expect(t.value).toBeCloseTo(x.value, 6);
    expect(t.low).toBeCloseTo(x.low, 6);
    expect(t.high).toBeCloseTo(x.high, 6);
    expect(t.sumSquaredWidths - x.sq).toBeCloseTo(0, 3);
    expect(t.valueShare).toBeCloseTo(x.value / r.totalValue, 9);
  }
  expect(a!.histogram.bins.map((b) => b.count)).toEqual(r.histogram.bins.map((b) => b.count));
  expect(a!.histogram.overflow?.count ?? 0).toBe(r.histogram.overflow?.count ?? 0);
  expect(a!.gini).toBeCloseTo(r.gini, 9);
  a!.lorenz.forEach((p, i) => expect(p.valueShare).toBeCloseTo(r.curve[i].valueShare, 9));
}

const cachedRaw = async (t: TestDb, shop: string) =>
  (
    await t.db.modelRun.findMany({ where: { shop }, select: { id: true, aggregates: true }, orderBy: { id: "asc" } })
  ).map((r) => [
    r.id,
    r.aggregates === null ? null : (JSON.parse(r.aggregates).version ?? JSON.parse(r.aggregates).state),
  ]);

describe.each(await testProviders())("dashboard aggregates cache on %s", (provider) => {
  let t: TestDb;
  let runA: number;
  beforeAll(async () => {
    t = await createTestDb(provider);
    runA = await seedPredictions(t.db, A, { n: 300, seed: 3, withOrders: true });
    await seedPredictions(t.db, B, { n: 50, idOffset: 9000, seed: 4 });
  });
  afterAll(async () => t?.destroy());

  it("built aggregates equal a recomputation from the predictions, per shop", async () => {
    expect(await readCachedAggregates(t.db, A)).toBeNull();
    const built = await buildAggregates(t.db, A);
    expectEqualToRecomputed(built, await recompute(t, A));
    expect(built!.modelRunId).toBe(runA);
    // Stored on the predictions' run and read back unchanged.
    expect(await readCachedAggregates(t.db, A)).toEqual(built);
    expect(await cachedRaw(t, A)).toEqual([[runA, AGGREGATES_VERSION]]);
    // Shop B is untouched by A's cache and computes its own.
    expect(await readCachedAggregates(t.db, B)).toBeNull();
    expectEqualToRecomputed(await getAggregates(t.db, B), await recompute(t, B));
    expect((await readCachedAggregates(t.db, A))!.predictions).toBe(300);
  });

  it("a ready cache is what the dashboard serves (no recomputation)", async () => {
    await getAggregates(t.db, A);
    // Poison the stored totals (outside any prediction change): the dashboard must show them,
    // which proves it reads the cache rather than the predictions.
    const cached = (await readCachedAggregates(t.db, A))!;
    await t.db.modelRun.update({
      where: { id: runA },
      data: { aggregates: JSON.stringify({ ...cached, totalValue: 12345.5 }) },
    });
    expect((await getDashboard(t.db, A, "profit")).totalValue).toBe(12345.5);
    await t.db.modelRun.update({ where: { id: runA }, data: { aggregates: JSON.stringify(cached) } });
  });

  it("GDPR redaction of a customer drops the shop's cache in the same transaction; the next read excludes them", async () => {
    await getAggregates(t.db, A);
    await getAggregates(t.db, B);
    const before = (await readCachedAggregates(t.db, A))!;
    const gone = await t.db.prediction.findUniqueOrThrow({ where: { shop_customerId: { shop: A, customerId: "7" } } });
    await redactCustomer(t.db, A, "7");
    expect(await readCachedAggregates(t.db, A)).toBeNull();
    expect(await readCachedAggregates(t.db, B)).not.toBeNull(); // other shop's cache kept
    const after = await getAggregates(t.db, A);
    expectEqualToRecomputed(after, await recompute(t, A));
    expect(after!.predictions).toBe(before.predictions - 1);
    expect(after!.totalValue).toBeCloseTo(before.totalValue - gone.clv, 6);
  });

  it("a new run's predictions (delete + insert) and an in-place rescoring both invalidate", async () => {
    await getAggregates(t.db, A);
    const run2 = (
      await t.db.modelRun.create({ data: { shop: A, status: "completed", champion: "btyd", promoted: true } })
    ).id;
    await t.db.$transaction(async (tx) => {
      await tx.prediction.deleteMany({ where: { shop: A } });
      await seedPredictions(tx as never, A, { n: 120, seed: 11, modelRunId: run2 });
    });
    expect(await readCachedAggregates(t.db, A)).toBeNull();
    const a2 = await getAggregates(t.db, A);
    expect(a2!.modelRunId).toBe(run2);
    expectEqualToRecomputed(a2, await recompute(t, A));
    expect(await cachedRaw(t, A)).toEqual([
      [runA, null],
      [run2, AGGREGATES_VERSION],
    ]);
    // Rescoring with the same run: values change in place.
    await t.db.prediction.updateMany({
      where: { shop: A, customerId: { in: ["1", "2", "3"] } },
      data: { clv: 5000, clvHigh: 7000 },
    });
    expect(await readCachedAggregates(t.db, A)).toBeNull();
    expectEqualToRecomputed(await getAggregates(t.db, A), await recompute(t, A));
  });

  it("insert-only writers: seeding more predictions into a shop with a ready cache drops it", async () => {
    await getAggregates(t.db, B);
    await seedPredictions(t.db, B, { n: 7, idOffset: 60_000, seed: 5 });
    expect(await readCachedAggregates(t.db, B)).toBeNull();
    expectEqualToRecomputed(await getAggregates(t.db, B), await recompute(t, B));
    // Predictions of two runs: stored on the newer run, and no building marker is left behind.
    expect((await readCachedAggregates(t.db, B))?.predictions).toBe(57);
    expect((await cachedRaw(t, B)).map(([, v]) => v)).toEqual([null, AGGREGATES_VERSION]);
  });

  it("a change while the aggregates are being built is not stored as current", async () => {
    await t.db.prediction.updateMany({ where: { shop: A, customerId: "4" }, data: { clv: 1 } }); // clear
    const first = await t.db.prediction.findFirstOrThrow({ where: { shop: A }, select: { modelRunId: true } });
    // Simulate a builder that marked the run, then a prediction change, then its store attempt.
    const marker = JSON.stringify({ state: "building", token: "x" });
    await t.db.modelRun.update({ where: { id: first.modelRunId }, data: { aggregates: marker } });
    expect(await readCachedAggregates(t.db, A)).toBeNull(); // a marker is not a cache
    await t.db.prediction.deleteMany({ where: { shop: A, customerId: "5" } });
    const stored = await t.db.modelRun.updateMany({
      where: { id: first.modelRunId, aggregates: marker },
      data: { aggregates: JSON.stringify(await computeAggregates(t.db, A)) },
    });
    expect(stored.count).toBe(0);
    expectEqualToRecomputed(await getAggregates(t.db, A), await recompute(t, A));
  });

  it("a build racing an uncommitted prediction change never stores the pre-change aggregates", async () => {
    await invalidateAggregates(t.db, A);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let deleted!: () => void;
    const didDelete = new Promise<void>((r) => (deleted = r));
    const writer = t.db.$transaction(
      async (tx) => {
        await tx.prediction.deleteMany({ where: { shop: A, customerId: "8" } });
        deleted();
        await gate;
      },
      { timeout: 30_000 },
    );
    await didDelete;
    const build = buildAggregates(t.db, A);
    await new Promise((r) => setTimeout(r, 300));
    release();
    await writer;
    await build;
    const cached = await readCachedAggregates(t.db, A);
    if (cached) expectEqualToRecomputed(cached, await recompute(t, A));
    expectEqualToRecomputed(await getAggregates(t.db, A), await recompute(t, A));
  });

  it("no predictions: no aggregates, the dashboard computes the data requirements live", async () => {
    const shop = "agg-empty.myshopify.com";
    expect(await getAggregates(t.db, shop)).toBeNull();
    const d = await getDashboard(t.db, shop);
    expect(d.predictions).toBe(0);
    expect(d.data.enough).toBe(false);
    expect(d.aggregatesAt).toBeNull();
  });

  it("the interval level of the serving run is recorded on the run and shown by all three pages", async () => {
    const shop = "agg-level.myshopify.com";
    const cov = [
      [0.1, 0],
      [0, 0.1],
    ];
    const artefact = {
      format: "horizon-model-v1",
      champion: "btyd",
      btyd: { bg: { logParamCovariance: cov }, gg: { logParamCovariance: cov }, meanValue: 1 },
      deep: {},
      ensembleWeights: null,
    };
    const run = (
      await t.db.modelRun.create({
        data: {
          shop,
          status: "completed",
          champion: "btyd",
          promoted: true,
          reason: "beat the baseline",
          artefact: JSON.stringify(artefact),
        },
      })
    ).id;
    await seedPredictions(t.db, shop, { n: 40, modelRunId: run, idOffset: 70_000 });
    const d = await getDashboard(t.db, shop);
    expect(d.interval).toEqual({ lower: 0.05, upper: 0.95, method: "bootstrap" });
    expect(d.intervalLabel).toBe("90 % interval");
    expect(d.lastModel?.reason).toBe("beat the baseline");
    expect(
      await t.db.modelRun.findUnique({
        where: { id: run },
        select: { intervalLower: true, intervalUpper: true, intervalMethod: true },
      }),
    ).toEqual({ intervalLower: 0.05, intervalUpper: 0.95, intervalMethod: "bootstrap" });
    // Once recorded, the run's columns are the source (the artefact is no longer read).
    await t.db.modelRun.update({ where: { id: run }, data: { artefact: null } });
    expect((await currentIntervalLevel(t.db, shop))?.level?.method).toBe("bootstrap");
    const c = await getCustomerDetail(t.db, shop, "70001");
    expect(c?.prediction?.intervalLabel).toBe("90 % interval");
    expect(c?.prediction?.intervalExplanation).toMatch(/5th–95th percentile/);
    // A run without a known format: level unknown, said so, nothing recorded.
    const other = "agg-level-unknown.myshopify.com";
    const run2 = (
      await t.db.modelRun.create({
        data: { shop: other, status: "completed", artefact: JSON.stringify({ unit: "week" }) },
      })
    ).id;
    await seedPredictions(t.db, other, { n: 5, modelRunId: run2, idOffset: 80_000 });
    expect((await getDashboard(t.db, other)).intervalLabel).toMatch(/not recorded/);
    expect((await t.db.modelRun.findUnique({ where: { id: run2 } }))?.intervalMethod).toBeNull();
  });

  it("the trainer's writePredictions leaves a ready cache equal to a recomputation (training and rescoring)", async () => {
    const shop = "agg-train.myshopify.com";
    const run = (await t.db.modelRun.create({ data: { shop, status: "running" } })).id;
    const scores = (k: number): CustomerScores => {
      const n = 30;
      const f = (g: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => g(i));
      return {
        customerIds: Array.from({ length: n }, (_, i) => String(i + 1)),
        clv: f((i) => (i + 1) * k),
        clvLow: f((i) => (i + 1) * k * 0.5),
        clvHigh: f((i) => (i + 1) * k * 2),
        pAlive: f(() => 0.5),
        churnProbability: f(() => 0.6),
        nextOrderAt: f(() => Number.NaN),
        expectedOrders: f(() => 1),
        orderValue: f(() => 50),
        historicSpend: f((i) => i * 10),
        orderCount: Int32Array.from({ length: n }, () => 2),
        firstAt: f(() => Date.UTC(2025, 0, 1)),
        lastAt: f(() => Date.UTC(2025, 5, 1)),
        tier: Array.from({ length: n }, (_, i) => (i >= 20 ? "gold" : "bronze")),
        drivers: Array.from({ length: n }, () => []),
        interval: { lower: 0.1, upper: 0.9, method: "ziln" },
      };
    };
    await writePredictions(t.db, shop, run, scores(1));
    // the level the scores were computed at is recorded on the run by the trainer itself
    expect(
      await t.db.modelRun.findUnique({
        where: { id: run },
        select: { intervalLower: true, intervalUpper: true, intervalMethod: true },
      }),
    ).toEqual({ intervalLower: 0.1, intervalUpper: 0.9, intervalMethod: "ziln" });
    expect((await currentIntervalLevel(t.db, shop))?.level).toEqual({ lower: 0.1, upper: 0.9, method: "ziln" });
    const a = await readCachedAggregates(t.db, shop);
    expectEqualToRecomputed(a, await recompute(t, shop));
    expect(a!.totalValue).toBe(465);
    await writePredictions(t.db, shop, run, scores(3)); // rescoring: same run, new values
    const b = await readCachedAggregates(t.db, shop);
    expect(b!.totalValue).toBe(1395);
    expectEqualToRecomputed(b, await recompute(t, shop));
  });
});
