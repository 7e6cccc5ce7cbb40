/**
 * Cohorts service: realised LTV and retention by first-order month, from the shop's valid orders
 * (not test, not cancelled, not deleted; revenue = current subtotal, i.e. net of returns and edits).
 * The orders are read as one aggregated string per shop (string_agg, like the dashboard's
 * aggregates): at the demo's 69,659 orders that is one round trip and no per-row objects, which
 * is what made this page the slowest (1.4–2.7 s with Prisma rows). The result is kept in memory
 * per shop, keyed on the orders' version (count and latest update: any insert, edit or delete
 * changes it; one indexed read) and the current month, so repeat visits skip the read.
 */
import type { Db } from "~/db.server";
import { ordersVersion, validOrdersAsText } from "~/models/orders.server";
import { cohortCurvesFromColumns, monthIndex, type Cohort } from "~/presentation/stats";

/**
 * A database timestamp rendered as text: PostgreSQL "2025-06-19 00:00:00(.123)" (UTC, without a
 * zone), SQLite an ISO string or epoch milliseconds, depending on how it was written.
 */
export function parseDbTimestamp(text: string): Date {
  if (/^\d+(\.\d+)?$/.test(text)) return new Date(Number(text));
  const iso = text.includes("T") ? text : text.replace(" ", "T");
  return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
}

/**
 * Month index (year × 12 + month − 1) of a timestamp rendered as text: read from the "YYYY-MM"
 * prefix of an ISO / PostgreSQL timestamp without building a Date; epoch milliseconds otherwise.
 */
export function monthOfDbTimestamp(text: string): number {
  const c = (i: number) => text.charCodeAt(i) - 48;
  if (text.length >= 7 && text[4] === "-" && text[7] !== undefined && text[7] !== ":") {
    const y = c(0) * 1000 + c(1) * 100 + c(2) * 10 + c(3);
    const m = c(5) * 10 + c(6);
    if (y >= 0 && y <= 9999 && m >= 1 && m <= 12) return y * 12 + m - 1;
  }
  return monthIndex(parseDbTimestamp(text));
}

/** Shops whose cohorts are kept in memory (least recently computed dropped first). */
const CACHE_SHOPS = 50;
const cache = new Map<string, { key: string; value: { cohorts: Cohort[]; orders: number } }>();

/** Cohort curves for the shop as of `asOf` (default now). */
export async function getCohorts(
  db: Db,
  shop: string,
  asOf = new Date(),
): Promise<{ cohorts: Cohort[]; orders: number }> {
  const key = `${await ordersVersion(db, shop)}|${monthIndex(asOf)}`;
  const hit = cache.get(shop);
  if (hit && hit.key === key) return hit.value;
  const value = await computeCohorts(db, shop, asOf);
  cache.delete(shop);
  cache.set(shop, { key, value });
  if (cache.size > CACHE_SHOPS) cache.delete(cache.keys().next().value!);
  return value;
}

async function computeCohorts(db: Db, shop: string, asOf: Date): Promise<{ cohorts: Cohort[]; orders: number }> {
  const text = await validOrdersAsText(db, shop);
  const entries = text ? text.split(";") : [];
  const customer = new Int32Array(entries.length);
  const month = new Int32Array(entries.length);
  const revenue = new Float64Array(entries.length);
  const index = new Map<string, number>();
  entries.forEach((entry, i) => {
    // Parsed from the right: the date and amount never contain "|" (an id might).
    const b = entry.lastIndexOf("|");
    const a = entry.lastIndexOf("|", b - 1);
    const id = entry.slice(0, a);
    let c = index.get(id);
    if (c === undefined) index.set(id, (c = index.size));
    customer[i] = c;
    month[i] = monthOfDbTimestamp(entry.slice(a + 1, b));
    revenue[i] = Number(entry.slice(b + 1));
  });
  const cohorts = cohortCurvesFromColumns({ customer, month, revenue, customers: index.size }, monthIndex(asOf));
  return { cohorts, orders: entries.length };
}
