/**
 * The one typed schema of every environment variable the app, the worker and the demo read (zod).
 * Code reads `env()` (validated once per process), never `process.env`; the web server
 * (entry.server.tsx) and the standalone worker (job-runtime/standalone-worker-main.ts) call it at start, so a bad value
 * stops the process before it serves or claims anything. Errors name the variable and what is
 * wrong; values are never echoed for secrets. In production the app refuses to start without its
 * Shopify credentials and HORIZON_ENCRYPTION_KEY; in development/test, documented placeholders are
 * used with a warning. Test-only variables (TEST_PG_URL, REQUIRE_PG, CHROMIUM_PATH) are read by the
 * test helpers, not here.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { DbProvider } from "~/db/connect.server";
import { DEFAULT_SQLITE_URL } from "~/default-database-url";
import { parseKey } from "~/security/crypto.server";

const DEFAULT_SCOPES = "read_customers,write_customers,read_orders,read_all_orders,write_discounts,read_locales";

const databaseUrlSchema = z
  .string()
  .default(DEFAULT_SQLITE_URL)
  .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), 'must start with "file:" or "postgresql://"');

const flag = z.enum(["0", "1"]).default("0");
const positiveInt = z.coerce.number().int().min(1);

const schema = z.object({
  /** "production" | "development" | "test". */
  NODE_ENV: z.enum(["production", "development", "test"]).default("development"),
  /** `file:./prisma/dev.sqlite` (default) or `postgresql://user@host:5432/db?schema=name`. */
  DATABASE_URL: databaseUrlSchema,
  /** App client id from the Partner Dashboard. */
  SHOPIFY_API_KEY: z.string().min(1).optional(),
  /** App client secret (signs webhooks and OAuth). */
  SHOPIFY_API_SECRET: z.string().min(1).optional(),
  /** Public https URL of the app. */
  SHOPIFY_APP_URL: z.string().url("must be an absolute URL like https://app.example.com").optional(),
  /** Comma-separated access scopes. */
  SCOPES: z.string().default(DEFAULT_SCOPES),
  /** Extra shop domains, comma-separated: `example.io` or `my.shop.dev=api.shop.dev` (app/shopify/shop-domains.ts). */
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  /** 32-byte key (hex or base64) encrypting access tokens at rest. Required in production. */
  HORIZON_ENCRYPTION_KEY: z.string().optional(),
  /** The previous key during a rotation (decrypt only). */
  HORIZON_ENCRYPTION_KEY_PREVIOUS: z.string().optional(),
  /** "inline" runs the job worker inside the web process (demo/SQLite); "external" expects standalone-worker-main. */
  HORIZON_WORKER: z.enum(["inline", "external"]).default("inline"),
  /** "off" stops the inline worker's daily maintenance scheduler (retention). */
  HORIZON_SCHEDULER: z.enum(["on", "off"]).default("on"),
  /** Parallel job lanes per worker (default: 2 on PostgreSQL, 1 on SQLite — see workerSettings). */
  WORKER_CONCURRENCY: positiveInt.max(64).optional(),
  /** How often an idle worker looks for jobs, ms. */
  WORKER_POLL_MS: positiveInt.max(60_000).default(200),
  /** A running job whose lock is older than this (ms) is requeued (crashed worker). */
  WORKER_STALE_MS: positiveInt.min(1000).default(60_000),
  /** How often a worker requeues stale jobs, ms. */
  WORKER_RECOVER_MS: positiveInt.default(10_000),
  /** Jobs claimed per query. */
  WORKER_CLAIM_BATCH: positiveInt.max(1000).default(16),
  /** Bound on waiting for running jobs at SIGTERM/SIGINT before releasing them to the queue, ms. */
  WORKER_SHUTDOWN_MS: positiveInt.max(600_000).default(10_000),
  /** Wait after an order change before the incremental rescoring, ms (default 3 min; the demo uses 5 s). */
  RESCORE_DEBOUNCE_MS: positiveInt.max(3_600_000).optional(),
  /** Set by vitest: the web process starts no inline worker while a test imports the server build. */
  VITEST: z.string().optional(),
  /** "debug" logs every Admin API call. */
  HORIZON_LOG_LEVEL: z.enum(["debug", "info"]).default("info"),
  /** "1" disables the trainer's WASM slice kernels (stock TF.js kernels; ADR 0007). */
  HORIZON_WASM_STOCK_SLICE: flag,
  /** "1" turns on demo mode (refused in production; see auth.server.ts). */
  HORIZON_DEMO: flag,
  /** The demo's shop domain. */
  HORIZON_DEMO_SHOP: z.string().optional(),
  /** Demo: import only this many customers (a quick subset). */
  HORIZON_DEMO_CUSTOMERS: positiveInt.optional(),
  /** Demo: "1" reuses the existing demo database instead of starting fresh. */
  HORIZON_DEMO_KEEP: flag,
  /** Demo: "1" prints the phase timings as JSON at the end. */
  HORIZON_DEMO_TIMINGS: flag,
  /** HTTP port of the demo server. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Interface the demo server listens on (default: all). */
  HOST: z.string().optional(),
  /** Webhook verification: "fast" (raw-body HMAC, verify.server.ts) or "shopify" (authenticate.webhook). */
  HORIZON_WEBHOOK_AUTH: z.enum(["fast", "shopify"]).default("fast"),
  /** Largest accepted webhook body in bytes (default 1 MiB). */
  WEBHOOK_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
});

/** The validated environment. */
export type Env = z.infer<typeof schema> & {
  SHOPIFY_API_KEY: string;
  SHOPIFY_API_SECRET: string;
  SHOPIFY_APP_URL: string;
  HORIZON_ENCRYPTION_KEY: string;
};

/** Thrown when the environment is invalid; `message` lists every problem, one per line. */
export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid environment:\n  - ${problems.join("\n  - ")}`);
    this.name = "EnvError";
  }
}

const SECRET_VARS = new Set([
  "SHOPIFY_API_SECRET",
  "HORIZON_ENCRYPTION_KEY",
  "HORIZON_ENCRYPTION_KEY_PREVIOUS",
  "DATABASE_URL",
]);

/**
 * Validates an environment (default process.env). Throws EnvError listing every problem.
 * `warn` receives notices about development placeholders.
 */
export function loadEnv(
  source: Record<string, string | undefined> = process.env,
  warn: (m: string) => void = console.warn,
): Env {
  const cleaned = Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v === "" ? undefined : v]));
  const parsed = schema.safeParse(cleaned);
  const problems: string[] = [];
  for (const k of ["HORIZON_ENCRYPTION_KEY", "HORIZON_ENCRYPTION_KEY_PREVIOUS"] as const) {
    const v = cleaned[k];
    if (v) {
      try {
        parseKey(v, k);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
  }
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const name = String(i.path[0] ?? "(env)");
      const got = SECRET_VARS.has(name) || cleaned[name] === undefined ? "" : ` (got ${JSON.stringify(cleaned[name])})`;
      problems.push(`${name}: ${i.message}${got}`);
    }
    throw new EnvError(problems);
  }
  const e = parsed.data;
  const prod = e.NODE_ENV === "production";
  const required = ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "HORIZON_ENCRYPTION_KEY"] as const;
  if (prod) {
    for (const k of required) if (!e[k]) problems.push(`${k}: required in production`);
  }
  if (problems.length) throw new EnvError(problems);

  const apiSecret = e.SHOPIFY_API_SECRET ?? "horizon-dev-secret";
  const missing = required.filter((k) => !e[k]);
  if (missing.length)
    warn(`[env] ${e.NODE_ENV}: using development placeholders for ${missing.join(", ")}; never do this in production`);
  return {
    ...e,
    SHOPIFY_API_KEY: e.SHOPIFY_API_KEY ?? "horizon-dev-api-key",
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: e.SHOPIFY_APP_URL ?? "http://localhost:3000",
    // Development-only key derived from the (placeholder) secret, so dev sessions survive restarts.
    HORIZON_ENCRYPTION_KEY:
      e.HORIZON_ENCRYPTION_KEY ?? createHash("sha256").update(`horizon-dev-encryption-key:${apiSecret}`).digest("hex"),
  };
}

let cached: Env | undefined;

/** The process environment, validated once. */
export function env(): Env {
  cached ??= loadEnv();
  return cached;
}

/** The database URL alone (migrations, tools): validated like DATABASE_URL in the full schema. */
export function databaseUrl(source: Record<string, string | undefined> = process.env): string {
  const r = databaseUrlSchema.safeParse(source.DATABASE_URL || undefined);
  if (!r.success) throw new EnvError(r.error.issues.map((i) => `DATABASE_URL: ${i.message}`));
  return r.data;
}

/** Options of a job worker (inline or standalone) from the environment; one set of defaults. */
export function workerSettings(e: Env, provider: DbProvider) {
  return {
    concurrency: e.WORKER_CONCURRENCY ?? (provider === "postgresql" ? 2 : 1),
    pollMs: e.WORKER_POLL_MS,
    staleMs: e.WORKER_STALE_MS,
    recoverEveryMs: e.WORKER_RECOVER_MS,
    claimBatch: e.WORKER_CLAIM_BATCH,
  };
}
