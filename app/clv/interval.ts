/**
 * The per-customer CLV interval levels the trainer scores at (pure constants, shared with the pages
 * that state them: app/presentation/interval-level.ts).
 */

/** Quantiles of a run's `clvLow`/`clvHigh` and how they were obtained; null quantiles for "none". */
export interface ScoreInterval {
  lower: number | null;
  upper: number | null;
  method: "bootstrap" | "delta" | "ziln" | "empirical" | "none";
}

/** BTYD (BG/NBD × Gamma-Gamma): CLV quantiles under the fitted parameters' uncertainty. */
export const BTYD_INTERVAL = { lower: 0.05, upper: 0.95 } as const;

/** BTYD intervals use the delta method above this many customers (parametric bootstrap below). */
export const BTYD_DELTA_ABOVE = 20_000;

/** Deep models: quantiles of the predicted ZILN spend distribution. */
export const ZILN_INTERVAL = { lower: 0.1, upper: 0.9 } as const;

/**
 * Calibrated empirical interval (app/training/calibration.ts): the central 80 % of what customers
 * with similar predictions actually spent on a backtest fold; its coverage is measured on the
 * following fold and shown on the model card.
 */
export const EMPIRICAL_INTERVAL = { lower: 0.1, upper: 0.9 } as const;

/** A point estimate only (low = point = high). */
export const NO_INTERVAL: ScoreInterval = { lower: null, upper: null, method: "none" };
