/**
 * Minimum history for trustworthy per-customer predictions — the trainer's thresholds
 * (app/training/backtest.ts: below them it serves the labelled fallback). Below them the dashboard
 * shows the "not enough data" state. Pure (no server code): the dashboard component phrases the
 * unmet requirements in the shop's language from these numbers.
 */
export const DATA_REQUIREMENTS = {
  /** Customers with at least one valid order. */
  customers: 200,
  /** Days between the first and the last valid order. */
  historyDays: 180,
  /** Customers with two or more orders. */
  repeatCustomers: 50,
} as const;

/** The usable history a shop has (app/aggregates/data-sufficiency.server.ts counts it). */
export interface HistoryCounts {
  customers: number;
  repeatCustomers: number;
  historyDays: number;
}

/** One unmet requirement: what the shop has and what is needed. */
export interface UnmetRequirement {
  what: keyof typeof DATA_REQUIREMENTS;
  have: number;
  need: number;
}

/** The requirements a shop's history does not meet, in a fixed order. */
export function unmetRequirements(h: HistoryCounts): UnmetRequirement[] {
  return (["customers", "historyDays", "repeatCustomers"] as const)
    .filter((k) => h[k] < DATA_REQUIREMENTS[k])
    .map((k) => ({ what: k, have: h[k], need: DATA_REQUIREMENTS[k] }));
}
