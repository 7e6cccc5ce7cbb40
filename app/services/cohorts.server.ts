/**
 * Cohorts service: realised LTV and retention by first-order month, from the shop's valid orders
 * (not test, not cancelled, not deleted; revenue = current subtotal, i.e. net of returns and edits).
 * The orders are read as one aggregated string per shop (string_agg, like the dashboard's
 * aggregates): at the demo's 69,659 orders that is one round trip and no per-row objects, which
 * is what made this page the slowest (1.4–2.7 s with Prisma rows).
 */
import type { Db } from "~/db.server";
import { cohortCurves, type Cohort, type CohortOrder } from "./stats";

/**
 * A database timestamp rendered as text: PostgreSQL "2025-06-19 00:00:00(.123)" (UTC, without a
 * zone), SQLite an ISO string or epoch milliseconds, depending on how it was written.
 */
export function parseDbTimestamp(text: string): Date {
  if (/^\d+(\.\d+)?$/.test(text)) return new Date(Number(text));
  const iso = text.includes("T") ? text : text.replace(" ", "T");
  return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`);
}

/** Cohort curves for the shop as of `asOf` (default now). */
export async function getCohorts(
  db: Db,
  shop: string,
  asOf = new Date(),
): Promise<{ cohorts: Cohort[]; orders: number }> {
  const rows = await db.$queryRaw<Array<{ v: string | null }>>`
    SELECT string_agg("customerId" || '|' || CAST("processedAt" AS TEXT) || '|' || CAST("currentSubtotal" AS TEXT), ';') AS v
    FROM "Order"
    WHERE "shop" = ${shop} AND "test" = false AND "cancelledAt" IS NULL AND "deletedAt" IS NULL AND "customerId" IS NOT NULL`;
  const text = rows[0]?.v;
  const orders: CohortOrder[] = [];
  if (text) {
    for (const entry of text.split(";")) {
      // Parsed from the right: the date and amount never contain "|" (an id might).
      const b = entry.lastIndexOf("|");
      const a = entry.lastIndexOf("|", b - 1);
      orders.push({
        customerId: entry.slice(0, a),
        processedAt: parseDbTimestamp(entry.slice(a + 1, b)),
        revenue: Number(entry.slice(b + 1)),
      });
    }
  }
  return { cohorts: cohortCurves(orders, asOf), orders: orders.length };
}
