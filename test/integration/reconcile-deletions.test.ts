/**
 * Deletion sweep: orders/delete and customers/delete webhooks that never arrived are repaired by
 * listing Shopify's ids; rows created after the sweep started, orders outside the 60-day window
 * without read_all_orders, and anomalies (too many "missing" rows) are never deleted.
 */
import { afterEach, describe, expect, it } from "vitest";
import { upsertShopInstalled } from "~/models/shops.server";
import { advanceBackfill, requestBackfill } from "~/sync/backfill.server";
import { sweepDeletions } from "~/sync/deletions.server";
import { createSyncEnv, type SyncEnv } from "./backfill-helpers";

let env: SyncEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function backfilled(seed: number) {
  const e = await createSyncEnv("sqlite", { seed, customers: 200, orders: 600 });
  const { runId } = await requestBackfill(e.db.db, e.queue, e.shop);
  for (;;) {
    const r = await advanceBackfill({ db: e.db.db, admin: e.admin }, e.shop, runId);
    if (r.state === "completed") return e;
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe("deletion sweep", () => {
  it("tombstones orders and customers deleted in Shopify whose webhooks were missed, and nothing else", async () => {
    env = await backfilled(61);
    await upsertShopInstalled(env.db.db, env.shop, {
      scopes: "read_customers,write_customers,read_orders,read_all_orders",
    });
    const orderIds = [...env.store.orders.values()].filter((o) => !o.test).map((o) => o.id);
    const gone = [orderIds[3]!, orderIds[77]!, orderIds[400]!];
    for (const id of gone) env.store.deleteOrder(id); // webhooks lost
    const goneCustomer = [...env.store.customers.keys()][5]!;
    env.store.deleteCustomer(goneCustomer);
    const r = await sweepDeletions({ db: env.db.db, admin: env.admin }, env.shop);
    expect(r.orders.deleted).toBe(3);
    expect(r.customers.deleted).toBe(1);
    const deleted = await env.db.db.order.findMany({
      where: { shop: env.shop, deletedAt: { not: null } },
      select: { id: true },
    });
    expect(deleted.map((d) => d.id).sort()).toEqual(gone.map(String).sort());
    const c = await env.db.db.customer.findUnique({ where: { shop_id: { shop: env.shop, id: String(goneCustomer) } } });
    expect(c!.deletedAt).not.toBeNull();
    expect(await env.db.db.customer.count({ where: { shop: env.shop, deletedAt: { not: null } } })).toBe(1);
    // a second sweep changes nothing
    expect((await sweepDeletions({ db: env.db.db, admin: env.admin }, env.shop)).orders.deleted).toBe(0);
    expect(env.fake.validationFailures).toEqual([]);
  });

  it("never deletes outside what Shopify can list (no read_all_orders → only the last 60 days) and aborts on anomalies", async () => {
    env = await backfilled(62);
    const orderIds = [...env.store.orders.values()].filter((o) => !o.test).map((o) => o.id);
    env.store.deleteOrder(orderIds[1]!);
    // Shop.scopes lacks read_all_orders: the store's orders are all older than 60 days → no candidates.
    const limited = await sweepDeletions({ db: env.db.db, admin: env.admin }, env.shop);
    expect(limited.orders).toMatchObject({ candidates: 0, deleted: 0 });
    // With read_all_orders but half the orders "missing", the sweep refuses and deletes nothing.
    await upsertShopInstalled(env.db.db, env.shop, { scopes: "read_orders,read_all_orders" });
    for (const id of orderIds.slice(0, 300)) if (env.store.orders.has(id)) env.store.deleteOrder(id);
    await expect(sweepDeletions({ db: env.db.db, admin: env.admin }, env.shop)).rejects.toThrow(
      /are missing from Shopify .*nothing deleted/,
    );
    expect(await env.db.db.order.count({ where: { shop: env.shop, deletedAt: { not: null } } })).toBe(0);
    // Rows created after the sweep started are never candidates.
    const future = await sweepDeletions({ db: env.db.db, admin: env.admin }, env.shop, {
      now: () => new Date("2000-01-01T00:00:00Z"),
      maxDeleteShare: 1,
    });
    expect(future.orders.candidates).toBe(0);
  });
});
