/**
 * Cohorts service: realised LTV by first-order month, from the shop's valid orders (not test, not
 * cancelled, not deleted; revenue = current subtotal, i.e. net of returns and edits).
 */
import type { Db } from "~/db.server";
import { cohortCurves, type Cohort, type CohortOrder } from "./stats";

/** Orders read per query (bounded memory per batch). */
const BATCH = 20_000;

/** Cohort curves for the shop as of `asOf` (default now). */
export async function getCohorts(
  db: Db,
  shop: string,
  asOf = new Date(),
): Promise<{ cohorts: Cohort[]; orders: number }> {
  const orders: CohortOrder[] = [];
  for (let skip = 0; ; skip += BATCH) {
    const rows = await db.order.findMany({
      where: { shop, test: false, cancelledAt: null, deletedAt: null, customerId: { not: null } },
      select: { customerId: true, processedAt: true, currentSubtotal: true },
      orderBy: [{ processedAt: "asc" }, { id: "asc" }],
      skip,
      take: BATCH,
    });
    for (const r of rows)
      orders.push({ customerId: r.customerId!, processedAt: r.processedAt, revenue: r.currentSubtotal });
    if (rows.length < BATCH) break;
  }
  return { cohorts: cohortCurves(orders, asOf), orders: orders.length };
}
