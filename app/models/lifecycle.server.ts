/**
 * Lifecycle repository (every query scoped by shop): the per-step state the Status page shows, the
 * shop facts read from Shopify, readiness, and the change queries the incremental rescoring uses.
 */
import { assertShop, chunk, parseJson, type Db } from "./common.server";
import { PREDICTION_FIGURES_SELECT } from "./prediction-figures";

/** A lifecycle step's stored state. */
export interface StepState {
  step: string;
  status: string;
  runs: number;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastResult: unknown;
  lastError: string | null;
}

/** Marks a step queued (keeps its last run). */
export async function markStepQueued(db: Db, shop: string, step: string): Promise<void> {
  assertShop(shop);
  await db.lifecycleStep.upsert({
    where: { shop_step: { shop, step } },
    create: { shop, step, status: "queued" },
    update: { status: "queued" },
  });
}

/** Marks a step running now. */
export async function markStepStarted(db: Db, shop: string, step: string, at = new Date()): Promise<void> {
  assertShop(shop);
  await db.lifecycleStep.upsert({
    where: { shop_step: { shop, step } },
    create: { shop, step, status: "running", lastStartedAt: at, runs: 1 },
    update: { status: "running", lastStartedAt: at, runs: { increment: 1 } },
  });
}

/** Records a step's outcome. */
export async function markStepFinished(
  db: Db,
  shop: string,
  step: string,
  outcome: { status: "done" | "failed" | "skipped" | "queued" | "paused"; result?: unknown; error?: string | null },
): Promise<void> {
  assertShop(shop);
  const data = {
    status: outcome.status,
    lastFinishedAt: new Date(),
    lastResult: outcome.result === undefined ? null : JSON.stringify(outcome.result),
    lastError: outcome.error ?? null,
  };
  await db.lifecycleStep.upsert({
    where: { shop_step: { shop, step } },
    create: { shop, step, ...data },
    update: data,
  });
}

/** Every step's state for a shop. */
export async function listSteps(db: Db, shop: string): Promise<StepState[]> {
  assertShop(shop);
  const rows = await db.lifecycleStep.findMany({ where: { shop } });
  return rows.map((r) => ({ ...r, lastResult: parseJson(r.lastResult, null as unknown) }));
}

/** One step's state (null when it never ran). */
export async function getStep(db: Db, shop: string, step: string): Promise<StepState | null> {
  assertShop(shop);
  const r = await db.lifecycleStep.findUnique({ where: { shop_step: { shop, step } } });
  return r && { ...r, lastResult: parseJson(r.lastResult, null as unknown) };
}

/** Earliest queued job per type for a shop (the steps' next runs). */
export async function nextQueuedJobs(db: Db, shop: string, types: readonly string[]): Promise<Map<string, Date>> {
  assertShop(shop);
  const rows = await db.job.groupBy({
    by: ["type"],
    where: { shop, type: { in: [...types] }, status: "queued" },
    _min: { runAt: true },
  });
  return new Map(rows.filter((r) => r._min.runAt).map((r) => [r.type, r._min.runAt!]));
}

/** The shop's newest queued or running job of a type (its creation time only), null when none. */
export function latestPendingJob(db: Db, shop: string, type: string): Promise<{ createdAt: Date } | null> {
  assertShop(shop);
  return db.job.findFirst({
    where: { shop, type, status: { in: ["queued", "running"] } },
    orderBy: { id: "desc" },
    select: { createdAt: true },
  });
}

/** Stores the shop facts read from Shopify. */
export async function updateShopFacts(
  db: Db,
  shop: string,
  facts: { currencyCode: string; ianaTimezone: string | null; primaryLocale: string | null },
): Promise<void> {
  assertShop(shop);
  await db.shop.upsert({ where: { shop }, create: { shop, ...facts }, update: facts });
}

/** Stamps the first time the install sequence finished (kept on later runs). */
export async function markShopReady(db: Db, shop: string, at = new Date()): Promise<void> {
  assertShop(shop);
  await db.shop.updateMany({ where: { shop, lifecycleReadyAt: null }, data: { lifecycleReadyAt: at } });
}

/** Customers with an order or refund stored or changed after `since` (incremental rescoring). */
export async function customersWithOrderChangesSince(db: Db, shop: string, since: Date): Promise<string[]> {
  assertShop(shop);
  const [orders, refunds] = await Promise.all([
    db.order.findMany({
      where: { shop, updatedAt: { gt: since }, customerId: { not: null } },
      select: { customerId: true },
      distinct: ["customerId"],
    }),
    db.refund.findMany({ where: { shop, createdAt: { gt: since } }, select: { orderId: true }, distinct: ["orderId"] }),
  ]);
  const ids = new Set(orders.map((o) => o.customerId!));
  if (refunds.length) {
    const owners = await db.order.findMany({
      where: { shop, id: { in: refunds.map((r) => r.orderId) }, customerId: { not: null } },
      select: { customerId: true },
    });
    for (const o of owners) ids.add(o.customerId!);
  }
  return [...ids].sort();
}

/** Predictions with the customer's current tags for the write-back (live customers only). */
export async function loadWritebackPredictions(db: Db, shop: string, customerIds?: readonly string[]) {
  assertShop(shop);
  const select = { customerId: true, tier: true, ...PREDICTION_FIGURES_SELECT, nextOrderAt: true } as const;
  // Listed customers are read 500 at a time (SQLite caps the parameters of one statement).
  const batches = customerIds ? chunk(customerIds, 500) : [undefined];
  const preds: Array<Awaited<ReturnType<typeof db.prediction.findMany<{ select: typeof select }>>>[number]> = [];
  const tags = new Map<string, string>();
  for (const ids of batches) {
    preds.push(
      ...(await db.prediction.findMany({
        where: { shop, ...(ids && { customerId: { in: [...ids] } }) },
        select,
        orderBy: { customerId: "asc" },
      })),
    );
    const customers = await db.customer.findMany({
      where: { shop, deletedAt: null, ...(ids && { id: { in: [...ids] } }) },
      select: { id: true, tags: true },
    });
    for (const c of customers) tags.set(c.id, c.tags);
  }
  return preds.filter((p) => tags.has(p.customerId)).map((p) => ({ ...p, tags: tags.get(p.customerId)! }));
}

/** When the shop's latest training run was created (null when never trained). */
export async function latestTrainingStart(db: Db, shop: string): Promise<Date | null> {
  assertShop(shop);
  const r = await db.modelRun.findFirst({ where: { shop }, orderBy: { id: "desc" }, select: { createdAt: true } });
  return r?.createdAt ?? null;
}

/** The shop's queued or running training run, if any. */
export async function activeModelRun(db: Db, shop: string): Promise<{ id: number } | null> {
  assertShop(shop);
  return db.modelRun.findFirst({
    where: { shop, status: { in: ["queued", "running"] } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
}

/** Every prediction's CLV and tier (the tier-rule preview). */
export async function loadPredictionTiers(db: Db, shop: string): Promise<Array<{ clv: number; tier: string }>> {
  assertShop(shop);
  return db.prediction.findMany({ where: { shop }, select: { clv: true, tier: true } });
}
