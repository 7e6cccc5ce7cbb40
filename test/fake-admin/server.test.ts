import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateStore } from "./generate";
import { startFakeAdmin, type FakeAdmin } from "./server";
import { signWebhookBody } from "./webhook-sender";

let fake: FakeAdmin;
let hook: Server;
const finished: Array<{ body: Record<string, unknown>; validHmac: boolean }> = [];
const SECRET = "s3cret";

async function gql(query: string, variables: Record<string, unknown> = {}, token = fake.accessToken) {
  const res = await fetch(fake.graphqlUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, json: (await res.json()) as { data?: any; errors?: any; extensions?: any } };
}

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      finished.push({
        body: JSON.parse(body) as Record<string, unknown>,
        validHmac: signWebhookBody(body, SECRET) === req.headers["x-shopify-hmac-sha256"],
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  const store = generateStore({ seed: 1, customers: 50, orders: 300 });
  fake = await startFakeAdmin({
    store,
    bucket: { maximumAvailable: 1000, restoreRate: 50 },
    webhooks: { baseUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}`, secret: SECRET },
  });
});
afterAll(async () => {
  await fake.close();
  hook.close();
});

describe("fake Admin API", () => {
  it("rejects a wrong access token with 401", async () => {
    const r = await gql("{ shop { name } }", {}, "nope");
    expect(r.status).toBe(401);
  });

  it("answers a valid query with data and extensions.cost", async () => {
    const r = await gql("{ shop { name currencyCode myshopifyDomain } }");
    expect(r.json.data.shop).toEqual({
      name: "Horizon Demo",
      currencyCode: "USD",
      myshopifyDomain: "horizon-demo.myshopify.com",
    });
    expect(r.json.extensions.cost).toMatchObject({
      requestedQueryCost: 1,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 1000, restoreRate: 50 },
    });
  });

  it("rejects and records a document that does not validate against the 2026-07 schema", async () => {
    const before = fake.validationFailures.length;
    const r = await gql("{ customers(first: 1) { edges { node { id lifetimeValueXYZ } } } }");
    expect(r.status).toBe(200);
    expect(r.json.data).toBeUndefined();
    expect(r.json.errors[0].message).toContain('Cannot query field "lifetimeValueXYZ" on type "Customer"');
    expect(fake.validationFailures.length).toBe(before + 1);
    fake.validationFailures.length = before; // this failure was intended
  });

  it("paginates orders with updated_at filters and keyset cursors, without gaps or repeats", async () => {
    const since = "2025-01-01T00:00:00Z";
    const expected = [...fake.store.orders.values()].filter((o) => o.updatedAt > new Date(since)).length;
    const seen = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const r = await gql(
        `query($after: String, $q: String) { orders(first: 50, after: $after, query: $q, sortKey: UPDATED_AT) { edges { node { id updatedAt } } pageInfo { hasNextPage endCursor } } }`,
        { after, q: `updated_at:>'${since}'` },
      );
      for (const e of r.json.data.orders.edges) seen.add(e.node.id);
      if (!r.json.data.orders.pageInfo.hasNextPage) break;
      after = r.json.data.orders.pageInfo.endCursor;
    }
    expect(seen.size).toBe(expected);
  });

  it("returns THROTTLED inside a 200 when the bucket cannot pay, and never goes negative", async () => {
    const q = "{ orders(first: 250) { edges { node { id totalPriceSet { shopMoney { amount } } } } } }";
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await gql(q));
    const throttled = results.filter((r) => r.json.errors?.[0]?.extensions?.code === "THROTTLED");
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0]!.status).toBe(200);
    expect(throttled[0]!.json.extensions.cost.requestedQueryCost).toBeGreaterThan(
      throttled[0]!.json.extensions.cost.throttleStatus.currentlyAvailable,
    );
    expect(fake.bucket.minObserved).toBeGreaterThanOrEqual(0);
  });

  it("injects transient 503s and connection resets", async () => {
    fake.inject5xx(1);
    fake.injectResets(1);
    await expect(gql("{ shop { name } }")).rejects.toThrow();
    expect((await fetch(fake.graphqlUrl, { method: "POST", body: "{}" })).status).toBe(503);
  });

  it("runs a bulk query to JSONL with __parentId children and fires bulk_operations/finish", async () => {
    await new Promise((r) => setTimeout(r, 1500)); // let the bucket refill after the throttling test
    const bulkQuery = `{ orders { edges { node { id totalPriceSet { shopMoney { amount currencyCode } } lineItems { edges { node { id quantity product { id } } } } } } } }`;
    const r = await gql(
      `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id status } userErrors { field message code } } }`,
      { q: bulkQuery },
    );
    expect(r.json.data.bulkOperationRunQuery.userErrors).toEqual([]);
    const id = r.json.data.bulkOperationRunQuery.bulkOperation.id as string;
    let op: any;
    for (let i = 0; i < 100; i++) {
      op = (
        await gql(
          `query($id: ID!) { bulkOperation(id: $id) { id status objectCount rootObjectCount url errorCode } }`,
          { id },
        )
      ).json.data.bulkOperation;
      if (op.status === "COMPLETED") break;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(op.status).toBe("COMPLETED");
    const text = await (await fetch(op.url)).text();
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const orders = lines.filter((l) => !l.__parentId);
    const items = lines.filter((l) => l.__parentId);
    expect(orders.length).toBe(300);
    expect(Number(op.rootObjectCount)).toBe(300);
    expect(Number(op.objectCount)).toBe(lines.length);
    expect(items.length).toBe([...fake.store.orders.values()].reduce((s, o) => s + o.lineItems.length, 0));
    const orderIds = new Set(orders.map((o) => o.id));
    expect(items.every((i) => orderIds.has(i.__parentId))).toBe(true);
    // children are not guaranteed to follow their parent
    const pos = new Map(lines.map((l, i) => [l.id, i]));
    expect(items.some((i) => pos.get(i.id)! < pos.get(i.__parentId)!)).toBe(true);
    await fake.flushWebhooks();
    const fin = finished.find((f) => f.body.admin_graphql_api_id === id);
    expect(fin).toMatchObject({ validHmac: true, body: { status: "completed", type: "query", error_code: null } });
  });

  it("rejects bulk queries beyond Shopify's limits as userErrors and records invalid ones", async () => {
    const deep = `{ customers { edges { node { id orders { edges { node { id lineItems { edges { node { id } } } } } } } } } }`;
    const r = await gql(
      `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id } userErrors { message code } } }`,
      { q: deep },
    );
    expect(r.json.data.bulkOperationRunQuery.userErrors[0].message).toMatch(/nested more than 2/);
    const before = fake.validationFailures.length;
    const bad = await gql(
      `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { userErrors { message } } }`,
      { q: "{ orders { edges { node { nope } } } }" },
    );
    expect(bad.json.data.bulkOperationRunQuery.userErrors[0].message).toMatch(/Cannot query field "nope"/);
    expect(fake.validationFailures.length).toBe(before + 1);
    fake.validationFailures.length = before;
  });

  it("supports write-back mutations: tagsAdd, metafieldsSet, segmentCreate", async () => {
    const cid = `gid://shopify/Customer/${[...fake.store.customers.keys()][0]}`;
    const t = await gql(
      `mutation($id: ID!) { tagsAdd(id: $id, tags: ["clv:high"]) { node { id } userErrors { message } } }`,
      { id: cid },
    );
    expect(t.json.data.tagsAdd.userErrors).toEqual([]);
    expect(fake.store.customers.get(Number(cid.split("/").pop()))!.tags).toContain("clv:high");
    const m = await gql(
      `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { key value } userErrors { message } } }`,
      { m: [{ ownerId: cid, namespace: "$app", key: "predicted_clv", type: "number_decimal", value: "123.4" }] },
    );
    expect(m.json.data.metafieldsSet.metafields).toEqual([{ key: "predicted_clv", value: "123.4" }]);
    const s = await gql(
      `mutation { segmentCreate(name: "CLV high", query: "customer_tags CONTAINS 'clv:high'") { segment { id name } userErrors { message } } }`,
    );
    expect(s.json.data.segmentCreate.segment.name).toBe("CLV high");
    expect(fake.validationFailures).toEqual([]);
  });
});
