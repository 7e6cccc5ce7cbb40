/**
 * Sync against a throttled fake Admin API (small leaky bucket): the cost-aware client paces itself
 * from `throttleStatus`, retries the THROTTLED answers (HTTP 200) it still gets when two clients
 * share a bucket, and the sync completes; the bucket never goes below zero. Also: transient 503s and
 * connection resets are retried, and a document that fails schema validation is rejected by the
 * fake (and surfaces as a typed error).
 */
import { afterEach, describe, expect, it } from "vitest";
import { createAdminGraphql, ShopifyGraphqlError } from "~/shopify/admin-client.server";
import { fetchTransport } from "~/shopify/transports.server";
import { advanceBackfill, requestBackfill } from "~/sync/backfill.server";
import { reconcileShop } from "~/sync/reconcile.server";
import { createSyncEnv, expectDbMatchesStore, type SyncEnv } from "./backfill-helpers";

let env: SyncEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe("throttled Admin API", () => {
  it("bulk backfill completes under a tiny bucket (12 points, 4/s: two bulk mutations of 10 cannot run back to back) without driving it negative", async () => {
    env = await createSyncEnv(
      "sqlite",
      { seed: 41, customers: 300, orders: 1000 },
      { bucket: { maximumAvailable: 12, restoreRate: 4 }, bulkDelayMs: 300 },
    );
    const { runId } = await requestBackfill(env.db.db, env.queue, env.shop);
    for (let i = 0; ; i++) {
      const r = await advanceBackfill({ db: env.db.db, admin: env.admin }, env.shop, runId);
      if (r.state === "completed") break;
      expect(r.state).toBe("waiting");
      // poll aggressively on purpose: the client must pace, not the test
    }
    await expectDbMatchesStore(env);
    expect(env.fake.bucket.minObserved).toBeGreaterThanOrEqual(0);
    expect(env.admin.stats.waitedMs).toBeGreaterThan(0);
  });

  it("paginated full sync with two clients sharing a small bucket: THROTTLED is retried, both finish, bucket never negative", async () => {
    env = await createSyncEnv(
      "sqlite",
      { seed: 42, customers: 150, orders: 250 },
      { bucket: { maximumAvailable: 800, restoreRate: 1500 } },
    );
    const second = createAdminGraphql({
      transport: fetchTransport({ shop: env.shop, accessToken: env.fake.accessToken, endpoint: env.fake.graphqlUrl }),
    });
    // A competing client (e.g. write-back) reading orders at the same time.
    const competitor = (async () => {
      let after: string | null = null;
      let pages = 0;
      do {
        const { data }: { data: { orders: { pageInfo: { hasNextPage: boolean; endCursor: string } } } } =
          await second.requestBuilt(
            `query Competitor($after: String) { orders(first: 100, after: $after) { edges { node { id totalPriceSet { shopMoney { amount } } } } pageInfo { hasNextPage endCursor } } }`,
            { after },
          );
        after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
        pages++;
      } while (after && pages < 20);
      return pages;
    })();
    const r = await reconcileShop({ db: env.db.db, admin: env.admin }, env.shop); // no watermark yet → full read
    await competitor;
    expect(r.orders.seen).toBe(250);
    await expectDbMatchesStore(env);
    expect(env.fake.stats.throttled).toBeGreaterThan(0);
    expect(env.admin.stats.throttled + second.stats.throttled).toBe(env.fake.stats.throttled);
    expect(env.fake.bucket.minObserved).toBeGreaterThanOrEqual(0);
    expect(env.admin.stats.waitedMs).toBeGreaterThan(0);
  });

  it("retries transient 503s and connection resets", async () => {
    env = await createSyncEnv("sqlite", { seed: 43, customers: 20, orders: 40 });
    env.fake.inject5xx(2);
    env.fake.injectResets(1);
    const r = await reconcileShop({ db: env.db.db, admin: env.admin }, env.shop);
    expect(r.orders.seen).toBe(40);
    expect(env.admin.stats.transientRetries).toBe(3);
    await expectDbMatchesStore(env);
  });

  it("the fake rejects a document that does not validate, and the port surfaces it as a typed error", async () => {
    env = await createSyncEnv("sqlite", { seed: 44, customers: 5, orders: 5 });
    const err = await env.admin
      .requestBuilt(`query Typo { orders(first: 5) { edges { node { id totalPriceSett { shopMoney { amount } } } } } }`)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyGraphqlError);
    expect((err as ShopifyGraphqlError).errors[0]!.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(env.fake.validationFailures).toHaveLength(1);
    expect(env.fake.validationFailures[0]!.errors[0]).toMatch(/Cannot query field "totalPriceSett" on type "Order"/);
    env.fake.validationFailures.length = 0; // intended failure; the helper asserts none elsewhere
  });
});
