/**
 * The interval of a sum of customers' predictions (pure). Summing per-customer bounds gives a
 * range far too wide (every customer at their 5 % and 95 % at once). Instead each customer's
 * spread is read off their own interval as a standard deviation, sd_i = (high_i − low_i) ÷
 * (z_upper − z_lower), customers are taken as independent, so Var(total) = Σ sd_i², and the total —
 * a sum of thousands of terms — is close to normal: total + z · √Var at the interval's quantiles,
 * floored at 0. Independence is an assumption (a shared trend moves everyone together), stated on
 * the page.
 */
import { normalQuantile } from "~/clv/math/special";

/**
 * Range of a total from Σ (high_i − low_i)² of its customers and the interval's quantiles.
 * Null without an interval.
 */
export function totalInterval(
  total: number,
  sumSquaredWidths: number,
  level: { lower: number | null; upper: number | null } | null,
): { low: number; high: number } | null {
  if (!level || level.lower === null || level.upper === null) return null;
  const zl = normalQuantile(level.lower);
  const zu = normalQuantile(level.upper);
  if (!(zu > zl) || !(sumSquaredWidths >= 0)) return null;
  const sd = Math.sqrt(sumSquaredWidths) / (zu - zl);
  return { low: Math.max(0, total + zl * sd), high: total + zu * sd };
}
