/**
 * The fake Shopify Admin API: a node:http server on 127.0.0.1 that answers
 * `POST /admin/api/2026-07/graphql.json` like Shopify (token check, every document validated
 * against the vendored 2026-07 schema, leaky-bucket cost limit with THROTTLED inside a 200,
 * `extensions.cost` on every answer), serves bulk-operation JSONL files, fires the
 * `bulk_operations/finish` webhook, and can inject transient 5xx and connection resets.
 * Test fixture and demo engine: never imported by app code.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { execute, Kind, type ExecutionResult } from "graphql";
import { BulkOperations, type BulkOperationRecord } from "./bulk";
import { BulkMutations } from "./bulk-mutation";
import { actualCost, requestedCost } from "./cost";
import { fakeFieldResolver, type FakeContext } from "./resolvers";
import { loadSchema, validateDocument } from "./schema";
import type { FakeStore } from "./store";
import { LeakyBucket, type BucketOptions } from "./throttle";
import { createWebhookSender, type DeliveryResult, type WebhookEvent } from "./webhook-sender";

export const FAKE_API_VERSION = "2026-07";
/** Shopify's maximum cost of a single query. */
export const MAX_QUERY_COST = 1000;

/** Options for `startFakeAdmin`. */
export interface FakeAdminOptions {
  store: FakeStore;
  /** Expected X-Shopify-Access-Token. Default "shpat_fake_token". */
  accessToken?: string;
  /** Leaky bucket size / restore rate. */
  bucket?: BucketOptions;
  /** Time a bulk operation spends in CREATED and RUNNING (ms each). Default 20. */
  bulkDelayMs?: number;
  /** Where and how to deliver webhooks (bulk_operations/finish, echoes of mutations). */
  webhooks?: {
    /** App base URL, e.g. "http://127.0.0.1:3000"; a function lets tests point at a restarted app. */
    baseUrl: string | (() => string);
    secret: string;
    /** Don't send bulk_operations/finish (tests the polling fallback). */
    dropBulkFinish?: boolean;
    /** Forward the webhook events caused by API mutations (tagsAdd → customers/update). Default false. */
    forwardMutationEvents?: boolean;
  };
  /** Seed for JSONL child placement. */
  seed?: number;
  /** Port to listen on (0 = any). */
  port?: number;
}

/** A recorded validation failure: the document and graphql-js's messages. */
export interface ValidationFailure {
  query: string;
  errors: string[];
}

/** Starts the fake Admin API; resolves once it listens. */
export async function startFakeAdmin(options: FakeAdminOptions) {
  const schema = loadSchema();
  const token = options.accessToken ?? "shpat_fake_token";
  const bucket = new LeakyBucket(options.bucket);
  const validationFailures: ValidationFailure[] = [];
  const webhookDeliveries: DeliveryResult[] = [];
  const pendingWebhooks: Array<Promise<unknown>> = [];
  const faults = { http5xx: 0, resets: 0 };
  const stats = { requests: 0, graphql: 0, throttled: 0, faultsServed: 0 };

  const sendWebhook = (event: WebhookEvent) => {
    const w = options.webhooks;
    if (!w) return;
    const baseUrl = typeof w.baseUrl === "function" ? w.baseUrl() : w.baseUrl;
    const sender = createWebhookSender({ baseUrl, secret: w.secret, baseDelayMs: 50, maxRetries: 4 });
    const p = sender.send(event).then((r) => webhookDeliveries.push(r));
    pendingWebhooks.push(p);
  };

  const bulk = new BulkOperations(options.store, schema, {
    delayMs: options.bulkDelayMs,
    seed: options.seed,
    onValidationFailure: (query, errors) => validationFailures.push({ query, errors }),
    onFinish: (op: BulkOperationRecord) => {
      if (options.webhooks?.dropBulkFinish) return;
      sendWebhook({
        topic: "bulk_operations/finish",
        shop: options.store.shop.domain,
        payload: {
          admin_graphql_api_id: op.id,
          completed_at: op.completedAt,
          created_at: op.createdAt,
          error_code: op.errorCode?.toLowerCase() ?? null,
          status: op.status.toLowerCase(),
          type: op.type.toLowerCase(),
        },
      });
    },
  });

  const mutations = new BulkMutations(options.store, schema, bulk, {
    delayMs: options.bulkDelayMs,
    emit: (events) => {
      if (options.webhooks?.forwardMutationEvents) for (const e of events) sendWebhook(e);
    },
    onValidationFailure: (query, errors) => validationFailures.push({ query, errors }),
  });
  const bulkOps: NonNullable<FakeContext["bulkOps"]> = {
    start: (q, g) => bulk.start(q, g),
    get: (id) => bulk.get(id),
    list: () => bulk.list(),
    cancel: (id) => bulk.cancel(id),
    current: (type) => bulk.current(type),
    mutations,
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };

  const handleGraphql = (raw: string): { status: number; body: unknown } => {
    let req: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      req = JSON.parse(raw) as typeof req;
    } catch {
      return { status: 400, body: { errors: "Invalid JSON in request body" } };
    }
    if (typeof req.query !== "string") return { status: 400, body: { errors: "Parameter Missing or Invalid: query" } };
    const variables = (req.variables ?? {}) as Record<string, unknown>;
    const operationName = typeof req.operationName === "string" ? req.operationName : undefined;
    const { document, errors } = validateDocument(req.query, schema);
    if (!document || errors.length) {
      validationFailures.push({ query: req.query, errors: errors.map((e) => e.message) });
      return {
        status: 200,
        body: {
          errors: errors.map((e) => ({
            message: e.message,
            locations: e.locations,
            extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
          })),
        },
      };
    }
    const requested = requestedCost(schema, document, variables, operationName);
    const costBase = () => ({ requestedQueryCost: requested, throttleStatus: bucket.status() });
    if (requested > MAX_QUERY_COST) {
      return {
        status: 200,
        body: {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
              extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
            },
          ],
          extensions: { cost: { ...costBase(), actualQueryCost: null } },
        },
      };
    }
    if (!bucket.tryCharge(requested)) {
      stats.throttled++;
      return {
        status: 200,
        body: {
          errors: [
            {
              message: "Throttled",
              extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
            },
          ],
          extensions: { cost: { ...costBase(), actualQueryCost: null } },
        },
      };
    }
    const emitted: WebhookEvent[] = [];
    const ctx: FakeContext = {
      store: options.store,
      bulk: false,
      warnings: [],
      bulkOps,
      emit: (evs) => emitted.push(...evs),
    };
    const result = execute({
      schema,
      document,
      variableValues: variables,
      operationName,
      contextValue: ctx,
      fieldResolver: fakeFieldResolver,
    }) as ExecutionResult;
    const op = document.definitions.find(
      (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
    );
    const isMutation = op?.kind === Kind.OPERATION_DEFINITION && op.operation === "mutation";
    const actual = actualCost(result.data, isMutation, requested);
    bucket.refund(requested - actual);
    if (options.webhooks?.forwardMutationEvents) for (const e of emitted) sendWebhook(e);
    const body: Record<string, unknown> = {};
    if (result.errors?.length) body.errors = result.errors.map((e) => e.toJSON());
    body.data = result.data ?? null;
    body.extensions = {
      cost: { ...costBase(), actualQueryCost: actual },
      ...(ctx.warnings.length ? { search: ctx.warnings.map((w) => ({ message: w })) } : {}),
    };
    return { status: 200, body };
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    const url = new URL(req.url ?? "/", "http://fake");
    if (req.method === "GET" && url.pathname.startsWith("/bulk/")) {
      const [, , encId, file] = url.pathname.split("/");
      const key = decodeURIComponent(encId ?? "") + (file === "partial.jsonl" ? "#partial" : "");
      const body = bulk.files.get(key);
      if (body === undefined) return json(res, 404, { errors: "Not Found" });
      res.writeHead(200, { "content-type": "application/jsonl", "content-length": Buffer.byteLength(body) });
      return void res.end(body);
    }
    if (req.method === "POST" && url.pathname === "/staged-uploads/") {
      // The storage bucket of staged uploads: pre-signed by its form parameters, no access token.
      const parts: Buffer[] = [];
      req.on("data", (c: Buffer) => parts.push(c));
      req.on("end", () => {
        void mutations.handleUpload(req.headers["content-type"], Buffer.concat(parts)).then(({ status, body }) => {
          res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
          res.end(body);
        });
      });
      return;
    }
    if (url.pathname !== `/admin/api/${FAKE_API_VERSION}/graphql.json`) return json(res, 404, { errors: "Not Found" });
    if (req.method !== "POST") return json(res, 405, { errors: "Method Not Allowed" });
    if (faults.resets > 0) {
      faults.resets--;
      stats.faultsServed++;
      return void req.socket.destroy();
    }
    if (faults.http5xx > 0) {
      faults.http5xx--;
      stats.faultsServed++;
      res.writeHead(503, { "content-type": "text/html" });
      return void res.end("<html><body>503 Service Unavailable</body></html>");
    }
    if (req.headers["x-shopify-access-token"] !== token) {
      return json(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      stats.graphql++;
      const { status, body } = handleGraphql(Buffer.concat(chunks).toString("utf8"));
      json(res, status, body);
    });
  };

  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  bulk.setBaseUrl(url);
  mutations.setBaseUrl(url);

  return {
    port,
    url,
    /** Full GraphQL endpoint URL. */
    graphqlUrl: `${url}/admin/api/${FAKE_API_VERSION}/graphql.json`,
    accessToken: token,
    store: options.store,
    bucket,
    bulk,
    /** Staged uploads and bulk mutations. */
    mutations,
    stats,
    /** Every document that failed schema validation (tests assert this stays empty). */
    validationFailures,
    /** Results of webhooks sent by the fake (bulk finish, mutation echoes). */
    webhookDeliveries,
    /** The next `n` GraphQL requests answer 503. */
    inject5xx(n: number) {
      faults.http5xx += n;
    },
    /** The next `n` GraphQL requests have their connection destroyed. */
    injectResets(n: number) {
      faults.resets += n;
    },
    /** Waits until every webhook the fake started sending has finished (incl. retries). */
    async flushWebhooks() {
      while (pendingWebhooks.length) await pendingWebhooks.shift();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The running fake's handle. */
export type FakeAdmin = Awaited<ReturnType<typeof startFakeAdmin>>;
