import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "~/db/test-db";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { runJob } from "~/jobs/job-loop.server";
import { getModelRun, requestModelRunCancel } from "~/models/runs.server";
import "~/lifecycle/lifecycle-job-handlers.server"; // registers training.run (with the lifecycle's chaining)
import { enqueueTraining, scoreShop, TRAINING_JOB, type TrainingJobPayload } from "./training-job.server";
import { syntheticShopOrders } from "./synthetic";

const SHOP = "trainer-test.myshopify.com";
const OTHER = "other-shop.myshopify.com";
let h: TestDb;
let queue: DbJobQueue;

async function runOne(payload: Omit<TrainingJobPayload, "runId">, duringRun?: (runId: number) => Promise<void>) {
  const { runId } = await enqueueTraining(h.db, queue, SHOP, payload);
  const job = await queue.claim("w1", [TRAINING_JOB]);
  expect(job?.type).toBe(TRAINING_JOB);
  const p = runJob({
    db: h.db,
    queue,
    workerId: "w1",
    job: job!,
    signal: new AbortController().signal,
    log: { ...console, warn: () => {}, error: () => {} } as Console,
  });
  await duringRun?.(runId);
  await p;
  return (await getModelRun(h.db, SHOP, runId))!;
}

describe("training.run job", () => {
  beforeAll(async () => {
    h = await createTestDb("sqlite");
    queue = new DbJobQueue(h.db, h.provider);
    const orders = syntheticShopOrders({ customers: 400, seed: 11 });
    await h.db.order.createMany({
      data: orders.map((o, i) => ({
        shop: SHOP,
        id: String(i + 1),
        customerId: o.customerId,
        processedAt: new Date(o.processedAt as number),
        shopifyUpdatedAt: new Date(o.processedAt as number),
        currencyCode: "USD",
        subtotal: o.amount,
        currentSubtotal: o.amount,
        totalDiscounts: o.discount ?? 0,
        sourceName: o.sourceName ?? null,
        countryCode: o.countryCode ?? null,
        productIds: JSON.stringify(o.productIds ?? []),
      })),
    });
    // Another shop's orders must never leak into this shop's training.
    await h.db.order.create({
      data: {
        shop: OTHER,
        id: "x1",
        customerId: "intruder",
        processedAt: new Date("2024-01-01"),
        shopifyUpdatedAt: new Date(),
        currencyCode: "USD",
        subtotal: 1e6,
      },
    });
  });
  afterAll(async () => {
    await h?.destroy();
  });

  it("trains in a worker, records progress and writes predictions + tier history for a shop without a model", async () => {
    const run = await runOne({ deep: { epochs: 2, batchSize: 128 }, lstm: { epochs: 1, rnnUnits: 4 } });
    expect(run.error).toBeNull();
    expect(run.status).toBe("completed");
    expect(run.promoted).toBe(true);
    expect(run.progressStage).toBe("done");
    expect(run.progressTotal).toBeGreaterThan(0);
    const metrics = JSON.parse(run.metrics);
    expect(Object.keys(metrics.candidates)).toEqual(
      expect.arrayContaining(["dnn", "lstm", "btyd", "baseline", "ensemble"]),
    );
    const preds = await h.db.prediction.findMany({ where: { shop: SHOP } });
    expect(preds.length).toBe(400);
    expect(preds.every((p) => p.modelRunId === run.id && Number.isFinite(p.clv) && p.clvLow <= p.clvHigh)).toBe(true);
    expect(await h.db.prediction.count({ where: { customerId: "intruder" } })).toBe(0);
    expect(await h.db.tierHistory.count({ where: { shop: SHOP } })).toBe(400);
    expect(run.artefact).not.toContain('"c1"');
  });

  it("never serves a diverged model: past spend (backtested beside it) is served, labelled", async () => {
    const run = await runOne({ candidates: ["dnn"], deep: { epochs: 2, learningRate: 1e9 } });
    expect(run.status).toBe("completed");
    expect(run.promoted).toBe(true);
    expect(run.champion).toBe("baseline");
    expect(run.reason).toMatch(/dnn diverged/);
    expect(run.reason).toMatch(/past spend is served/);
    const preds = await h.db.prediction.findMany({ where: { shop: SHOP } });
    expect(preds.every((p) => p.modelRunId === run.id && p.churnProbability !== null)).toBe(true);
  });

  it("re-scores every customer from the saved artefact without training", async () => {
    const promoted = await h.db.modelRun.findFirst({ where: { shop: SHOP, promoted: true }, orderBy: { id: "desc" } });
    const result = await scoreShop(h.db, SHOP);
    // The transparent fallback is scored like any champion (settings changes apply without a retrain).
    expect(result).toMatchObject({ status: "scored", runId: promoted!.id, written: 400 });
    const preds = await h.db.prediction.findMany({ where: { shop: SHOP } });
    expect(preds.every((p) => p.modelRunId === promoted!.id && Number.isFinite(p.clv))).toBe(true);
    // Incremental: only the listed customers' rows are rewritten.
    const some = preds.slice(0, 3).map((p) => p.customerId);
    const before = await h.db.prediction.findMany({ where: { shop: SHOP, customerId: { notIn: some } } });
    const r2 = await scoreShop(h.db, SHOP, { onlyCustomers: some, asOf: Date.now() + 30 * 86_400_000 });
    expect(r2).toMatchObject({ status: "scored", written: 3 });
    expect(await h.db.prediction.findMany({ where: { shop: SHOP, customerId: { notIn: some } } })).toEqual(before);
  });

  it("honours a cancel request while training", async () => {
    const run = await runOne(
      { candidates: ["lstm"], lstm: { epochs: 200, batchSize: 16, rnnUnits: 32 }, deep: { patience: 1000 } as never },
      async (runId) => {
        for (let i = 0; i < 100; i++) {
          await new Promise((r) => setTimeout(r, 200));
          const r = await getModelRun(h.db, SHOP, runId);
          if (r?.progressStage?.startsWith("training")) break;
        }
        await requestModelRunCancel(h.db, SHOP, runId);
      },
    );
    expect(run.status).toBe("cancelled");
  });
});
