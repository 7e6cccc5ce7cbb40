import { describe, expect, it } from "vitest";
import { SEGMENT_DELETE } from "~/actions/documents";
import {
  createAdminGraphql,
  ShopifyGraphqlError,
  ShopifyHttpError,
  ShopifyNetworkError,
  ShopifyThrottledError,
  ShopifyUserError,
  type GraphqlTransport,
  type TransportResponse,
} from "./admin-client.server";
import { fetchTransport, remixAdminTransport } from "./transports.server";

/** A fake clock whose sleep advances time. */
function clock() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

const cost = (requested: number, available: number, max = 1000, restore = 50) => ({
  cost: {
    requestedQueryCost: requested,
    actualQueryCost: requested,
    throttleStatus: { maximumAvailable: max, currentlyAvailable: available, restoreRate: restore },
  },
});

function scripted(responses: Array<TransportResponse | Error>): GraphqlTransport & { calls: number } {
  const fn = (async () => {
    fn.calls++;
    const r = responses.shift();
    if (!r) throw new Error("script exhausted");
    if (r instanceof Error) throw r;
    return r;
  }) as unknown as GraphqlTransport & { calls: number };
  fn.calls = 0;
  return fn;
}

describe("createAdminGraphql", () => {
  it("paces a repeated query before sending when the modelled bucket cannot pay", async () => {
    const c = clock();
    const transport = scripted([
      { status: 200, json: { data: { a: 1 }, extensions: cost(100, 50) } },
      { status: 200, json: { data: { a: 2 }, extensions: cost(100, 0) } },
    ]);
    const admin = createAdminGraphql({ transport, sleep: c.sleep, now: c.now });
    await admin.requestBuilt("{ a }");
    const r = await admin.requestBuilt<{ a: number }>("{ a }");
    expect(r.data.a).toBe(2);
    // (100 - 50) / 50 points per second = 1 s, waited before the second send
    expect(c.sleeps).toEqual([1000]);
    expect(admin.stats.throttled).toBe(0);
  });

  it("retries THROTTLED that arrives inside an HTTP 200, waiting for the bucket to refill", async () => {
    const c = clock();
    const transport = scripted([
      {
        status: 200,
        json: {
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
          extensions: {
            cost: {
              requestedQueryCost: 300,
              actualQueryCost: null,
              throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 100, restoreRate: 100 },
            },
          },
        },
      },
      { status: 200, json: { data: { ok: true }, extensions: cost(300, 700) } },
    ]);
    const admin = createAdminGraphql({ transport, sleep: c.sleep, now: c.now });
    const r = await admin.requestBuilt<{ ok: boolean }>("{ ok }");
    expect(r.data.ok).toBe(true);
    expect(c.sleeps).toEqual([2000]);
    expect(admin.stats.throttled).toBe(1);
  });

  it("gives up on endless THROTTLED with a typed error", async () => {
    const c = clock();
    const throttled = { status: 200, json: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] } };
    const admin = createAdminGraphql({
      transport: scripted(Array(5).fill(throttled)),
      sleep: c.sleep,
      now: c.now,
      maxThrottleRetries: 3,
    });
    await expect(admin.requestBuilt("{ x }")).rejects.toBeInstanceOf(ShopifyThrottledError);
  });

  it("retries transient 5xx and network errors with exponential backoff and jitter", async () => {
    const c = clock();
    const transport = scripted([
      { status: 502, json: null },
      new Error("ECONNRESET"),
      { status: 503, json: null },
      { status: 200, json: { data: { x: 1 } } },
    ]);
    const admin = createAdminGraphql({ transport, sleep: c.sleep, now: c.now, random: () => 0.5, baseBackoffMs: 100 });
    await admin.requestBuilt("{ x }");
    expect(transport.calls).toBe(4);
    expect(c.sleeps).toEqual([50, 100, 200]);
    expect(admin.stats.transientRetries).toBe(3);
  });

  it("stops after maxRetries: HTTP and network errors become typed errors", async () => {
    const c = clock();
    const a = createAdminGraphql({
      transport: scripted(Array(3).fill({ status: 500, json: null })),
      sleep: c.sleep,
      now: c.now,
      maxRetries: 2,
    });
    await expect(a.requestBuilt("{ x }")).rejects.toMatchObject({
      name: "ShopifyHttpError",
      status: 500,
      retryable: true,
    });
    const b = createAdminGraphql({
      transport: scripted(Array(3).fill(new Error("socket hang up"))),
      sleep: c.sleep,
      now: c.now,
      maxRetries: 2,
    });
    await expect(b.requestBuilt("{ x }")).rejects.toBeInstanceOf(ShopifyNetworkError);
  });

  it("does not retry 401 and reports it", async () => {
    const t = scripted([{ status: 401, json: { errors: "[API] Invalid API key or access token" } }]);
    const admin = createAdminGraphql({ transport: t, sleep: clock().sleep });
    const err = await admin.requestBuilt("{ x }").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyHttpError);
    expect((err as ShopifyHttpError).message).toContain("HTTP 401");
    expect(t.calls).toBe(1);
  });

  it("surfaces GraphQL errors and mutation userErrors as typed errors", async () => {
    const g = createAdminGraphql({
      transport: scripted([
        {
          status: 200,
          json: { errors: [{ message: "Field 'x' doesn't exist", extensions: { code: "undefinedField" } }] },
        },
      ]),
    });
    await expect(g.requestBuilt("{ x }")).rejects.toBeInstanceOf(ShopifyGraphqlError);
    const u = createAdminGraphql({
      transport: scripted([
        {
          status: 200,
          json: {
            data: {
              segmentDelete: { deletedSegmentId: null, userErrors: [{ field: ["id"], message: "Resource not found" }] },
            },
          },
        },
      ]),
    });
    const err = await u
      .mutate(SEGMENT_DELETE, { id: "gid://shopify/Segment/1" }, "segmentDelete")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyUserError);
    expect((err as Error).message).toBe("segmentDelete failed: id: Resource not found");
  });

  it("never logs the access token", async () => {
    const logs: string[] = [];
    const logger = {
      info: (m: string, meta?: object) => logs.push(m + JSON.stringify(meta)),
      warn: (m: string, meta?: object) => logs.push(m + JSON.stringify(meta)),
    };
    const transport = fetchTransport({
      shop: "a.myshopify.com",
      accessToken: "shpat_SECRET123",
      fetch: (async () => {
        throw new Error("connect ECONNREFUSED");
      }) as typeof fetch,
    });
    const admin = createAdminGraphql({ transport, logger, sleep: clock().sleep, maxRetries: 2 });
    await expect(admin.requestBuilt("query Probe { shop { name } }")).rejects.toBeInstanceOf(ShopifyNetworkError);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join("\n")).not.toContain("shpat_SECRET123");
  });
});

describe("transports", () => {
  it("fetchTransport posts to the shop's 2026-07 endpoint with the token header", async () => {
    let seen: { url: string; init: RequestInit } | undefined;
    const f = (async (url: string, init: RequestInit) => {
      seen = { url, init };
      return new Response(JSON.stringify({ data: { shop: { name: "A" } } }), { status: 200 });
    }) as unknown as typeof fetch;
    const r = await fetchTransport({ shop: "a.myshopify.com", accessToken: "tok", fetch: f })("{ shop { name } }", {
      v: 1,
    });
    expect(seen!.url).toBe("https://a.myshopify.com/admin/api/2026-07/graphql.json");
    expect((seen!.init.headers as Record<string, string>)["x-shopify-access-token"]).toBe("tok");
    expect(JSON.parse(String(seen!.init.body))).toEqual({ query: "{ shop { name } }", variables: { v: 1 } });
    expect(r).toEqual({ status: 200, json: { data: { shop: { name: "A" } } } });
    expect(() => fetchTransport({ shop: "evil.com/x", accessToken: "t" })).toThrow(/invalid shop domain/);
  });

  it("remixAdminTransport turns shopify-api's thrown errors back into status + json", async () => {
    const body = { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] };
    const graphqlQueryError = Object.assign(new Error("GraphQL Client: Throttled"), { body });
    const t1 = remixAdminTransport({
      graphql: async () => {
        throw graphqlQueryError;
      },
    });
    expect(await t1("{ x }")).toEqual({ status: 200, json: body });
    const httpError = Object.assign(new Error("Received an error response (503)"), {
      response: { code: 503, body: null },
    });
    const t2 = remixAdminTransport({
      graphql: async () => {
        throw httpError;
      },
    });
    expect(await t2("{ x }")).toEqual({ status: 503, json: null });
    const ok = remixAdminTransport({ graphql: async () => new Response(JSON.stringify({ data: { a: 1 } })) });
    expect(await ok("{ a }")).toEqual({ status: 200, json: { data: { a: 1 } } });
  });
});
