/**
 * The shop lifecycle end to end against the local Admin API (issue 9's "Must show"): install a
 * store of 2,000 customers and call nothing else — the lifecycle reads the shop facts, backfills,
 * trains, scores and writes back until every predicted customer carries its tier tag and every
 * declared metafield (type-checked by the fake, in the shop's currency, EUR here). The app's own
 * customers/update echoes change nothing; a nightly run with no new data writes nothing; 50 orders
 * delivered by webhook are rescored within the debounce window and only those customers change.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "~/job-runtime/all-job-handlers.server";
import { startJobProcess, type JobProcess } from "~/jobs/job-process.server";
import { installShop } from "~/lifecycle/chain.server";
import { getLifecycleStatus } from "~/lifecycle/status.server";
import { LIFECYCLE_JOBS } from "~/lifecycle/steps";
import { CUSTOMER_METAFIELDS } from "~/lifecycle/writeback-plan";
import { atRiskTag } from "~/actions/tags";
import { atRiskCustomerIds } from "~/models/actions.server";
import { getStep } from "~/models/lifecycle.server";
import { requestBackfill } from "~/sync/backfill.server";
import { invalidMetafieldValue } from "../fake-admin/resolvers";
import { createWebhookSender, type WebhookEvent } from "../fake-admin/webhook-sender";
import { startWebhookApp, type WebhookApp } from "../support/webhook-app";
import { createSyncEnv, SECRET, waitFor, type SyncEnv } from "./backfill-helpers";

const DEBOUNCE_MS = 4_000;
let env: SyncEnv;
let app: WebhookApp;
let jobs: JobProcess;

const AT_RISK = atRiskTag("clv");

/** Tags (the at-risk tag apart) and metafield values of every customer in the store. */
function snapshot(e: SyncEnv): Map<string, { tags: string[]; atRisk: boolean; mf: Record<string, string> }> {
  return new Map(
    [...e.store.customers.values()].map((c) => [
      String(c.id),
      {
        tags: [...c.tags].filter((t) => t !== AT_RISK).sort(),
        atRisk: c.tags.includes(AT_RISK),
        mf: Object.fromEntries([...c.metafields].map(([k, m]) => [k, m.value])),
      },
    ]),
  );
}

/**
 * Waits until no webhook processing or lifecycle job is queued (due) or running. One query for both
 * states: a step enqueues its successor while it is still running, so the chain is never seen empty
 * between two steps (two separate counts could each miss a job moving from queued to running).
 */
async function settled(e: SyncEnv) {
  await e.fake.flushWebhooks();
  await waitFor(
    async () =>
      (await e.db.db.job.count({
        where: {
          OR: [{ status: "running" }, { status: "queued", runAt: { lte: new Date() } }],
          type: { not: LIFECYCLE_JOBS.nightly },
        },
      })) === 0,
    60_000,
    50,
  );
}

beforeAll(async () => {
  let appUrl = "";
  env = await createSyncEnv(
    "sqlite",
    { seed: 21, customers: 2_000, orders: 6_000, shop: { currencyCode: "EUR", domain: "eur-store.myshopify.com" } },
    { bulkDelayMs: 30, webhookBaseUrl: () => appUrl, forwardMutationEvents: true },
  );
  app = await startWebhookApp(env.db.db);
  appUrl = app.url;
  // The facts step must read the currency: nothing is known about the shop before the install.
  await env.db.db.shop.deleteMany({ where: { shop: env.shop } });
  jobs = startJobProcess({
    db: env.db.db,
    provider: "sqlite",
    closeDb: async () => undefined,
    adminFor: env.adminFor,
    tuning: {
      training: { candidates: ["btyd"] },
      writeback: { bulk: { pollMs: 20, maxPollMs: 100 } },
      rescoreDebounceMs: DEBOUNCE_MS,
    },
    scheduler: false,
    handleSignals: false,
    worker: { pollMs: 25 },
    log: { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) },
  });
}, 60_000);

afterAll(async () => {
  await env?.fake.flushWebhooks();
  await jobs?.worker.stop();
  app?.close();
  await env?.close();
});

describe("shop lifecycle (local Admin API, 2,000 customers, EUR)", () => {
  it("install alone ends with every customer tagged and every declared metafield written", async () => {
    await installShop(env.db.db, env.queue, env.shop, { scopes: "read_customers,write_customers,read_orders" });
    await waitFor(async () => {
      const s = await getLifecycleStatus(env.db.db, env.shop);
      const failed = s.steps.find((x) => x.status === "failed");
      if (failed) throw new Error(`step ${failed.step} failed: ${failed.lastError}`);
      return s.readyAt;
    }, 150_000);
    await settled(env);

    const shop = await env.db.db.shop.findUnique({ where: { shop: env.shop } });
    expect(shop).toMatchObject({ currencyCode: "EUR", ianaTimezone: "America/New_York", primaryLocale: "en" });
    const run = await env.db.db.modelRun.findFirst({ where: { shop: env.shop, promoted: true } });
    expect(run?.champion === "btyd" || run?.champion === "fallback").toBe(true);

    const preds = await env.db.db.prediction.findMany({ where: { shop: env.shop } });
    const withOrders = new Set(
      [...env.store.orders.values()].filter((o) => !o.test && o.customerId).map((o) => String(o.customerId)),
    );
    expect(preds.length).toBe(withOrders.size);
    expect(preds.length).toBeGreaterThan(1_000);
    for (const p of preds) {
      const c = env.store.customers.get(Number(p.customerId))!;
      expect(c.tags).toContain(`clv:${p.tier}`);
      for (const [key, type] of Object.entries(CUSTOMER_METAFIELDS)) {
        const m = c.metafields.get(`$app.${key}`);
        if (key === "churn_probability" && p.churnProbability === null) continue;
        if (key === "next_order_at" && p.nextOrderAt === null) continue;
        expect(m?.type, `${key} of customer ${p.customerId}`).toBe(type);
        expect(invalidMetafieldValue(type, m!.value)).toBeNull();
        if (type === "money") expect(JSON.parse(m!.value).currency_code).toBe("EUR");
      }
      expect(c.metafields.get("$app.clv_tier")?.value).toBe(p.tier);
    }
    expect(env.fake.validationFailures).toEqual([]);
    const status = await getLifecycleStatus(env.db.db, env.shop);
    expect(status.steps.map((s) => s.step)).toEqual(
      expect.arrayContaining(["facts", "backfill", "training", "scoring", "writeback"]),
    );
    expect(status.steps.find((s) => s.step === "nightly")?.nextRunAt).toBeTruthy();
    expect(status.audits[0]).toMatchObject({ trigger: "install", status: "completed" });
  }, 240_000);

  it("the next nightly run with no new data writes zero mutations (echoes of our tags changed nothing)", async () => {
    await env.queue.enqueue(env.shop, LIFECYCLE_JOBS.nightly, {});
    const audit = await waitFor(
      () => env.db.db.writebackAudit.findFirst({ where: { shop: env.shop, trigger: "nightly", status: "completed" } }),
      120_000,
    );
    expect(audit).toMatchObject({ mutations: 0, customersTouched: 0, requests: 0 });
    expect(audit.customersConsidered).toBeGreaterThan(1_000);
    await settled(env);
  }, 150_000);

  it("50 orders by webhook: only those customers change, within the debounce window", async () => {
    const before = snapshot(env);
    const preds = await env.db.db.prediction.findMany({ where: { shop: env.shop }, take: 50, orderBy: { clv: "asc" } });
    const affected = new Set(preds.map((p) => p.customerId));
    const events: WebhookEvent[] = [];
    preds.forEach((p, i) =>
      events.push(
        ...env.store.createOrder({
          customerId: Number(p.customerId),
          lineItems: [
            { id: env.store.nextId(), productId: 9_100_001 + i, title: "x", quantity: 1, unitPriceCents: 90_000 },
          ],
        }).events,
      ),
    );
    const t0 = Date.now();
    const report = await createWebhookSender({ baseUrl: app.url, secret: SECRET, seed: 3 }).deliverAll(events, {
      concurrency: 4,
    });
    expect(report.unacknowledged).toEqual([]);
    // Deliveries that reach the app after a rescoring's cutoff are picked up by the next debounced run.
    await waitFor(
      () =>
        env.db.db.writebackAudit.findFirst({ where: { shop: env.shop, trigger: "incremental", status: "completed" } }),
      60_000,
      50,
    );
    await settled(env);
    await waitFor(
      async () =>
        (await env.db.db.job.count({
          where: { type: LIFECYCLE_JOBS.rescore, status: { in: ["queued", "running"] } },
        })) === 0,
      60_000,
      50,
    );
    await settled(env);
    const audits = await env.db.db.writebackAudit.findMany({ where: { shop: env.shop, trigger: "incremental" } });
    const wbJobs = await env.db.db.job.findMany({ where: { shop: env.shop, type: "writeback.run" } });
    expect(
      audits.filter((a) => a.status !== "completed").map((a) => [a.id, a.status, a.errors]),
      JSON.stringify(wbJobs.map((j) => [j.id, j.status, j.attempts, j.progress, j.lastError])),
    ).toEqual([]);
    const took = Math.max(...audits.map((a) => a.finishedAt!.getTime())) - t0;
    expect(took).toBeLessThan(2 * DEBOUNCE_MS + 30_000); // debounce windows plus rescoring on a loaded machine
    const considered = audits.reduce((n, a) => n + a.customersConsidered, 0);
    expect(considered).toBeGreaterThanOrEqual(50);
    expect(considered).toBeLessThanOrEqual(100); // a customer counted twice only if its order changed twice
    const audit = {
      mutations: audits.reduce((n, a) => n + a.mutations, 0),
      customersTouched: audits.reduce((n, a) => n + a.customersTouched, 0),
    };
    const after = snapshot(env);
    let changedValues = 0;
    for (const [id, b] of before) {
      const a = after.get(id)!;
      const diff = Object.keys(a.mf).filter((k) => a.mf[k] !== b.mf[k]).length;
      const tagOps =
        (a.tags.some((t) => !b.tags.includes(t)) ? 1 : 0) + (b.tags.some((t) => !a.tags.includes(t)) ? 1 : 0);
      if (!affected.has(id))
        expect({ id, diff, tagOps, atRisk: a.atRisk }).toEqual({ id, diff: 0, tagOps: 0, atRisk: b.atRisk });
      changedValues += diff + tagOps;
    }
    // The actions step tagged the rescored customers' at-risk state (and only theirs).
    const atRiskNow = new Set(await atRiskCustomerIds(env.db.db, env.shop));
    for (const id of affected) expect({ id, atRisk: after.get(id)!.atRisk }).toEqual({ id, atRisk: atRiskNow.has(id) });
    expect(audit.mutations).toBe(changedValues);
    expect(audit.mutations).toBeGreaterThan(0);
    expect(audit.customersTouched).toBeLessThanOrEqual(considered);
  }, 120_000);
  it("a manual Sync now after the first backfill rescores every customer and writes what moved", async () => {
    const scoringRuns = (await env.db.db.lifecycleStep.findFirst({ where: { shop: env.shop, step: "scoring" } }))!.runs;
    const { runId, created } = await requestBackfill(env.db.db, env.queue, env.shop);
    expect(created).toBe(true);
    const audit = await waitFor(
      () => env.db.db.writebackAudit.findFirst({ where: { shop: env.shop, trigger: "manual", status: "completed" } }),
      120_000,
      50,
    );
    // Every customer was considered; only tiers that moved with the webhook orders' customers'
    // new CLV ranks (incremental runs keep the others' tiers until a full scoring) are written.
    expect(audit.customersConsidered).toBeGreaterThan(1_000);
    expect(audit.customersTouched).toBeLessThan(100);
    await settled(env);
    const preds = await env.db.db.prediction.findMany({ where: { shop: env.shop } });
    for (const p of preds) expect(env.store.customers.get(Number(p.customerId))!.tags).toContain(`clv:${p.tier}`);
    expect((await getStep(env.db.db, env.shop, "backfill"))?.lastResult).toMatchObject({ runId });
    const scoring = await env.db.db.lifecycleStep.findFirst({ where: { shop: env.shop, step: "scoring" } });
    expect(scoring!.runs).toBe(scoringRuns + 1);
    await settled(env);
  }, 150_000);
});
