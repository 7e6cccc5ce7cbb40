/**
 * Data access for the trainer (Prisma; every query scoped by shop): loads a shop's orders as
 * point-in-time `OrderRecord`s and writes a run's predictions and tier history.
 */
import type { Db } from "~/db/connect.server";
import type { OrderRecord } from "./orders";
import type { CustomerScores } from "./score";
import { buildAggregates } from "~/services/aggregates.server";
import { setModelRunIntervalLevel } from "~/models/runs.server";

const parseList = (s: string | null | undefined): string[] => {
  if (!s) return [];
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

/**
 * All live, non-test orders with a customer, as trainer records. Amount = Shopify subtotal
 * (after discounts, before refunds); refunds come from the Refund table with their own
 * timestamps (orders without refund rows but with `totalRefunded` > 0 count that amount as
 * refunded at the order time).
 */
export async function loadShopOrders(db: Db, shop: string): Promise<OrderRecord[]> {
  if (!shop) throw new Error("loadShopOrders: shop is required");
  const rows = await db.order.findMany({
    where: { shop, deletedAt: null, test: false, customerId: { not: null } },
    select: {
      id: true,
      customerId: true,
      processedAt: true,
      subtotal: true,
      totalDiscounts: true,
      totalRefunded: true,
      cancelledAt: true,
      sourceName: true,
      countryCode: true,
      discountCodes: true,
      productIds: true,
    },
  });
  const refunds = await db.refund.findMany({
    where: { shop },
    select: { orderId: true, processedAt: true, amount: true },
  });
  const byOrder = new Map<string, Array<{ at: Date; amount: number }>>();
  for (const r of refunds) {
    const l = byOrder.get(r.orderId) ?? [];
    l.push({ at: r.processedAt, amount: r.amount });
    byOrder.set(r.orderId, l);
  }
  return rows.map((o) => ({
    customerId: o.customerId!,
    processedAt: o.processedAt,
    amount: o.subtotal,
    discount: Math.max(0, o.totalDiscounts),
    ...(byOrder.has(o.id) ? { refunds: byOrder.get(o.id) } : { refunded: Math.max(0, o.totalRefunded) }),
    cancelled: o.cancelledAt,
    sourceName: o.sourceName,
    countryCode: o.countryCode,
    discountCodes: parseList(o.discountCodes),
    productIds: parseList(o.productIds),
  }));
}

/**
 * Replaces the shop's predictions with a run's scores in one transaction (on failure the previous
 * predictions stay) and appends TierHistory rows for customers whose tier changed or who are new.
 */
export async function writePredictions(
  db: Db,
  shop: string,
  modelRunId: number,
  s: CustomerScores,
  chunkSize = 1000,
): Promise<{ written: number; tierChanges: number }> {
  if (!shop) throw new Error("writePredictions: shop is required");
  const previous = new Map(
    (await db.prediction.findMany({ where: { shop }, select: { customerId: true, tier: true } })).map((p) => [
      p.customerId,
      p.tier,
    ]),
  );
  const now = new Date();
  const rows = s.customerIds.map((customerId, i) => ({
    shop,
    customerId,
    modelRunId,
    clv: s.clv[i],
    clvLow: s.clvLow[i],
    clvHigh: s.clvHigh[i],
    pAlive: s.pAlive[i],
    churnProbability: Number.isFinite(s.churnProbability?.[i]) ? s.churnProbability[i] : null,
    nextOrderAt: Number.isFinite(s.nextOrderAt?.[i]) ? new Date(s.nextOrderAt[i]) : null,
    expectedOrders: s.expectedOrders[i],
    historicSpend: s.historicSpend[i],
    orderCount: s.orderCount[i],
    lastOrderAt: Number.isFinite(s.lastAt[i]) ? new Date(s.lastAt[i]) : null,
    firstOrderAt: Number.isFinite(s.firstAt[i]) ? new Date(s.firstAt[i]) : null,
    tier: s.tier[i],
    drivers: JSON.stringify(s.drivers[i] ?? []),
    computedAt: now,
  }));
  for (const [i, r] of rows.entries())
    for (const k of ["clv", "clvLow", "clvHigh", "pAlive", "expectedOrders"] as const)
      if (!Number.isFinite(r[k]))
        throw new Error(`writePredictions: ${k} of customer ${r.customerId} (row ${i}) is not finite; nothing written`);
  const changes = rows
    .filter((r) => previous.get(r.customerId) !== r.tier)
    .map((r) => ({ shop, customerId: r.customerId, tier: r.tier, clv: r.clv, modelRunId, changedAt: now }));
  await db.$transaction(
    async (tx) => {
      await tx.prediction.deleteMany({ where: { shop } });
      // The interval level the scores were computed at, so pages state it ("90 % interval").
      await setModelRunIntervalLevel(tx, shop, modelRunId, s.interval);
      for (let i = 0; i < rows.length; i += chunkSize)
        await tx.prediction.createMany({ data: rows.slice(i, i + chunkSize) });
      for (let i = 0; i < changes.length; i += chunkSize)
        await tx.tierHistory.createMany({ data: changes.slice(i, i + chunkSize) });
    },
    { timeout: 600_000, maxWait: 60_000 },
  );
  await buildAggregates(db, shop).catch((e: Error) =>
    console.warn(`[training] dashboard aggregates for ${shop} not cached (built on the next read): ${e.message}`),
  );
  return { written: rows.length, tierChanges: changes.length };
}
