/**
 * Billing end to end against the local Admin API (schema-validated): free tier allowed without a
 * Billing API call, over the limit asked to upgrade (redirect to /app/billing), a subscription
 * requested (appSubscriptionCreate) and approved, then allowed (currentAppInstallation).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "~/db/test-db";
import { requireEntitlement, shopEntitlement, type BillingGateDeps } from "~/billing/gate.server";
import { planNamed } from "~/billing/plans";
import { requestSubscription } from "~/billing/shopify-billing.server";
import { endpointAdminFactory } from "~/shopify/admin-for-shop.server";
import { generateStore, startFakeAdmin, type FakeAdmin } from "../fake-admin";
import { approveSubscription, fakeSubscriptions } from "../fake-admin/billing";

const SHOP = "billing.myshopify.com";
let t: TestDb;
let fake: FakeAdmin;
let deps: BillingGateDeps;
let apiCalls = 0;

async function setCustomers(n: number): Promise<void> {
  await t.db.customer.deleteMany({ where: { shop: SHOP } });
  await t.db.customer.createMany({ data: Array.from({ length: n }, (_, i) => ({ shop: SHOP, id: String(i + 1) })) });
}

const page = (path: string) => new Request(`https://app.example.com${path}?shop=${SHOP}&host=abc&embedded=1`);

beforeAll(async () => {
  t = await createTestDb("sqlite");
  fake = await startFakeAdmin({ store: generateStore({ seed: 3, customers: 5, orders: 10 }) });
  const factory = endpointAdminFactory(fake.graphqlUrl, fake.accessToken);
  deps = {
    db: t.db,
    cacheMs: 0,
    adminFor: async (shop) => {
      apiCalls++;
      return factory(shop);
    },
  };
});
afterAll(async () => {
  await fake?.close();
  await t?.destroy();
});

describe("billing gate", () => {
  it("free tier: up to 1,000 customers the pages work and Shopify is not asked", async () => {
    await setCustomers(1_000);
    const before = apiCalls;
    const e = await requireEntitlement(deps, SHOP, page("/app/customers"));
    expect(e).toMatchObject({ allowed: true, plan: { name: "Free" }, customers: 1_000 });
    expect(apiCalls).toBe(before);
  });

  it("over the limit: every page asks to upgrade (redirect to /app/billing with the query kept), billing and status stay open", async () => {
    await setCustomers(1_001);
    const thrown = await requireEntitlement(deps, SHOP, page("/app/customers")).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(302);
    expect((thrown as Response).headers.get("location")).toBe(`/app/billing?shop=${SHOP}&host=abc&embedded=1`);
    const onBilling = await requireEntitlement(deps, SHOP, page("/app/billing"));
    expect(onBilling).toMatchObject({ allowed: false, upgradeTo: { name: "Growth", price: 29, trialDays: 14 } });
    // The status page stays open too: it shows the paid work billing paused.
    expect(await requireEntitlement(deps, SHOP, page("/app/status"))).toMatchObject({ allowed: false });
  });

  it("upgrade: appSubscriptionCreate → merchant approves → allowed; pending or declined grants nothing", async () => {
    await setCustomers(1_001);
    const growth = planNamed("Growth")!;
    const { confirmationUrl, subscriptionId } = await requestSubscription(await deps.adminFor(SHOP), growth, {
      returnUrl: `https://app.example.com/app/billing?shop=${SHOP}`,
      test: true,
    });
    expect(confirmationUrl).toMatch(/\/admin\/charges\/\d+\/confirm_recurring_application_charge$/);
    expect(fakeSubscriptions(fake.store).find((s) => s.id === subscriptionId)).toMatchObject({
      name: "Growth",
      status: "PENDING",
      trialDays: 14,
      amount: 29,
      test: true,
    });
    expect((await shopEntitlement(deps, SHOP)).allowed).toBe(false); // not approved yet
    approveSubscription(fake.store, subscriptionId);
    expect(await shopEntitlement(deps, SHOP)).toMatchObject({ allowed: true, plan: { name: "Growth" } });
    // Growth covers 25,000; beyond that the next plan is asked for
    await setCustomers(25_001);
    expect(await shopEntitlement(deps, SHOP)).toMatchObject({ allowed: false, upgradeTo: { name: "Scale" } });
  });

  it("the fake refuses what Shopify refuses (user errors become a typed error)", async () => {
    await expect(
      requestSubscription(
        await deps.adminFor(SHOP),
        { ...planNamed("Growth")!, price: 0 },
        { returnUrl: "https://x.example", test: true },
      ),
    ).rejects.toThrow(/free/);
    await expect(
      requestSubscription(
        await deps.adminFor(SHOP),
        { ...planNamed("Growth")!, name: " " },
        { returnUrl: "https://x.example", test: true },
      ),
    ).rejects.toThrow(/Name can't be blank/);
  });
});
