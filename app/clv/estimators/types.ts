/**
 * Shared shapes of the CLV engine's estimators (pure: no I/O, no Shopify, no DB).
 *
 * Every estimator follows the same pattern (modelled on tfjs-layers' Config + getConfig):
 *   - `XxxConfig`: fit options (penalizer, tolerances, …), every field documented;
 *   - `fitXxx(data, config) → FittedXxx`: a plain JSON-serialisable object (params, log-likelihood,
 *     standard errors, diagnostics), round-trippable through JSON.stringify / JSON.parse;
 *   - prediction functions taking the fitted form (or raw params) plus positional typed arrays.
 *
 * Inputs are positional arrays, never aligned by customer id (see clv-reference §0: lifetimes'
 * index-alignment bug). Customer ids, when needed, travel in a parallel array.
 */

/** Recency/frequency/age summary for a set of customers, in model time units (e.g. weeks). */
export interface RFTData {
  /** Repeat purchase count x (non-negative integers). */
  frequency: Float64Array;
  /** Time of last purchase t_x measured from the first purchase (0 when x = 0). */
  recency: Float64Array;
  /** Customer age T: first purchase to end of calibration. */
  T: Float64Array;
  /** Optional row weights (counts of identical customers after grouping). Default 1. */
  weights?: Float64Array;
}

/** Spend data for Gamma-Gamma: repeat customers only (frequency > 0, monetary > 0). */
export interface SpendData {
  frequency: Float64Array;
  /** Mean value of the repeat purchases. */
  monetary: Float64Array;
  weights?: Float64Array;
}

/** Optimiser diagnostics carried by every fitted model. */
export interface FitDiagnostics {
  converged: boolean;
  iterations: number;
  /** Human-readable stopping reason; explains any non-convergence. */
  reason: string;
  method: string;
  /** Max-norm of the gradient of the mean NLL (in log-parameters) at the optimum. */
  gradNorm: number;
  /** Wall time of the fit in milliseconds (including grouping and Hessian). */
  fitMs: number;
  /**
   * Parameters that ran to the edge of the parameter space (an upper bound of the fit, or below
   * 1e-6 in rescaled time): the likelihood is flat there and the value only says "very small/large".
   */
  atBoundary?: string[];
}

/** Common base of every fitted form. `params` keys are model-specific (r, alpha, a, b, …). */
export interface FittedModel<K extends string = string> {
  model: ModelName;
  /** Schema version of the serialised form. */
  version: 1;
  params: Record<K, number>;
  /** Standard errors from the Hessian (delta method); null entries when the Hessian is singular. */
  standardErrors: Record<K, number | null>;
  /** Covariance of the log-parameters (for the parametric bootstrap); null if unavailable. */
  logParamCovariance: number[][] | null;
  /** Log-likelihood in the data's original time units, summed over (weighted) customers. */
  logLikelihood: number;
  /** Number of (weighted) customers the model was fitted on. */
  n: number;
  /** Rows actually evaluated after grouping identical customers. */
  rows: number;
  penalizer: number;
  diagnostics: FitDiagnostics;
}

export type ModelName = "bgnbd" | "mbgnbd" | "pnbd" | "bgbb" | "gg";

/** Base config shared by all estimators. */
export interface BaseFitConfig {
  /** L2 penalty λ·Σp² on the fitted parameters in rescaled time (lifetimes' `penalizer_coef`). Default 0. */
  penalizer?: number;
  /** Group identical rows with weights before fitting (default true). */
  group?: boolean;
  /** Max optimiser iterations (default 500). */
  maxIter?: number;
  /** Gradient tolerance on the mean NLL (default 1e-8). */
  gtol?: number;
  /** Compute Hessian standard errors (default true). */
  standardErrors?: boolean;
}
