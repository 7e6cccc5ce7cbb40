/**
 * The "past spend" baseline scorer (docs/reference/clv-engine.md §2.9, §6.9): always reported beside the models.
 *
 * Score_i = total calibration spend of customer i (first purchase included, refunds netted by the
 * summary's rule), scaled to the prediction horizon. The scaling is one factor for everybody, so
 * the ranking (Gini, Spearman, deciles, top-decile capture) is exactly that of past spend; only the
 * level changes, which makes MAE / RMSE / total error comparable with the models':
 *
 * - "window" (default): spend × horizon / calibrationLength, where calibrationLength is the
 *   calibration window (earliest first purchase → calibration end): "the next `horizon` will look
 *   like the past, at the same spend rate". On CDNOW (39-week calibration, 39-week holdout) the
 *   factor is 39/38.857.
 * - "none": the raw calibration spend.
 */

import type { CustomerSummaries } from "./summary";

/** How past spend is turned into a forecast for the horizon. */
export type BaselineScaling = "window" | "none";

/** Options of the past-spend baseline. */
export interface PastSpendOptions {
  /** Forecast horizon, in the summary's time unit (e.g. the holdout length). */
  horizon: number;
  /** Default "window" (see module comment). */
  scaling?: BaselineScaling;
}

/** Past-spend predictions for each customer (positional, like the summary). */
export function pastSpendBaseline(
  s: Pick<CustomerSummaries, "calibrationSpend" | "calibrationLength">,
  options: PastSpendOptions,
): Float64Array {
  const { horizon } = options;
  if (!(horizon >= 0) || !Number.isFinite(horizon))
    throw new Error(`baseline horizon must be a finite number ≥ 0, got ${horizon}`);
  const scaling = options.scaling ?? "window";
  let factor = 1;
  if (scaling === "window") {
    if (!(s.calibrationLength > 0))
      throw new Error('baseline: the calibration window has zero length; use scaling "none"');
    factor = horizon / s.calibrationLength;
  } else if (scaling !== "none") throw new Error(`baseline scaling must be "window" or "none", got ${String(scaling)}`);
  const out = new Float64Array(s.calibrationSpend.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, s.calibrationSpend[i]) * factor;
  return out;
}
