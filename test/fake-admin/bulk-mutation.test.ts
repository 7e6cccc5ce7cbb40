/** The fake's staged uploads and bulk mutations answer like Shopify, including their refusals. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAdmin, type FakeAdmin } from "./server";
import { storeFromTransactions } from "./generate";

const SHOP = "bulk-mutation-test.myshopify.com";

describe("fake Admin API bulk mutations", () => {
  let fake: FakeAdmin;
  let ids: number[];
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(fake.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": fake.accessToken },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data: Record<string, any>; errors?: unknown };
  };
  const STAGE = `mutation S($input: [StagedUploadInput!]!) { stagedUploadsCreate(input: $input) { stagedTargets { url parameters { name value } } userErrors { field message } } }`;
  const RUN = `mutation R($m: String!, $p: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $p) { bulkOperation { id status type } userErrors { field message code } } }`;
  const TAGS = `mutation T($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { field message } } }`;
  const upload = async (jsonl: string, key?: string) => {
    const { data } = await gql(STAGE, {
      input: [{ resource: "BULK_MUTATION_VARIABLES", filename: "v.jsonl", mimeType: "text/jsonl", httpMethod: "POST" }],
    });
    const target = data.stagedUploadsCreate.stagedTargets[0] as {
      url: string;
      parameters: Array<{ name: string; value: string }>;
    };
    const form = new FormData();
    for (const p of target.parameters) form.append(p.name, p.name === "key" && key ? key : p.value);
    form.append("file", new Blob([jsonl]), "v.jsonl");
    const res = await fetch(target.url, { method: "POST", body: form });
    return { status: res.status, path: target.parameters.find((p) => p.name === "key")!.value };
  };
  const until = async (id: string) => {
    for (;;) {
      const { data } = await gql(`query Q($id: ID!) { bulkOperation(id: $id) { status objectCount url } }`, { id });
      if (data.bulkOperation.status === "COMPLETED") return data.bulkOperation as { objectCount: string; url: string };
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  beforeAll(async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({
      customerId: `c${i}`,
      date: new Date(`2025-01-0${i + 1}T00:00:00Z`),
      amount: 10,
    }));
    // 2 s in CREATED: the "one at a time" refusal below happens well inside it, even on a loaded machine.
    fake = await startFakeAdmin({ store: storeFromTransactions(rows, { domain: SHOP }), bulkDelayMs: 2_000 });
    ids = [...fake.store.customers.keys()];
  });
  afterAll(async () => fake?.close());

  it("runs the mutation once per line and answers per-line results with __lineNumber", async () => {
    const lines = [
      { id: `gid://shopify/Customer/${ids[0]}`, tags: ["a"] },
      { id: `gid://shopify/Customer/${ids[1]}`, tags: 7 }, // not a [String!]! → errors on this line only
      { id: "gid://shopify/Customer/1", tags: ["a"] }, // unknown customer → userErrors
    ];
    const up = await upload(lines.map((l) => JSON.stringify(l)).join("\n"));
    expect(up.status).toBe(201);
    const { data } = await gql(RUN, { m: TAGS, p: up.path });
    expect(data.bulkOperationRunMutation.userErrors).toEqual([]);
    expect(data.bulkOperationRunMutation.bulkOperation.type).toBe("MUTATION");
    const op = await until(data.bulkOperationRunMutation.bulkOperation.id);
    expect(op.objectCount).toBe("3");
    const results = (await (await fetch(op.url)).text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(results.map((r) => r.__lineNumber)).toEqual([0, 1, 2]);
    expect(results[0].data.tagsAdd.userErrors).toEqual([]);
    expect(results[1].errors[0].message).toMatch(/tags/);
    expect(results[2].data.tagsAdd.userErrors[0].message).toBe("Resource not found");
    expect(fake.store.customers.get(ids[0]!)!.tags).toContain("a");
    expect(fake.store.customers.get(ids[1]!)!.tags).not.toContain("a");
  });

  it("refuses what Shopify refuses", async () => {
    const ok = JSON.stringify({ id: `gid://shopify/Customer/${ids[2]}`, tags: ["b"] });
    expect((await upload(ok, "tmp/forged/key")).status).toBe(403);
    const code = async (m: string, p: string) =>
      (await gql(RUN, { m, p })).data.bulkOperationRunMutation.userErrors[0]?.code;
    expect(await code(TAGS, "tmp/never/uploaded.jsonl")).toBe("NO_SUCH_FILE");
    const bad = await upload("not json\n");
    expect(await code(TAGS, bad.path)).toBe("INVALID_STAGED_UPLOAD_FILE");
    const two = await upload(ok);
    expect(
      await code(
        `mutation { a: tagsAdd(id: "x", tags: ["c"]) { userErrors { message } } b: tagsAdd(id: "y", tags: ["c"]) { userErrors { message } } }`,
        two.path,
      ),
    ).toBe("INVALID_MUTATION");
    expect(await code(`mutation { tagsAdd(id: "x", tags: ["c"]) { nope } }`, two.path)).toBe("INVALID_MUTATION");
    expect(fake.validationFailures.length).toBe(1); // the invalid document is recorded
    fake.validationFailures.length = 0;
    const first = await gql(RUN, { m: TAGS, p: two.path });
    expect(first.data.bulkOperationRunMutation.userErrors).toEqual([]);
    const again = await upload(ok);
    expect(await code(TAGS, again.path)).toBe("OPERATION_IN_PROGRESS"); // one bulk mutation at a time
    await until(first.data.bulkOperationRunMutation.bulkOperation.id);
    expect(await code(TAGS, two.path)).toBe("NO_SUCH_FILE"); // a staged file is consumed once
    const current = await gql(`{ currentBulkOperation(type: MUTATION) { id status } }`);
    expect(current.data.currentBulkOperation).toEqual({
      id: first.data.bulkOperationRunMutation.bulkOperation.id,
      status: "COMPLETED",
    });
  });
});
