/** Shared helpers for the repositories in app/models (shop validation, result types, chunking). */
import type { Db } from "~/db/connect.server";
import { isShopDomain } from "~/shopify/shop-domain";

export type { Db };

/** Outcome of an "apply only if newer" write. */
export type ApplyResult = "applied" | "skipped";

/** Counts of a batch write. */
export interface BatchResult {
  applied: number;
  skipped: number;
}

/** Bad input to a repository (names the field); callers treat it as permanent, never retried. */
export class ValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValidationError";
  }
}

/** Throws a clear error unless `shop` is a *.myshopify.com domain (every query is scoped by it). */
export function assertShop(shop: string): void {
  if (!isShopDomain(shop)) {
    throw new ValidationError(`shop must be a "<name>.myshopify.com" domain; got ${JSON.stringify(shop)}`);
  }
}

/** Throws unless `id` is a numeric Shopify id string. */
export function assertId(field: string, id: unknown): asserts id is string {
  if (typeof id !== "string" || !/^\d{1,20}$/.test(id)) {
    throw new ValidationError(`${field} must be a numeric Shopify id string; got ${JSON.stringify(id)}`);
  }
}

/** Splits an array into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** True for Prisma's unique-constraint error (P2002), on either provider. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}

/** Parses a stored JSON column, returning `fallback` on corrupt content. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
