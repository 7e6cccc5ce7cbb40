/**
 * Deterministic synthetic predictions/orders for service tests and the pages benchmark (a test
 * fixture: never used by the app or the demo, which run the real pipeline on real data).
 */
import type { Db } from "~/db.server";
import { invalidateAggregates } from "~/aggregates/dashboard-aggregates.server";

/** Tiny deterministic PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Options of `seedPredictions`. */
export interface SeedOptions {
  /** Number of customers (ids `idOffset+1 … idOffset+n`). */
  n: number;
  /** Model run id written on every prediction (a ModelRun row is created when omitted). */
  modelRunId?: number;
  seed?: number;
  /** Offset added to numeric customer ids (so two shops can have distinct ids). */
  idOffset?: number;
  /** Also create one order per customer named "#<1000+i>" (for search tests). */
  withOrders?: boolean;
}

/** Inserts `n` synthetic predictions (and optionally orders) for `shop`; returns the model run id. */
export async function seedPredictions(db: Db, shop: string, opts: SeedOptions): Promise<number> {
  const rnd = seeded(opts.seed ?? 1);
  const off = opts.idOffset ?? 0;
  const modelRunId =
    opts.modelRunId ??
    (
      await db.modelRun.create({
        data: { shop, status: "completed", champion: "bgnbd+gg", finishedAt: new Date(), horizonDays: 365 },
      })
    ).id;
  const now = Date.UTC(2026, 10, 1);
  const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const iso = (ms: number) => q(new Date(ms).toISOString());
  const batch = 1000;
  // Multi-row INSERTs with literal values (generated here, quoted): ~50× faster than createMany.
  for (let start = 0; start < opts.n; start += batch) {
    const preds: string[] = [];
    const orders: string[] = [];
    for (let i = start; i < Math.min(opts.n, start + batch); i++) {
      const u = rnd();
      const clv = Math.round(Math.exp(3 + 1.5 * (u * 2 - 1) + rnd()) * 100) / 100;
      const pAlive = rnd();
      const orderCount = 1 + Math.floor(rnd() * 8);
      const tier = u > 0.8 ? "high" : u > 0.4 ? "medium" : "low";
      const id = String(off + i + 1);
      const historic = Math.round(orderCount * 40 * (0.5 + rnd()) * 100) / 100;
      const last = now - Math.floor(rnd() * 400) * 86400000;
      const drivers = JSON.stringify([{ phrase: `Bought ${orderCount} times`, weight: 0.5 }]);
      preds.push(
        `(${q(shop)},${q(id)},${modelRunId},${clv},${clv * 0.6},${clv * 1.5},${pAlive},${pAlive * orderCount * 0.5},${historic},${orderCount},${iso(last)},${iso(now - 500 * 86400000)},${q(tier)},${q(drivers)},${iso(now)})`,
      );
      if (opts.withOrders) {
        const at = iso(now - 500 * 86400000);
        orders.push(
          `(${q(shop)},${q(String(900000 + off + i))},${q(id)},${q(`#${1000 + off + i}`)},${at},${at},'USD',40,40,45,'[]','[]',${iso(now)},${iso(now)})`,
        );
      }
    }
    await db.$executeRawUnsafe(
      `INSERT INTO "Prediction" ("shop","customerId","modelRunId","clv","clvLow","clvHigh","pAlive","expectedOrders","historicSpend","orderCount","lastOrderAt","firstOrderAt","tier","drivers","computedAt") VALUES ${preds.join(",")}`,
    );
    if (orders.length) {
      await db.$executeRawUnsafe(
        `INSERT INTO "Order" ("shop","id","customerId","name","processedAt","shopifyUpdatedAt","currencyCode","subtotal","currentSubtotal","total","discountCodes","productIds","createdAt","updatedAt") VALUES ${orders.join(",")}`,
      );
    }
  }
  // Inserts alone do not clear the dashboard cache on SQLite (no insert trigger).
  await invalidateAggregates(db, shop);
  return modelRunId;
}
