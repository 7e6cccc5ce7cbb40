import { describe, expect, it } from "vitest";
import { parse } from "graphql";
import { actualCost, requestedCost } from "./cost";
import { loadSchema } from "./schema";
import { searchPredicate } from "./search";
import { LeakyBucket } from "./throttle";

describe("leaky bucket", () => {
  it("refills at restoreRate up to the maximum, refuses what it cannot pay, refunds unused points", () => {
    let t = 0;
    const b = new LeakyBucket({ maximumAvailable: 100, restoreRate: 10, now: () => t });
    expect(b.tryCharge(80)).toBe(true);
    expect(b.tryCharge(30)).toBe(false); // 20 available
    expect(b.throttled).toBe(1);
    t = 1000; // +10
    expect(b.tryCharge(30)).toBe(true);
    expect(b.status().currentlyAvailable).toBe(0);
    b.refund(25);
    expect(b.status().currentlyAvailable).toBe(25);
    t = 100_000;
    expect(b.status().currentlyAvailable).toBe(100);
    expect(b.minObserved).toBe(0);
  });
});

describe("calculated query cost", () => {
  const schema = loadSchema();
  it("charges objects 1, connections 2 + first × node, mutations 10", () => {
    expect(requestedCost(schema, parse("{ shop { name } }"))).toBe(1);
    expect(requestedCost(schema, parse("{ orders(first: 10) { edges { node { id } } } }"))).toBe(2 + 10);
    expect(
      requestedCost(
        schema,
        parse("{ orders(first: 10) { edges { node { id totalPriceSet { shopMoney { amount } } } } } }"),
      ),
    ).toBe(2 + 10 * 3);
    expect(requestedCost(schema, parse("query($n: Int) { customers(first: $n) { nodes { id } } }"), { n: 5 })).toBe(
      2 + 5,
    );
    expect(
      requestedCost(
        schema,
        parse(
          'mutation { a: tagsAdd(id: "x", tags: []) { node { id } } b: tagsRemove(id: "x", tags: []) { node { id } } }',
        ),
      ),
    ).toBe(20);
    expect(actualCost({ orders: { edges: [{ node: { id: "1" } }], pageInfo: {} } }, false, 12)).toBe(2 + 1); // connection + one node
  });
});

describe("search syntax", () => {
  const rows = [
    { id: 1, updated: new Date("2025-01-01T00:00:00Z"), test: false, tags: ["vip"] },
    { id: 2, updated: new Date("2025-06-01T00:00:00Z"), test: true, tags: [] },
  ];
  const field = (r: (typeof rows)[number], f: string) =>
    f === "updated_at" ? r.updated : f === "test" ? r.test : f === "tag" ? r.tags : f === "id" ? r.id : undefined;
  const run = (q: string, warnings: string[] = []) => rows.filter(searchPredicate(q, field, warnings)).map((r) => r.id);
  it("supports comparisons, quotes, booleans, tags, AND and negation", () => {
    expect(run("updated_at:>'2025-03-01T00:00:00Z'")).toEqual([2]);
    expect(run('updated_at:<="2025-01-01T00:00:00Z"')).toEqual([1]);
    expect(run("test:false")).toEqual([1]);
    expect(run("tag:vip AND id:>0")).toEqual([1]);
    expect(run("-test:true")).toEqual([1]);
  });
  it("ignores unknown fields with a warning, like Shopify", () => {
    const w: string[] = [];
    expect(run("bogus:1", w)).toEqual([1, 2]);
    expect(w).toEqual(["Invalid search field for this query: bogus"]);
  });
});
