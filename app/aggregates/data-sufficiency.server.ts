/**
 * How much usable order history a shop has, against the trainer's minimum (scoped by shop). Shown
 * by the dashboard as the "not enough data" state and the "limited history" banner.
 */
import type { Db } from "~/db.server";
import { countValidOrderCustomers, validOrderDateSpan } from "~/models/orders.server";
import { DATA_REQUIREMENTS, unmetRequirements } from "~/presentation/data-requirements";

export { DATA_REQUIREMENTS };

/** How much usable history the shop has, against DATA_REQUIREMENTS. */
export interface DataSufficiency {
  customers: number;
  repeatCustomers: number;
  historyDays: number;
  enough: boolean;
  /** One plain English sentence per unmet requirement (the page uses the counts: unmetRequirements). */
  missing: string[];
}

/** Counts usable history: customers with valid orders, repeaters and the span of order dates. */
export async function getDataSufficiency(db: Db, shop: string): Promise<DataSufficiency> {
  const [span, rows] = await Promise.all([validOrderDateSpan(db, shop), countValidOrderCustomers(db, shop)]);
  const { customers, repeatCustomers } = rows;
  const { first, last } = span;
  const historyDays = first && last ? Math.floor((last.getTime() - first.getTime()) / 86_400_000) : 0;
  const unmet = unmetRequirements({ customers, repeatCustomers, historyDays });
  // English sentences for logs and the CLI; the dashboard phrases `unmetRequirements` in the shop's language.
  const missing = unmet.map(({ what, have, need }) =>
    what === "customers"
      ? `${have.toLocaleString("en-US")} customers with orders; at least ${need} are needed.`
      : what === "historyDays"
        ? `${have} days of order history; at least ${need} are needed.`
        : `${have} repeat customers; at least ${need} are needed.`,
  );
  return { customers, repeatCustomers, historyDays, enough: missing.length === 0, missing };
}
