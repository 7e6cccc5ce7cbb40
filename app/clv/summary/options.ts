/**
 * Summary builder options, result types and option validation (definitions: ../summary.ts).
 */

/** Options of the summary builder. */
export interface SummaryOptions {
  /** Last day (inclusive, day number) of the calibration period; T is measured to it. */
  calibrationEnd: number;
  /** Last day (inclusive) of the holdout period. Default: `calibrationEnd` (no holdout). */
  holdoutEnd?: number;
  /** Time unit of recency and T: "day" or "week" (default "week"). */
  unit?: TimeUnit;
  /** What collapses into one purchase: "day" (default) or "calendar-week" (Mon–Sun; needs unit "week"). */
  period?: PurchasePeriod;
  /** Monetary definition (default "repeat-mean"). See the module comment. */
  monetary?: MonetaryDefinition;
  /** Output customer order: "id" (default; natural order, numbers by value) or "first-seen". */
  order?: "id" | "first-seen";
}

/** Unit of recency and T. */
export type TimeUnit = "day" | "week";
/** What collapses into one purchase. */
export type PurchasePeriod = "day" | "calendar-week";
/** Monetary value definition (see ../summary.ts). */
export type MonetaryDefinition = "repeat-mean" | "all-mean";

/** Per-customer summaries, positional; `customerIds[i]` belongs to row i of every array. */
export interface CustomerSummaries {
  customerIds: string[];
  /** Repeat purchase periods in calibration (x). */
  frequency: Float64Array;
  /** t_x in `unit`s. */
  recency: Float64Array;
  /** Age T in `unit`s. */
  T: Float64Array;
  /** Monetary value per `options.monetary`. */
  monetary: Float64Array;
  /** Total calibration spend including the first purchase. */
  calibrationSpend: Float64Array;
  /** Purchase periods in the holdout. */
  holdoutFrequency: Float64Array;
  /** Total holdout spend. */
  holdoutSpend: Float64Array;
  /** Day number of each customer's first purchase. */
  firstPurchaseDay: Int32Array;
  /** Day number of the last calibration purchase. */
  lastPurchaseDay: Int32Array;
  /** Length of the holdout window in `unit`s (0 when there is none). */
  holdoutLength: number;
  /** Length of the calibration window (earliest first purchase → calibrationEnd) in `unit`s. */
  calibrationLength: number;
  options: Required<SummaryOptions>;
  stats: SummaryStats;
}

/** Bookkeeping of what the builder saw and dropped. */
export interface SummaryStats {
  rows: number;
  customersSeen: number;
  /** Customers with no calibration purchase (first purchase after calibrationEnd, or all refunded). */
  customersExcluded: number;
  rowsAfterEnd: number;
  refundRows: number;
  /** Purchase periods cancelled by refunds (netted to ≤ 0). */
  cancelledPeriods: number;
  /** Refund amount (positive number) that had no earlier purchase to cancel. */
  unmatchedRefundTotal: number;
}

/** Fills defaults and validates the options; throws a message naming the bad option. */
export function resolveOptions(o: SummaryOptions): Required<SummaryOptions> {
  if (!Number.isInteger(o.calibrationEnd))
    throw new Error("calibrationEnd must be an integer day number (set it in the constructor or at build)");
  const holdoutEnd = o.holdoutEnd ?? o.calibrationEnd;
  if (!Number.isInteger(holdoutEnd) || holdoutEnd < o.calibrationEnd) {
    throw new Error("holdoutEnd must be an integer day number on or after calibrationEnd");
  }
  const unit = o.unit ?? "week";
  const period = o.period ?? "day";
  if (unit !== "day" && unit !== "week") throw new Error(`unit must be "day" or "week", got ${String(unit)}`);
  if (period !== "day" && period !== "calendar-week")
    throw new Error(`period must be "day" or "calendar-week", got ${String(period)}`);
  if (period === "calendar-week" && unit !== "week") throw new Error('period "calendar-week" needs unit "week"');
  const monetary = o.monetary ?? "repeat-mean";
  if (monetary !== "repeat-mean" && monetary !== "all-mean")
    throw new Error(`monetary must be "repeat-mean" or "all-mean"`);
  return { calibrationEnd: o.calibrationEnd, holdoutEnd, unit, period, monetary, order: o.order ?? "id" };
}
