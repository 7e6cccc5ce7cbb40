/**
 * Parsing and validation of the customers page's query string (pure). Unknown values produce a
 * clear message naming the parameter; the page then falls back to the default for that parameter.
 */
import { z } from "zod";

/** P(alive) below this marks a customer "at risk" (likely lapsed). */
export const AT_RISK_P_ALIVE = 0.5;

/** Columns the customers table can be sorted by (server-side). */
export const CUSTOMER_SORT_KEYS = [
  "clv",
  "pAlive",
  "expectedOrders",
  "historicSpend",
  "orderCount",
  "lastOrderAt",
  "customerId",
] as const;

/** A sortable column. */
export type CustomerSortKey = (typeof CUSTOMER_SORT_KEYS)[number];

/** Validated customers-list query. */
export interface CustomerListQuery {
  sort: CustomerSortKey;
  direction: "asc" | "desc";
  /** Only this tier (undefined: all tiers). */
  tier?: string;
  /** Only customers with P(alive) < AT_RISK_P_ALIVE. */
  atRisk: boolean;
  /** Customer id prefix or order name. */
  q?: string;
  /** Exactly this customer (the customer page's export). */
  id?: string;
  /** 1-based page. */
  page: number;
  pageSize: number;
}

/** Defaults: most valuable customers first, 50 per page. */
export const DEFAULT_CUSTOMER_QUERY: CustomerListQuery = {
  sort: "clv",
  direction: "desc",
  atRisk: false,
  page: 1,
  pageSize: 50,
};

const fields = {
  sort: z.enum(CUSTOMER_SORT_KEYS),
  direction: z.enum(["asc", "desc"]),
  tier: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, "letters, digits, - or _ (max 40)"),
  atRisk: z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true"),
  q: z.string().trim().max(100, "at most 100 characters"),
  id: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z_-]{1,64}$/, "a customer id (letters, digits, - or _)"),
  page: z.coerce.number().int("a whole number").min(1, "at least 1").max(1_000_000),
  pageSize: z.coerce.number().int("a whole number").min(10, "at least 10").max(250, "at most 250"),
} as const;

/**
 * Parses URL search params into a query. Never throws: invalid parameters are reported in
 * `errors` (one message per parameter) and replaced by their defaults.
 */
export function parseCustomerListQuery(params: URLSearchParams): { query: CustomerListQuery; errors: string[] } {
  const query: CustomerListQuery = { ...DEFAULT_CUSTOMER_QUERY };
  const errors: string[] = [];
  for (const key of Object.keys(fields) as Array<keyof typeof fields>) {
    const raw = params.get(key);
    if (raw === null || raw === "") continue;
    const r = fields[key].safeParse(raw);
    if (!r.success) {
      errors.push(
        `Parameter "${key}" = "${raw.slice(0, 60)}" is invalid: ${r.error.issues[0]?.message ?? "bad value"}.`,
      );
      continue;
    }
    (query as unknown as Record<string, unknown>)[key] = r.data;
  }
  if (query.q === "") delete query.q;
  return { query, errors };
}

/** Serialises a query back to search params (defaults omitted), e.g. for links and the export. */
export function customerQueryToParams(query: CustomerListQuery): URLSearchParams {
  const p = new URLSearchParams();
  const d = DEFAULT_CUSTOMER_QUERY;
  if (query.sort !== d.sort) p.set("sort", query.sort);
  if (query.direction !== d.direction) p.set("direction", query.direction);
  if (query.tier) p.set("tier", query.tier);
  if (query.atRisk) p.set("atRisk", "1");
  if (query.q) p.set("q", query.q);
  if (query.id) p.set("id", query.id);
  if (query.page !== 1) p.set("page", String(query.page));
  if (query.pageSize !== d.pageSize) p.set("pageSize", String(query.pageSize));
  return p;
}
