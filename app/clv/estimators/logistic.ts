/**
 * L2-penalised logistic regression fitted by Newton's method (IRLS), for the churn classifier
 * ("buys again in the next 90 days", docs/models/model-zoo.md). Pure, no I/O.
 *
 * Objective: mean over rows of the log loss + (λ/2)‖b‖² (intercept not penalised). Each step
 * solves (XᵀWX / n + λI) Δ = −gradient with W = p(1 − p), halving the step until the objective
 * decreases; stops when the max-norm of the gradient is below `tol`. With λ > 0 the Hessian is
 * SPD and the optimum exists even for separable data.
 */
import { ClvInputError } from "./common";
import { checkMatrix, checkWidth, solveSpd, type FeatureMatrix } from "./tabular";

/** Fit options of the logistic regression. */
export interface LogisticConfig {
  /** L2 penalty λ (per-row scale). Default 1e-3; must be > 0. */
  lambda?: number;
  /** Max Newton iterations (default 50). */
  maxIter?: number;
  /** Gradient max-norm tolerance (default 1e-7). */
  tol?: number;
}

/** A fitted logistic regression (plain JSON). */
export interface FittedLogistic {
  model: "logistic";
  version: 1;
  intercept: number;
  coef: number[];
  lambda: number;
  n: number;
  /** Share of positive labels in the training rows. */
  positiveRate: number;
  /** Mean training log loss at the optimum. */
  logLoss: number;
  diagnostics: { converged: boolean; iterations: number; gradNorm: number; reason: string; fitMs: number };
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
/** log(1 + e^z) without overflow. */
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** Fits P(y = 1 | x) = σ(b0 + x·b) to 0/1 labels. */
export function fitLogistic(X: FeatureMatrix, y: ArrayLike<number>, cfg: LogisticConfig = {}): FittedLogistic {
  const t0 = Date.now();
  checkMatrix(X, y, "labels");
  for (let i = 0; i < y.length; i++)
    if (y[i] !== 0 && y[i] !== 1) throw new ClvInputError(`labels: must be 0 or 1 (row ${i}: ${y[i]})`, "labels", i);
  const lambda = cfg.lambda ?? 1e-3;
  if (!(lambda > 0) || !Number.isFinite(lambda))
    throw new ClvInputError(`logistic: lambda must be a positive finite number (got ${lambda})`, "lambda");
  const { n, d, x } = X;
  if (n < 2) throw new ClvInputError(`logistic: need at least 2 rows (got ${n})`, "X");
  const D = d + 1; // parameter 0 is the intercept
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, pos / n));
  const beta = new Float64Array(D);
  beta[0] = Math.log(rate / (1 - rate));
  const eta = new Float64Array(n);
  const linear = (b: Float64Array, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = b[0];
      for (let j = 0; j < d; j++) s += b[j + 1] * x[i * d + j];
      out[i] = s;
    }
  };
  const objective = (b: Float64Array, e: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += softplus(e[i]) - y[i] * e[i];
    let pen = 0;
    for (let j = 1; j < D; j++) pen += b[j] * b[j];
    return s / n + 0.5 * lambda * pen;
  };
  linear(beta, eta);
  let obj = objective(beta, eta);
  const g = new Float64Array(D);
  const H = new Float64Array(D * D);
  const row = new Float64Array(D);
  row[0] = 1;
  let it = 0,
    gNorm = Infinity,
    reason = "max iterations reached";
  const maxIter = cfg.maxIter ?? 50,
    tol = cfg.tol ?? 1e-7;
  const trial = new Float64Array(D),
    etaTrial = new Float64Array(n);
  for (; it < maxIter; it++) {
    g.fill(0);
    H.fill(0);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(eta[i]);
      const r = p - y[i];
      const w = p * (1 - p);
      for (let j = 0; j < d; j++) row[j + 1] = x[i * d + j];
      for (let a = 0; a < D; a++) {
        const va = row[a];
        g[a] += r * va;
        const wa = w * va;
        for (let b = 0; b <= a; b++) H[a * D + b] += wa * row[b];
      }
    }
    gNorm = 0;
    for (let a = 0; a < D; a++) {
      g[a] = g[a] / n + (a > 0 ? lambda * beta[a] : 0);
      gNorm = Math.max(gNorm, Math.abs(g[a]));
      for (let b = 0; b <= a; b++) {
        H[a * D + b] /= n;
        H[b * D + a] = H[a * D + b];
      }
      if (a > 0) H[a * D + a] += lambda;
    }
    if (gNorm < tol) {
      reason = "gradient below tolerance";
      break;
    }
    H[0] += 1e-12; // the intercept's curvature can vanish when every p is 0 or 1
    const step = solveSpd(H, g, D);
    if (!step) {
      reason = "Hessian not positive definite";
      break;
    }
    let t = 1,
      accepted = false;
    for (let h = 0; h < 30; h++, t /= 2) {
      for (let a = 0; a < D; a++) trial[a] = beta[a] - t * step[a];
      linear(trial, etaTrial);
      const o = objective(trial, etaTrial);
      if (o <= obj + 1e-15) {
        beta.set(trial);
        eta.set(etaTrial);
        accepted = obj - o < 1e-15 ? false : true;
        obj = o;
        break;
      }
    }
    if (!accepted) {
      reason = "no further decrease of the objective";
      it++;
      break;
    }
  }
  let ll = 0;
  for (let i = 0; i < n; i++) ll += softplus(eta[i]) - y[i] * eta[i];
  return {
    model: "logistic",
    version: 1,
    intercept: beta[0],
    coef: Array.from(beta.subarray(1)),
    lambda,
    n,
    positiveRate: pos / n,
    logLoss: ll / n,
    diagnostics: {
      converged: gNorm < tol || reason === "no further decrease of the objective",
      iterations: it,
      gradNorm: gNorm,
      reason,
      fitMs: Date.now() - t0,
    },
  };
}

/** P(y = 1) for every row. */
export function predictLogistic(f: Pick<FittedLogistic, "intercept" | "coef">, X: FeatureMatrix): Float64Array {
  checkWidth("logistic", f.coef, X);
  const { n, d, x } = X;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = f.intercept;
    for (let j = 0; j < d; j++) s += f.coef[j] * x[i * d + j];
    out[i] = sigmoid(s);
  }
  return out;
}

/** Validates a parsed fitted logistic regression; throws naming the bad field. */
export function logisticFromJSON(input: unknown): FittedLogistic {
  const o = (typeof input === "string" ? JSON.parse(input) : input) as Record<string, unknown>;
  const bad = (f: string, what: string): never => {
    throw new ClvInputError(`fitted logistic: ${f} ${what}`, f);
  };
  if (!o || typeof o !== "object") bad("(root)", "must be an object");
  if (o.model !== "logistic") bad("model", `must be "logistic" (got ${JSON.stringify(o.model)})`);
  if (o.version !== 1) bad("version", "must be 1");
  if (!Array.isArray(o.coef) || !o.coef.every((v) => typeof v === "number" && Number.isFinite(v)))
    bad("coef", "must be an array of finite numbers");
  for (const f of ["intercept", "lambda", "n", "positiveRate", "logLoss"])
    if (typeof o[f] !== "number" || !Number.isFinite(o[f])) bad(f, "must be a finite number");
  if (!o.diagnostics || typeof o.diagnostics !== "object") bad("diagnostics", "must be an object");
  return o as unknown as FittedLogistic;
}
