/**
 * How much usable order history a shop has, against the trainer's minimum (scoped by shop). Shown
 * by the dashboard as the "not enough data" state and the "limited history" banner.
 */
import type { Db } from "~/db.server";
import { countValidOrderCustomers, validOrderDateSpan } from "~/models/orders.server";

/**
 * Minimum history for trustworthy per-customer predictions — the trainer's thresholds
 * (app/training/backtest.ts: below them it serves the labelled fallback). Below them the dashboard
 * shows the "not enough data" state.
 */
export const DATA_REQUIREMENTS = {
  /** Customers with at least one valid order. */
  customers: 200,
  /** Days between the first and the last valid order. */
  historyDays: 180,
  /** Customers with two or more orders. */
  repeatCustomers: 50,
} as const;

/** How much usable history the shop has, against DATA_REQUIREMENTS. */
export interface DataSufficiency {
  customers: number;
  repeatCustomers: number;
  historyDays: number;
  enough: boolean;
  /** One plain sentence per unmet requirement. */
  missing: string[];
}

/** Counts usable history: customers with valid orders, repeaters and the span of order dates. */
export async function getDataSufficiency(db: Db, shop: string): Promise<DataSufficiency> {
  const [span, rows] = await Promise.all([validOrderDateSpan(db, shop), countValidOrderCustomers(db, shop)]);
  const { customers, repeatCustomers } = rows;
  const { first, last } = span;
  const historyDays = first && last ? Math.floor((last.getTime() - first.getTime()) / 86_400_000) : 0;
  const r = DATA_REQUIREMENTS;
  const missing: string[] = [];
  if (customers < r.customers)
    missing.push(`${customers.toLocaleString("en-US")} customers with orders; at least ${r.customers} are needed.`);
  if (historyDays < r.historyDays)
    missing.push(`${historyDays} days of order history; at least ${r.historyDays} are needed.`);
  if (repeatCustomers < r.repeatCustomers)
    missing.push(`${repeatCustomers} repeat customers; at least ${r.repeatCustomers} are needed.`);
  return { customers, repeatCustomers, historyDays, enough: missing.length === 0, missing };
}
