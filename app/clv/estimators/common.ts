/**
 * Shared fitting infrastructure for the log-parameterised CLV models (BG/NBD, Modified BG/NBD,
 * Gamma-Gamma here; Pareto/NBD and BG/BB reuse it). Pure: no I/O.
 *
 * A model supplies a {@link ModelSpec}: its parameter names, which data columns carry time, and a
 * factory for its total negative log-likelihood with the analytic gradient in log-parameters.
 * {@link fitLogParamModel} does everything else, with lifetimes' conventions (clv-reference §2.3,
 * §4.6):
 *   1. groups identical rows with summed weights (typed-array hash, {@link groupRows});
 *   2. rescales time so that max T = 1 (conditioning) and divides the time-unit parameters (α, β)
 *      by the scale afterwards;
 *   3. minimises mean NLL + λ·Σp² (p = the fitted parameters in scaled time — lifetimes' penalty,
 *      which is on the parameters themselves, not their logs) with BFGS → Nelder-Mead fallback;
 *   4. takes the Hessian of that objective in log-parameters for standard errors (§2.2):
 *      Var(p̂_j) = p̂_j² [H⁻¹]_jj / Σw, and logParamCovariance = H⁻¹ / Σw;
 *   5. reports the log-likelihood in the data's original time units:
 *      LL_original = LL_scaled + Σ w·x · ln(scale) (each observed purchase time contributes one
 *      density factor in 1/time units).
 * Non-convergence is reported in `diagnostics`, never thrown.
 */
import type { BaseFitConfig, FittedModel, ModelName, RFTData } from "./types";
import { minimize, numericHessian, invertSPD, type MinimizeResult } from "../math/optimize";
import { groupRows, gather } from "../math/group";

/** Invalid model input. `field` and `row` locate the first offending value. */
export class ClvInputError extends Error {
  constructor(
    message: string,
    /** Name of the offending field (e.g. "recency"). */
    readonly field: string,
    /** 0-based row index of the first offending value, or null when not row-specific. */
    readonly row: number | null = null,
  ) {
    super(message);
    this.name = "ClvInputError";
  }
}

function fail(field: string, row: number, what: string, value: number): never {
  throw new ClvInputError(`${field} at row ${row} ${what} (got ${value})`, field, row);
}

/** Checks that every column is a Float64Array of the same length as the first. */
export function checkLengths(cols: Record<string, Float64Array | undefined>): number {
  let n = -1;
  let first = "";
  for (const [name, c] of Object.entries(cols)) {
    if (c === undefined) continue;
    if (!(c instanceof Float64Array)) throw new ClvInputError(`${name} must be a Float64Array`, name);
    if (n < 0) {
      n = c.length;
      first = name;
    } else if (c.length !== n) throw new ClvInputError(`${name} has ${c.length} rows but ${first} has ${n}`, name);
  }
  return Math.max(n, 0);
}

/** Validates optional weights: finite and > 0. */
export function validateWeights(weights: Float64Array | undefined): void {
  if (!weights) return;
  for (let i = 0; i < weights.length; i++) {
    const v = weights[i];
    if (!(v > 0) || !Number.isFinite(v)) fail("weights", i, "must be a positive finite number", v);
  }
}

/**
 * Validates a recency/frequency/age summary (clv-reference UT.9): frequency a non-negative integer,
 * recency and T finite and ≥ 0, recency ≤ T, recency = 0 when frequency = 0, positive weights;
 * with `requireRepeat`, at least one customer with frequency > 0 (needed to fit a transaction model).
 * Throws {@link ClvInputError} naming the field and row; returns the row count.
 */
export function validateRFT(data: RFTData, opts: { requireRows?: boolean; requireRepeat?: boolean } = {}): number {
  const { frequency: x, recency: tx, T, weights } = data;
  const n = checkLengths({ frequency: x, recency: tx, T, weights });
  if (opts.requireRows !== false && n === 0) throw new ClvInputError("no customers to fit (empty input)", "frequency");
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    if (!(xi >= 0) || !Number.isFinite(xi)) fail("frequency", i, "must be a finite number >= 0", xi);
    if (xi !== Math.floor(xi)) fail("frequency", i, "must be an integer (repeat purchase count)", xi);
    if (!(ti >= 0) || !Number.isFinite(ti)) fail("recency", i, "must be a finite number >= 0", ti);
    if (!(Ti >= 0) || !Number.isFinite(Ti)) fail("T", i, "must be a finite number >= 0", Ti);
    if (ti > Ti) throw new ClvInputError(`recency at row ${i} exceeds T (${ti} > ${Ti})`, "recency", i);
    if (xi === 0 && ti !== 0)
      throw new ClvInputError(`recency at row ${i} must be 0 when frequency is 0 (got ${ti})`, "recency", i);
  }
  validateWeights(weights);
  if (opts.requireRepeat && n > 0 && !x.some((v) => v > 0))
    throw new ClvInputError(
      "no customer has a repeat purchase (every frequency is 0): the purchase and dropout rates cannot be estimated",
      "frequency",
    );
  return n;
}

/** Distinct values of an integer-valued column with summed weights and a per-row index. */
export interface DistinctValues {
  values: Float64Array;
  /** Summed weight per distinct value. */
  weight: Float64Array;
  /** Per row: index into `values`. */
  index: Int32Array;
}

/** Distinct values of `col` (typically the frequency x), with per-value weight sums. */
export function distinctValues(col: Float64Array, weights?: Float64Array): DistinctValues {
  const g = groupRows([col], weights);
  return { values: gather(col, g.first), weight: g.weights, index: g.groupOf };
}

/**
 * ln(α + t) and 1/(α + t) for the distinct values of a time column, refreshed per parameter value
 * with `update(alpha)`; `index` maps rows to distinct values. Day-resolution data has a few hundred
 * distinct times, so the likelihood's per-row logarithms become table look-ups.
 */
export function timeTable(col: Float64Array) {
  const dv = distinctValues(col);
  const m = dv.values.length;
  const table = {
    index: dv.index,
    log: new Float64Array(m),
    inv: new Float64Array(m),
    alpha: NaN,
    update(alpha: number) {
      if (alpha === table.alpha) return;
      for (let u = 0; u < m; u++) {
        const v = alpha + dv.values[u];
        table.log[u] = Math.log(v);
        table.inv[u] = 1 / v;
      }
      table.alpha = alpha;
    },
  };
  return table;
}

/**
 * Total weighted negative log-likelihood with its gradient with respect to the log-parameters.
 * `params` are natural parameters in the prepared (scaled) time units. When `gradLog` is given it is
 * overwritten with ∂(Σ w·NLL)/∂ ln p.
 */
export type NllFn = (params: Float64Array, gradLog?: Float64Array) => number;

/** Grouped, rescaled data handed to a model's NLL factory. */
export interface PreparedData {
  columns: Record<string, Float64Array>;
  weights: Float64Array;
  rows: number;
  totalWeight: number;
  /** Time scale applied to the time columns (1/max T), 1 when the model has no time columns. */
  scale: number;
}

/** Everything the generic driver needs to know about a log-parameterised model. */
export interface ModelSpec<K extends string> {
  model: ModelName;
  paramNames: readonly K[];
  /** Parameters measured in time units (α; β for Pareto/NBD): divided by the scale after fitting. */
  timeParams: readonly K[];
  /** Data columns measured in time (rescaled before fitting), e.g. ["recency", "T"]. */
  timeColumns: readonly string[];
  /** Column whose maximum defines the scale (default "T"). */
  scaleColumn?: string;
  /** Event-count column for the LL unit identity (e.g. "frequency"); omitted: no correction. */
  eventColumn?: string;
  /** Columns that identify a row for grouping (default: every column). */
  keyColumns?: readonly string[];
  /** Builds the NLL evaluator for the prepared data. */
  nll(data: PreparedData): NllFn;
}

/** Options of the generic driver (every model's config extends this). */
export interface LogFitConfig<K extends string> extends BaseFitConfig {
  /** Start values in the data's original units (default: e^0.1 ≈ 1.105 in scaled time, as lifetimes). */
  initialParams?: Partial<Record<K, number>>;
  /** Parameters held fixed at the given value (original units); they get a null standard error. */
  fixed?: Partial<Record<K, number>>;
  /** Optimiser: "auto" (BFGS → Nelder-Mead fallback, default), "bfgs" or "nelder-mead". */
  method?: "auto" | "bfgs" | "nelder-mead";
  /**
   * Upper bounds of parameters in rescaled time (max T = 1), enforced smoothly: the optimiser works
   * on z with ln p = ln U − softplus(ln U − z), so a flat likelihood cannot send it crawling to
   * infinity. A parameter ending within a factor e of its bound is listed in `diagnostics.atBoundary`.
   */
  scaledUpperBounds?: Partial<Record<K, number>>;
}

/**
 * Fits a log-parameterised model by maximum likelihood (see the module comment for conventions).
 * Input validation is the caller's job (model-specific); this never throws on numerical trouble.
 */
export function fitLogParamModel<K extends string>(
  spec: ModelSpec<K>,
  columns: Record<string, Float64Array>,
  weights: Float64Array | undefined,
  config: LogFitConfig<K> = {},
  startedAt = performance.now(),
): FittedModel<K> {
  const names = spec.paramNames;
  const k = names.length;
  const penalizer = config.penalizer ?? 0;
  if (!(penalizer >= 0) || !Number.isFinite(penalizer))
    throw new ClvInputError(`penalizer must be a finite number >= 0 (got ${penalizer})`, "penalizer");
  const prepared = prepareData(spec, columns, weights, config.group !== false);
  const { scale, totalWeight: W } = prepared;
  const nll = spec.nll(prepared);
  const isTime = names.map((nm) => spec.timeParams.includes(nm));
  const toScaled = (v: number, j: number) => (isTime[j] ? v * scale : v);

  // Full log-parameter vector in scaled time; `free` lists the optimised coordinates.
  const theta = new Float64Array(k).fill(0.1);
  const free: number[] = [];
  for (let j = 0; j < k; j++) {
    const fixedVal = config.fixed?.[names[j]];
    const init = fixedVal ?? config.initialParams?.[names[j]];
    if (init !== undefined) {
      if (!(init > 0) || !Number.isFinite(init))
        throw new ClvInputError(
          `${fixedVal !== undefined ? "fixed" : "initialParams"}.${names[j]} must be a positive finite number (got ${init})`,
          names[j],
        );
      theta[j] = Math.log(toScaled(init, j));
    }
    if (fixedVal === undefined) free.push(j);
  }
  const p = new Float64Array(k);
  const gFull = new Float64Array(k);
  // Smooth upper bounds: θ = L − softplus(L − z) (L = ln U), dθ/dz = σ(L − z); unbounded: θ = z.
  const logUpper = names.map((nm) => {
    const u = config.scaledUpperBounds?.[nm];
    return u !== undefined && u > 0 ? Math.log(u) : Infinity;
  });
  const softplus = (v: number) => (v > 30 ? v : Math.log1p(Math.exp(v)));
  const toTheta = (j: number, z: number) => (logUpper[j] === Infinity ? z : logUpper[j] - softplus(logUpper[j] - z));
  const dTheta = (j: number, z: number) => (logUpper[j] === Infinity ? 1 : 1 / (1 + Math.exp(z - logUpper[j])));
  const toZ = (j: number, t: number) =>
    logUpper[j] === Infinity ? t : logUpper[j] - Math.log(Math.expm1(Math.max(1e-12, logUpper[j] - t)));
  const objective = (z: Float64Array, grad?: Float64Array): number => {
    for (let f = 0; f < free.length; f++) theta[free[f]] = toTheta(free[f], z[f]);
    let pen = 0;
    for (let j = 0; j < k; j++) {
      p[j] = Math.exp(theta[j]);
      pen += p[j] * p[j];
    }
    const total = nll(p, grad ? gFull : undefined);
    if (grad)
      for (let f = 0; f < free.length; f++) {
        const j = free[f];
        grad[f] = (gFull[j] / W + 2 * penalizer * p[j] * p[j]) * dTheta(j, z[f]);
      }
    return total / W + penalizer * pen;
  };
  const z0 = Float64Array.from(free, (j) => toZ(j, Math.min(theta[j], logUpper[j] - 0.5)));
  let res: MinimizeResult;
  try {
    res = minimize(objective, z0, {
      analyticGradient: true,
      maxIter: config.maxIter ?? 500,
      gtol: config.gtol ?? 1e-8,
      method: config.method,
    });
  } catch (e) {
    res = {
      x: z0,
      fx: NaN,
      converged: false,
      iterations: 0,
      evaluations: 0,
      gradNorm: NaN,
      method: "bfgs",
      reason: `optimiser error: ${(e as Error).message}`,
    };
  }
  let reason = res.reason;
  let converged = res.converged;
  const meanNll = objective(res.x) - penalizer * sumSq(p);
  if (!Number.isFinite(meanNll) || !p.every((v) => Number.isFinite(v) && v > 0)) {
    converged = false;
    reason = `non-finite likelihood or parameters at the returned point (${reason})`;
  }
  const thetaHat = Float64Array.from(theta);
  // Hessian of the objective in the free log-parameters → covariance of the log-parameters.
  let cov: number[][] | null = null;
  if (config.standardErrors !== false && free.length > 0 && Number.isFinite(meanNll)) {
    const H = numericHessian(objective, Float64Array.from(res.x), true);
    objective(res.x); // restore theta / p at the optimum
    const inv = H.every((row) => row.every(Number.isFinite)) ? invertSPD(H) : null;
    if (inv) {
      cov = Array.from({ length: k }, () => new Array<number>(k).fill(0));
      // Covariance of z → of the log-parameters θ (diagonal Jacobian dθ/dz).
      const J = free.map((j, f) => dTheta(j, res.x[f]));
      for (let a = 0; a < free.length; a++)
        for (let b = 0; b < free.length; b++) cov[free[a]][free[b]] = (J[a] * J[b] * inv[a][b]) / W;
    }
  }
  const atBoundary = names.filter((nm, j) => thetaHat[j] > logUpper[j] - 1 || thetaHat[j] < Math.log(1e-6));
  const params = {} as Record<K, number>;
  const standardErrors = {} as Record<K, number | null>;
  for (let j = 0; j < k; j++) {
    const v = Math.exp(thetaHat[j]);
    const orig = isTime[j] ? v / scale : v;
    params[names[j]] = orig;
    const isFree = free.includes(j);
    standardErrors[names[j]] = cov && isFree && cov[j][j] >= 0 ? orig * Math.sqrt(cov[j][j]) : null;
  }
  let eventSum = 0;
  if (spec.eventColumn) {
    const ev = prepared.columns[spec.eventColumn];
    for (let i = 0; i < prepared.rows; i++) eventSum += prepared.weights[i] * ev[i];
  }
  const logLikelihood = -meanNll * W + eventSum * Math.log(scale);
  if (!cov && config.standardErrors !== false && converged)
    reason += "; Hessian not positive definite (no standard errors)";
  return {
    model: spec.model,
    version: 1,
    params,
    standardErrors,
    logParamCovariance: cov,
    logLikelihood,
    n: W,
    rows: prepared.rows,
    penalizer,
    diagnostics: {
      converged,
      iterations: res.iterations,
      reason,
      method: res.method,
      gradNorm: res.gradNorm,
      fitMs: performance.now() - startedAt,
      ...(atBoundary.length ? { atBoundary } : {}),
    },
  };
}

function sumSq(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}

/** Groups (optionally) and rescales the columns of a model's data. */
export function prepareData<K extends string>(
  spec: ModelSpec<K>,
  columns: Record<string, Float64Array>,
  weights: Float64Array | undefined,
  group: boolean,
  rescale = true,
): PreparedData {
  const names = Object.keys(columns);
  const keyNames = spec.keyColumns ?? names;
  let cols: Record<string, Float64Array> = columns;
  let w: Float64Array;
  if (group) {
    const g = groupRows(
      keyNames.map((nm) => columns[nm]),
      weights,
    );
    cols = {};
    for (const nm of names) cols[nm] = gather(columns[nm], g.first);
    w = g.weights;
  } else w = weights ?? new Float64Array(columns[names[0]].length).fill(1);
  let scale = 1;
  if (rescale && spec.timeColumns.length > 0) {
    const sc = cols[spec.scaleColumn ?? "T"];
    let max = 0;
    for (let i = 0; i < sc.length; i++) if (sc[i] > max) max = sc[i];
    if (!(max > 0))
      throw new ClvInputError(
        `${spec.scaleColumn ?? "T"} is 0 for every customer; cannot fit a time model`,
        spec.scaleColumn ?? "T",
      );
    scale = 1 / max;
    const scaled: Record<string, Float64Array> = { ...cols };
    for (const nm of spec.timeColumns) scaled[nm] = Float64Array.from(cols[nm], (v) => v * scale);
    cols = scaled;
  }
  let W = 0;
  for (let i = 0; i < w.length; i++) W += w[i];
  return { columns: cols, weights: w, rows: w.length, totalWeight: W, scale };
}

/**
 * Mean negative log-likelihood of `params` (original units) on `columns`, in the data's own time
 * units, without grouping, rescaling or penalty — lifetimes' `_negative_log_likelihood` on given
 * data (clv-reference BG.11). Useful for tests and model comparison.
 */
export function meanNegLogLikelihood<K extends string>(
  spec: ModelSpec<K>,
  params: Record<K, number>,
  columns: Record<string, Float64Array>,
  weights?: Float64Array,
): number {
  const prepared = prepareData(spec, columns, weights, false, false);
  const p = Float64Array.from(spec.paramNames, (nm) => params[nm]);
  return spec.nll(prepared)(p) / prepared.totalWeight;
}

/**
 * Spec of a continuous-time recency/frequency model with parameters (r, α, ·, ·): time columns
 * recency and T rescaled by 1/max T, α divided back, LL identity on the frequency column.
 */
export function rftModelSpec<K extends string>(
  model: ModelName,
  paramNames: readonly K[],
  timeParams: readonly K[],
  nll: (d: PreparedData) => NllFn,
): ModelSpec<K> {
  return {
    model,
    paramNames,
    timeParams,
    timeColumns: ["recency", "T"],
    scaleColumn: "T",
    eventColumn: "frequency",
    keyColumns: ["frequency", "recency", "T"],
    nll,
  };
}

/** Validates (UT.9, at least one repeat purchase) and fits an RFT model; `fitMs` includes validation. */
export function fitRftModel<K extends string>(
  spec: ModelSpec<K>,
  data: RFTData,
  config: LogFitConfig<K>,
): FittedModel<K> {
  const t0 = performance.now();
  validateRFT(data, { requireRepeat: true });
  return fitLogParamModel(
    spec,
    { frequency: data.frequency, recency: data.recency, T: data.T },
    data.weights,
    config,
    t0,
  );
}

/** Validated mean NLL of an RFT model in the data's own units (no scaling, no penalty). */
export function rftMeanNll<K extends string>(spec: ModelSpec<K>, params: Record<K, number>, data: RFTData): number {
  validateRFT(data);
  return meanNegLogLikelihood(
    spec,
    params,
    { frequency: data.frequency, recency: data.recency, T: data.T },
    data.weights,
  );
}

// Serialisation of fitted models lives in ./serialize.ts; re-exported here for existing importers.
export { FittedModelError, fittedFromJSON, fittedToJSON } from "./serialize";
