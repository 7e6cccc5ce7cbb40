/**
 * Transactions → per-customer calibration/holdout summaries (clv-reference §1.2, §3.6 UT.1–UT.5).
 *
 * Pure: rows are pushed into a `SummaryBuilder` (any order, sorted or not) and `build()` returns
 * positional typed arrays plus a parallel `customerIds` array. Memory: 16 bytes per row
 * (customer index, day, amount in growable typed arrays) plus one string per customer.
 *
 * Definitions (lifetimes' `calibration_and_holdout_data`, freq="D"):
 * - Dates are whole days (day numbers, days since 1970-01-01). Calibration = first purchase …
 *   `calibrationEnd` inclusive; holdout = the day after `calibrationEnd` … `holdoutEnd` inclusive.
 *   Rows after `holdoutEnd` are ignored (counted in `stats.rowsAfterEnd`).
 * - Purchase periods (`period`): "day" (default) merges all rows of a customer on one calendar
 *   day into one purchase; "calendar-week" merges Monday–Sunday weeks (lifetimes freq="W").
 * - Time unit (`unit`): "day", or "week" = days/7 at day resolution (lifetimes freq="D",
 *   freq_multiplier=7, the CDNOW setting). With period "calendar-week" times are whole weeks
 *   between the periods' Mondays.
 * - frequency x = number of purchase periods in calibration − 1; recency t_x = last − first
 *   purchase period; T = calibrationEnd's period − first purchase period.
 * - holdoutFrequency = number of purchase periods in the holdout (no "− 1"); holdoutSpend = their
 *   total. Customers whose first purchase is after `calibrationEnd` are excluded (counted).
 * - Monetary value (`monetary`): "repeat-mean" (default; lifetimes and Gamma-Gamma) = mean of the
 *   repeat purchase-period totals, first purchase excluded, 0 when x = 0; "all-mean" = mean of all
 *   calibration purchase-period totals including the first.
 * - calibrationSpend = total of all calibration purchase periods (first purchase included): the
 *   past-spend baseline's input.
 *
 * Refunds / cancellations (negative amounts), applied separately inside calibration and inside
 * the holdout (a holdout refund never changes calibration features, so no leakage):
 * 1. Rows in the same customer and period are netted (summed).
 * 2. A period without negative rows is always a purchase, even when its total is 0 (free orders
 *    count, as in lifetimes; CDNOW has $0 rows).
 * 3. A period containing a refund whose net total is ≤ 0 is not a purchase. Its negative excess
 *    (net < 0: a refund booked on a later day) is carried back to the customer's most recent
 *    earlier purchase period in the same window, reducing its total; a period reduced to ≤ 0 is
 *    cancelled (no longer a purchase) and any remaining excess moves further back. Excess with
 *    nothing left to cancel is dropped and reported in `stats.unmatchedRefundTotal`.
 */
import type { CustomerSummaries } from "./summary/options";

export type {
  SummaryOptions,
  TimeUnit,
  PurchasePeriod,
  MonetaryDefinition,
  CustomerSummaries,
  SummaryStats,
} from "./summary/options";
export { SummaryBuilder, summarize } from "./summary/builder";
export { weekOfDay } from "./summary/periods";
export { compareIds } from "./summary/ids";

/** The recency/frequency/age part as the models' `RFTData` (shares the arrays, no copy). */
export function toRFT(s: CustomerSummaries): { frequency: Float64Array; recency: Float64Array; T: Float64Array } {
  return { frequency: s.frequency, recency: s.recency, T: s.T };
}
