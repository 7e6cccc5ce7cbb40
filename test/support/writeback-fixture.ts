/**
 * A small shop for write-back tests: `n` customers in the fake Admin API and the database, each with
 * a prediction (CLV 100 − i, tier from `tierOf`), and the Admin port pointed at the fake.
 */
import { createTestDb, type TestDb } from "~/db/test-db";
import { createAdminGraphql, type AdminGraphql } from "~/shopify/admin-client.server";
import { fetchTransport } from "~/shopify/transports.server";
import { storeFromTransactions } from "../fake-admin/generate";
import { startFakeAdmin, type FakeAdmin } from "../fake-admin/server";

/** The fixture. */
export interface WritebackShop {
  t: TestDb;
  fake: FakeAdmin;
  ids: string[];
  admin(): AdminGraphql;
  close(): Promise<void>;
}

/** Builds the fixture. */
export async function createWritebackShop(o: {
  shop: string;
  n: number;
  currencyCode: string;
  tierOf: (i: number) => string;
  tagsOf?: (id: string, i: number) => string;
}): Promise<WritebackShop> {
  const t = await createTestDb("sqlite");
  const d = (s: string) => new Date(`${s}T12:00:00Z`);
  const rows = Array.from({ length: o.n }, (_, i) => ({
    customerId: `c${i}`,
    date: d(`2025-0${1 + (i % 9)}-1${i % 10}`),
    amount: 10 + i,
  }));
  const store = storeFromTransactions(rows, { domain: o.shop, currencyCode: o.currencyCode });
  const fake = await startFakeAdmin({ store, bulkDelayMs: 1 });
  const ids = [...store.customers.keys()].map(String);
  await t.db.shop.create({ data: { shop: o.shop, currencyCode: o.currencyCode } });
  await t.db.customer.createMany({
    data: ids.map((id, i) => ({ shop: o.shop, id, tags: o.tagsOf?.(id, i) ?? "" })),
  });
  await t.db.prediction.createMany({
    data: ids.map((id, i) => ({
      shop: o.shop,
      customerId: id,
      modelRunId: 1,
      clv: 100 - i,
      clvLow: 50,
      clvHigh: 150,
      pAlive: 0.5,
      expectedOrders: 1,
      tier: o.tierOf(i),
    })),
  });
  return {
    t,
    fake,
    ids,
    admin: () =>
      createAdminGraphql({
        transport: fetchTransport({ shop: o.shop, accessToken: fake.accessToken, endpoint: fake.graphqlUrl }),
      }),
    async close() {
      await fake.close();
      await t.destroy();
    },
  };
}
