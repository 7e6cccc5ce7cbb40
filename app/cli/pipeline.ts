/**
 * Model fitting and scoring steps shared by `evaluate` and `predict`: transaction model on the
 * summary's (x, t_x, T), Gamma-Gamma on the repeat customers, expected spend per order.
 */
import type { CustomerSummaries } from "~/clv/summary";
import { fitBgNbd } from "~/clv/estimators/bgnbd";
import { fitMbgNbd } from "~/clv/estimators/mbgnbd";
import { fitParetoNbd } from "~/clv/estimators/paretonbd";
import { fitGammaGamma, gammaGammaConditionalExpectedSpend } from "~/clv/estimators/gammagamma";
import type { FittedModel } from "~/clv/estimators/types";
import { DataError } from "./io";

export type TransactionModel = "bgnbd" | "mbgnbd" | "pnbd";

/** Options shared by the fits. */
export interface FitOptions {
  penalizer?: number;
}

/** Fits a transaction model to all customers of the summary; returns the model and the time. */
export function fitTransaction(
  model: TransactionModel,
  s: CustomerSummaries,
  o: FitOptions = {},
): { fitted: FittedModel; ms: number } {
  const data = { frequency: s.frequency, recency: s.recency, T: s.T };
  const cfg = { penalizer: o.penalizer ?? 0 };
  const t0 = performance.now();
  const fitted =
    model === "bgnbd" ? fitBgNbd(data, cfg) : model === "mbgnbd" ? fitMbgNbd(data, cfg) : fitParetoNbd(data, cfg);
  return { fitted, ms: performance.now() - t0 };
}

/**
 * Fits Gamma-Gamma on the repeat customers with a positive monetary value (customers whose repeat
 * purchases were all free orders are left out of the fit) and returns E[M | x, m] for everybody
 * (the population mean for x = 0).
 */
export function fitSpend(
  s: CustomerSummaries,
  o: FitOptions = {},
): { fitted: FittedModel; expectedSpend: Float64Array; ms: number; customers: number } {
  const keep: number[] = [];
  for (let i = 0; i < s.frequency.length; i++) if (s.frequency[i] > 0 && s.monetary[i] > 0) keep.push(i);
  if (keep.length < 2)
    throw new DataError(
      `the spend model needs repeat customers with positive spend in calibration; found ${keep.length}`,
    );
  const t0 = performance.now();
  const fitted = fitGammaGamma(
    {
      frequency: Float64Array.from(keep, (i) => s.frequency[i]),
      monetary: Float64Array.from(keep, (i) => s.monetary[i]),
    },
    { penalizer: o.penalizer ?? 0 },
  );
  const ms = performance.now() - t0;
  const p = fitted.params as { p: number; q: number; v: number };
  if (!(p.q > 1))
    throw new DataError(`the fitted spend model has q = ${p.q} ≤ 1, so its mean spend is undefined; try --penalizer`);
  return {
    fitted,
    expectedSpend: gammaGammaConditionalExpectedSpend(p, s.frequency, s.monetary),
    ms,
    customers: keep.length,
  };
}

/** Human-readable warning when a fit did not converge (null when it did). */
export function convergenceWarning(name: string, f: FittedModel): string | null {
  return f.diagnostics.converged ? null : `${name} fit did not converge: ${f.diagnostics.reason}`;
}
