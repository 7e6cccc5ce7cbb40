/**
 * Environment validation at boot (zod). Errors name the variable and what is wrong; values are
 * never echoed for secrets. In production the app refuses to start without its Shopify credentials
 * and HORIZON_ENCRYPTION_KEY; in development/test, documented placeholders are used with a warning.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { parseKey } from "~/security/crypto.server";

const DEFAULT_SCOPES = "read_customers,write_customers,read_orders,read_all_orders,write_discounts";

const schema = z.object({
  /** "production" | "development" | "test". */
  NODE_ENV: z.enum(["production", "development", "test"]).default("development"),
  /** `file:./prisma/dev.sqlite` (default) or `postgresql://user@host:5432/db?schema=name`. */
  DATABASE_URL: z
    .string()
    .default("file:./prisma/dev.sqlite")
    .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), 'must start with "file:" or "postgresql://"'),
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
  /** "inline" runs the job worker inside the web process (demo/SQLite); "external" expects worker-main. */
  HORIZON_WORKER: z.enum(["inline", "external"]).default("inline"),
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
