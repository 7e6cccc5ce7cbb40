/**
 * Billing in the background, end to end against the local Admin API: a shop over the free tier
 * without a subscription keeps syncing (the backfill imports every customer), but its paid work
 * pauses — the training the backfill queues is recorded "paused" on the Status page with the plan to
 * upgrade to, its model run ends, nothing is scored or written back. After the merchant approves a
 * subscription the gate lets paid work run; the demo store is never paused.
 */
import { afterEach, describe, expect, it } from "vitest";
import "~/job-runtime/all-job-handlers.server"; // registers every job handler
import { planNamed } from "~/billing/plans";
import { paidWorkGate } from "~/billing/paid-work.server";
import { forgetSubscriptions } from "~/billing/gate.server";
import { requestSubscription } from "~/billing/shopify-billing.server";
import { startWorker, type Worker } from "~/jobs/job-loop.server";
import { getLifecycleStatus } from "~/lifecycle/status.server";
import { requestBackfill } from "~/sync/backfill.server";
import { approveSubscription } from "../fake-admin/billing";
import { createSyncEnv, waitFor, type SyncEnv } from "./backfill-helpers";

let env: SyncEnv | undefined;
let worker: Worker | undefined;
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await env?.close();
  env = undefined;
});

const quiet = { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

describe("paid background work and billing", () => {
  it("over the free tier without a subscription: the sync runs, training pauses and says why on the Status page", async () => {
    env = await createSyncEnv("sqlite", { seed: 61, customers: 1_100, orders: 300 });
    const { db } = env.db;
    worker = startWorker({
      db,
      queue: env.queue,
      adminFor: env.adminFor,
      paidWork: paidWorkGate({ db, cacheMs: 0 }),
      pollMs: 20,
      log: quiet,
    });
    await requestBackfill(db, env.queue, env.shop);
    const status = async () => (await getLifecycleStatus(db, env!.shop)).steps.find((s) => s.step === "training");
    await waitFor(async () => (await status())?.status === "paused", 60_000, 50);

    // The sync kept the data fresh…
    expect(await db.customer.count({ where: { shop: env.shop } })).toBe(1_100);
    // …the paid step did not run, and the Status page says why and what to do.
    const training = (await status())!;
    expect(training.lastResult).toMatchObject({
      status: "paused",
      plan: "Free",
      customers: 1_100,
      upgradeTo: "Growth",
      reason: expect.stringMatching(/1,100 customers exceed the Free plan \(1,000\); subscribe to Growth/),
    });
    const runs = await db.modelRun.findMany({ where: { shop: env.shop } });
    expect(runs.map((r) => [r.status, r.progressStage])).toEqual([["cancelled", "paused (billing)"]]);
    expect(await db.prediction.count({ where: { shop: env.shop } })).toBe(0);
    await worker.idle();
    expect(await db.job.count({ where: { shop: env.shop, type: "lifecycle.score" } })).toBe(0);
  });

  it("after the merchant approves a subscription, paid work may run; the demo store is never paused", async () => {
    env = await createSyncEnv("sqlite", { seed: 62, customers: 5, orders: 10 });
    const { db } = env.db;
    await db.customer.createMany({
      data: Array.from({ length: 1_001 }, (_, i) => ({ shop: env!.shop, id: String(900_000 + i) })),
    });
    const gate = paidWorkGate({ db, cacheMs: 0 });
    const admin = () => env!.adminFor(env!.shop);
    expect(await gate(env.shop, admin)).toMatchObject({ status: "paused", upgradeTo: "Growth" });

    let asked = 0;
    const demo = paidWorkGate({ db, exemptShop: env.shop, cacheMs: 0 });
    expect(
      await demo(env.shop, () => {
        asked++;
        return admin();
      }),
    ).toBeNull();
    expect(asked).toBe(0);

    const { subscriptionId } = await requestSubscription(await admin(), planNamed("Growth")!, {
      returnUrl: "https://app.example.com/app/billing",
      test: true,
    });
    expect(await gate(env.shop, admin)).not.toBeNull(); // pending: not approved yet
    approveSubscription(env.store, subscriptionId);
    forgetSubscriptions(env.shop);
    expect(await gate(env.shop, admin)).toBeNull();
  });
});
