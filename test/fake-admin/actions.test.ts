/**
 * The fake Admin API's action support answers like Shopify where the app depends on it: segment
 * names unique, Flow handles and payload keys as the app's trigger TOMLs declare, Function handles
 * the app ships, discount codes unique, customers that exist; and it logs every accepted call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CODE_DISCOUNT_BY_CODE,
  DISCOUNT_AUTOMATIC_APP_CREATE,
  DISCOUNT_CODE_BASIC_CREATE,
  SEGMENT_BY_NAME,
  SEGMENT_CREATE,
  SEGMENT_UPDATE,
} from "~/actions/documents";
import { appFlowTriggers, appFunctionHandles } from "./actions";
import { generateStore } from "./generate";
import { startFakeAdmin, type FakeAdmin } from "./server";

let fake: FakeAdmin;
let customer: number;

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(fake.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": fake.accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: any };
}

const FLOW = `mutation($h: String!, $p: JSON!) { flowTriggerReceive(handle: $h, payload: $p) { userErrors { field message } } }`;

beforeAll(async () => {
  const store = generateStore({ seed: 3, customers: 5, orders: 10 });
  customer = [...store.customers.keys()][0]!;
  fake = await startFakeAdmin({ store });
});
afterAll(() => fake.close());

describe("fake Admin API: actions", () => {
  it("reads the app's Flow triggers and Function from extensions/", () => {
    expect(appFlowTriggers()).toEqual(
      expect.arrayContaining([
        {
          handle: "clv-tier-changed",
          keys: ["old tier", "new tier", "predicted clv", "probability alive"],
          customerReference: true,
        },
        {
          handle: "customer-at-risk",
          keys: ["tier", "churn risk", "predicted clv", "probability alive"],
          customerReference: true,
        },
      ]),
    );
    expect(appFunctionHandles()).toEqual(["clv-tier-discount"]);
  });

  it("segments: create, unique names, update, find by name; unsupported filters refused", async () => {
    const a = await gql(SEGMENT_CREATE, { name: "S1", query: "customer_tags CONTAINS 'clv:gold'" });
    expect(a.data.segmentCreate.userErrors).toEqual([]);
    const dup = await gql(SEGMENT_CREATE, { name: "S1", query: "customer_tags CONTAINS 'x'" });
    expect(dup.data.segmentCreate.userErrors[0].message).toMatch(/already been taken/);
    const bad = await gql(SEGMENT_CREATE, { name: "S2", query: "amount_spent > 5" });
    expect(bad.data.segmentCreate.userErrors[0].field).toEqual(["query"]);
    const id = a.data.segmentCreate.segment.id;
    const u = await gql(SEGMENT_UPDATE, { id, query: "customer_tags CONTAINS 'clv:silver'" });
    expect(u.data.segmentUpdate.segment.query).toBe("customer_tags CONTAINS 'clv:silver'");
    const found = await gql(SEGMENT_BY_NAME, { query: "name:'S1'" });
    expect(found.data.segments.edges.map((e: any) => e.node.id)).toEqual([id]);
    expect(fake.store.actions.calls("segmentUpdate")).toHaveLength(1);
  });

  it("flowTriggerReceive: known handle, declared keys only, existing customer", async () => {
    const payload = {
      customer_id: customer,
      "old tier": "a",
      "new tier": "b",
      "predicted clv": 1,
      "probability alive": 0.5,
    };
    expect((await gql(FLOW, { h: "clv-tier-changed", p: payload })).data.flowTriggerReceive.userErrors).toEqual([]);
    expect((await gql(FLOW, { h: "nope", p: payload })).data.flowTriggerReceive.userErrors[0].message).toMatch(
      /not found/,
    );
    const missing = await gql(FLOW, { h: "clv-tier-changed", p: { customer_id: customer } });
    expect(missing.data.flowTriggerReceive.userErrors.map((e: any) => e.field[1])).toContain("new tier");
    const extra = await gql(FLOW, { h: "clv-tier-changed", p: { ...payload, surprise: 1 } });
    expect(extra.data.flowTriggerReceive.userErrors[0].message).toMatch(/Unknown field surprise/);
    const ghost = await gql(FLOW, { h: "clv-tier-changed", p: { ...payload, customer_id: 1 } });
    expect(ghost.data.flowTriggerReceive.userErrors[0].message).toMatch(/Customer not found/);
    expect(fake.store.actions.flowEvents).toHaveLength(1);
  });

  it("discounts: Function handle checked, codes unique and findable, customers must exist", async () => {
    const app = (functionHandle: string) =>
      gql(DISCOUNT_AUTOMATIC_APP_CREATE, {
        discount: { title: "T", functionHandle, discountClasses: ["ORDER"], startsAt: "2026-12-01T00:00:00Z" },
      });
    expect((await app("clv-tier-discount")).data.discountAutomaticAppCreate.userErrors).toEqual([]);
    expect((await app("other")).data.discountAutomaticAppCreate.userErrors[0].field).toEqual([
      "automaticAppDiscount",
      "functionHandle",
    ]);
    const code = (c: string, who = customer) =>
      gql(DISCOUNT_CODE_BASIC_CREATE, {
        discount: {
          title: "R",
          code: c,
          startsAt: "2026-12-01T00:00:00Z",
          endsAt: "2026-12-31T00:00:00Z",
          context: { customers: { add: [`gid://shopify/Customer/${who}`] } },
          customerGets: { value: { percentage: 0.1 }, items: { all: true } },
          usageLimit: 1,
        },
      });
    const ok = await code("HCLV-TEST");
    expect(ok.data.discountCodeBasicCreate.userErrors).toEqual([]);
    const again = await code("hclv-test");
    expect(again.data.discountCodeBasicCreate.userErrors[0]).toMatchObject({ code: "TAKEN" });
    const found = await gql(CODE_DISCOUNT_BY_CODE, { code: "HCLV-TEST" });
    expect(found.data.codeDiscountNodeByCode.id).toBe(ok.data.discountCodeBasicCreate.codeDiscountNode.id);
    expect((await code("HCLV-GHOST", 1)).data.discountCodeBasicCreate.userErrors[0].message).toMatch(/does not exist/);
    expect(fake.store.actions.calls("discountCodeBasicCreate")).toHaveLength(1);
    expect(fake.validationFailures).toEqual([]);
  });
});
