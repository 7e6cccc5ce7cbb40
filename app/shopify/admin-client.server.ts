/**
 * The Shopify port: one cost-aware Admin GraphQL client used by sync, reconciliation and write-back.
 *
 * - Transport is injected (`(query, variables) => Promise<{ status, json }>`); adapters for
 *   shopify-app-remix's `admin.graphql` and for plain fetch live in `transports.server.ts`.
 * - Reads `extensions.cost { requestedQueryCost, throttleStatus }` from every response and paces
 *   requests *before* sending: waits (requested − available) / restoreRate seconds.
 * - Retries THROTTLED (which arrives inside an HTTP 200) after the bucket has refilled, and transient
 *   failures (5xx, 429, network errors) with exponential backoff and full jitter.
 * - Surfaces GraphQL errors and mutation `userErrors` as typed errors. Never logs tokens or variables.
 * - Typed by document: `request(DOC)` returns the result type codegen generated for DOC.
 */
import type { AdminMutations, AdminQueries } from "@shopify/admin-api-client";

/** What a transport returns: the HTTP status and the parsed JSON body (or null if not JSON). */
export interface TransportResponse {
  status: number;
  json: unknown;
}

/** Sends one GraphQL document. Throwing means a network-level failure (retried as transient). */
export type GraphqlTransport = (query: string, variables?: Record<string, unknown>) => Promise<TransportResponse>;

/** Minimal structured logger (console-compatible). */
export interface AdminLogger {
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
}

/** Shopify's throttle status as read from `extensions.cost.throttleStatus`. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Cost information of one response. */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus?: ThrottleStatus;
}

/** Options of `createAdminGraphql`. */
export interface AdminGraphqlOptions {
  transport: GraphqlTransport;
  logger?: AdminLogger;
  /** Injectable sleep (tests use a fake clock). Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable clock in ms. Default Date.now. */
  now?: () => number;
  /** Injectable randomness for jitter, in [0, 1). Default Math.random. */
  random?: () => number;
  /** Retries for transient failures (5xx, 429, network). Default 5. */
  maxRetries?: number;
  /** Retries for THROTTLED answers (they cost nothing and clear by waiting). Default 30. */
  maxThrottleRetries?: number;
  /** First backoff in ms for transient failures (doubles each attempt, capped). Default 500. */
  baseBackoffMs?: number;
  /** Cap on one backoff in ms. Default 30000. */
  maxBackoffMs?: number;
}

/** A GraphQL error as Shopify reports it. */
export interface GraphqlErrorEntry {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [k: string]: unknown };
}

/** A mutation user error (`userErrors { field message code }`). */
export interface UserErrorEntry {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** Base class of every error raised by the client. */
export class ShopifyAdminError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Non-2xx HTTP answer that is not retried (401, 403, 404, 400…), or a transient one out of retries. */
export class ShopifyHttpError extends ShopifyAdminError {
  constructor(
    readonly status: number,
    readonly body: unknown,
    retryable: boolean,
  ) {
    super(
      `Shopify Admin API answered HTTP ${status}${typeof body === "object" && body && "errors" in body ? `: ${JSON.stringify((body as { errors: unknown }).errors).slice(0, 300)}` : ""}`,
      retryable,
    );
  }
}

/** The transport failed (connection reset, DNS, timeout) more often than allowed. */
export class ShopifyNetworkError extends ShopifyAdminError {
  constructor(readonly cause: unknown) {
    super(`Shopify Admin API unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, true);
  }
}

/** The response carried GraphQL `errors` (other than THROTTLED). `data` holds any partial data. */
export class ShopifyGraphqlError extends ShopifyAdminError {
  constructor(
    readonly errors: GraphqlErrorEntry[],
    readonly data: unknown,
  ) {
    super(
      `Shopify GraphQL error: ${errors.map((e) => `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ""}`).join("; ")}`,
      false,
    );
  }
}

/** Still THROTTLED after `maxThrottleRetries`. */
export class ShopifyThrottledError extends ShopifyAdminError {
  constructor(readonly attempts: number) {
    super(`Shopify Admin API still THROTTLED after ${attempts} attempts`, true);
  }
}

/** A mutation returned `userErrors`. */
export class ShopifyUserError extends ShopifyAdminError {
  constructor(
    readonly mutation: string,
    readonly userErrors: UserErrorEntry[],
  ) {
    super(
      `${mutation} failed: ${userErrors.map((e) => `${e.field?.length ? `${e.field.join(".")}: ` : ""}${e.message}`).join("; ")}`,
      false,
    );
  }
}

/** A successful response. */
export interface GraphqlResult<T> {
  data: T;
  cost: QueryCost | null;
}

/** A generated operation registry without its index signature (only the documents codegen typed). */
type Generated<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : symbol extends K ? never : K]: T[K];
};

/**
 * Every `#graphql` document of app/ with its result and variables types, generated by
 * `npm run graphql-codegen` into app/types/admin.generated.d.ts (which augments these interfaces).
 */
export type AdminOperations = Generated<AdminQueries> & Generated<AdminMutations>;
/** A document codegen typed (its exact text). */
export type AdminDocument = keyof AdminOperations;
/** The `data` of a typed document. */
export type ResultOf<D extends AdminDocument> = AdminOperations[D]["return"];
/** The variables of a typed document. */
export type VariablesOf<D extends AdminDocument> = AdminOperations[D]["variables"];
/** The roots of a typed mutation whose payload carries `userErrors`. */
type PayloadRoot<D extends AdminDocument> = {
  [R in keyof ResultOf<D>]: NonNullable<ResultOf<D>[R]> extends { userErrors: unknown } ? R : never;
}[keyof ResultOf<D>];

/** The port used across the app. */
export interface AdminGraphql {
  /** Runs a typed document (`#graphql`, see app/types/admin.generated.d.ts); returns `data` or throws a typed error. */
  request<D extends AdminDocument>(query: D, variables?: VariablesOf<D>): Promise<GraphqlResult<ResultOf<D>>>;
  /**
   * Runs a document built at run time (batches of aliased mutations: codegen cannot type them),
   * with the result shape the builder documents. Static documents go through `request`.
   */
  requestBuilt<T>(query: string, variables?: Record<string, unknown>): Promise<GraphqlResult<T>>;
  /**
   * Runs a typed mutation and checks `data[root].userErrors`; returns `data[root]`.
   * @example const { bulkOperation } = await admin.mutate(BULK_RUN_MUTATION, { query }, "bulkOperationRunQuery");
   */
  mutate<D extends AdminDocument, R extends PayloadRoot<D>>(
    query: D,
    variables: VariablesOf<D>,
    root: R,
  ): Promise<NonNullable<ResultOf<D>[R]>>;
  /** Last known throttle status (null before the first response). */
  throttleStatus(): ThrottleStatus | null;
  /** Counters for tests and benchmarks. */
  readonly stats: { requests: number; throttled: number; transientRetries: number; waitedMs: number };
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const silent: AdminLogger = { info: () => undefined, warn: () => undefined };

/** Name of the first operation in a document, for logs (never the variables). */
function operationLabel(query: string): string {
  const m = /\b(query|mutation)\s+(\w+)/.exec(query);
  return m ? `${m[1]} ${m[2]}` : query.trim().startsWith("mutation") ? "mutation" : "query";
}

/** Creates the cost-aware client around a transport. */
export function createAdminGraphql(options: AdminGraphqlOptions): AdminGraphql {
  const logger = options.logger ?? silent;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const maxRetries = options.maxRetries ?? 5;
  const maxThrottleRetries = options.maxThrottleRetries ?? 30;
  const baseBackoff = options.baseBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const stats = { requests: 0, throttled: 0, transientRetries: 0, waitedMs: 0 };

  // Local model of the bucket: last status, when it was read, and points reserved by in-flight requests.
  let bucket: (ThrottleStatus & { at: number }) | null = null;
  let reserved = 0;
  /** Last requested cost per document, to pace repeated queries before sending them. */
  const knownCost = new Map<string, number>();

  const available = () => {
    if (!bucket) return Infinity;
    const refill = ((now() - bucket.at) / 1000) * bucket.restoreRate;
    return Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + refill) - reserved;
  };

  const wait = async (ms: number, why: string, label: string) => {
    if (ms <= 0) return;
    stats.waitedMs += ms;
    logger.info("shopify.admin.wait", { operation: label, reason: why, waitMs: Math.round(ms) });
    await sleep(ms);
  };

  const backoff = (attempt: number) => random() * Math.min(maxBackoff, baseBackoff * 2 ** attempt);

  async function send<T>(query: string, variables?: object): Promise<GraphqlResult<T>> {
    const label = operationLabel(query);
    let transient = 0;
    let throttles = 0;
    for (;;) {
      // Pace before sending: wait until the modelled bucket can pay the expected cost.
      const expected = knownCost.get(query) ?? 0;
      if (bucket && expected > 0) {
        const avail = available();
        if (expected > avail) await wait(((expected - avail) / bucket.restoreRate) * 1000, "pacing", label);
      }
      reserved += expected;
      let res: TransportResponse;
      try {
        stats.requests++;
        res = await options.transport(query, variables as Record<string, unknown> | undefined);
      } catch (e) {
        reserved -= expected;
        if (transient >= maxRetries) throw new ShopifyNetworkError(e);
        stats.transientRetries++;
        logger.warn("shopify.admin.network_error", {
          operation: label,
          attempt: transient + 1,
          error: e instanceof Error ? e.message : String(e),
        });
        await wait(backoff(transient++), "network", label);
        continue;
      }
      reserved -= expected;

      const body = (res.json ?? {}) as { data?: unknown; errors?: unknown; extensions?: { cost?: QueryCost } };
      const cost = body.extensions?.cost ?? null;
      if (cost?.throttleStatus) bucket = { ...cost.throttleStatus, at: now() };
      if (cost?.requestedQueryCost) knownCost.set(query, cost.requestedQueryCost);

      if (res.status === 429 || res.status >= 500) {
        if (transient >= maxRetries) throw new ShopifyHttpError(res.status, body, true);
        stats.transientRetries++;
        logger.warn("shopify.admin.transient_http", { operation: label, status: res.status, attempt: transient + 1 });
        await wait(backoff(transient++), `http ${res.status}`, label);
        continue;
      }
      if (res.status < 200 || res.status >= 300) throw new ShopifyHttpError(res.status, body, false);

      const errors = Array.isArray(body.errors)
        ? (body.errors as GraphqlErrorEntry[])
        : typeof body.errors === "string"
          ? [{ message: body.errors }]
          : [];
      if (errors.some((e) => e.extensions?.code === "THROTTLED")) {
        stats.throttled++;
        if (throttles >= maxThrottleRetries) throw new ShopifyThrottledError(throttles + 1);
        throttles++;
        const need = cost?.requestedQueryCost ?? expected;
        const status = cost?.throttleStatus;
        const ms =
          status && status.restoreRate > 0
            ? ((need - status.currentlyAvailable) / status.restoreRate) * 1000
            : backoff(throttles);
        await wait(Math.max(ms, 50), "throttled", label);
        continue;
      }
      if (errors.length) throw new ShopifyGraphqlError(errors, body.data ?? null);
      return { data: (body.data ?? {}) as T, cost };
    }
  }

  async function mutate<D extends AdminDocument, R extends PayloadRoot<D>>(
    query: D,
    variables: VariablesOf<D>,
    root: R,
  ): Promise<NonNullable<ResultOf<D>[R]>> {
    const { data } = await send<ResultOf<D>>(query, variables);
    const payload: ResultOf<D>[R] | undefined = data[root];
    if (payload == null)
      throw new ShopifyGraphqlError([{ message: `mutation ${String(root)} returned no payload` }], data);
    const userErrors = (payload as { userErrors?: UserErrorEntry[] }).userErrors;
    if (userErrors && userErrors.length > 0) throw new ShopifyUserError(String(root), userErrors);
    return payload;
  }

  return {
    request: (query, variables) => send(query, variables),
    requestBuilt: (query, variables) => send(query, variables),
    mutate,
    throttleStatus: () => (bucket ? { ...bucket } : null),
    stats,
  };
}
