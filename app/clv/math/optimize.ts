/**
 * Unconstrained minimisers for the engine's maximum-likelihood fits.
 *
 * - `bfgs`: quasi-Newton with an Armijo/Wolfe backtracking line search. Needs a gradient
 *   (analytic, or `numericGradient`).
 * - `nelderMead`: derivative-free simplex (the fallback, and lifetimes' Pareto/NBD method).
 * - `minimize`: BFGS first; if it stalls, diverges or produces non-finite values it falls back
 *   to Nelder-Mead started from the best point seen, then polishes with BFGS once more.
 *
 * Nothing here throws on numerical trouble: the result always says whether it converged and
 * why it stopped (lifetimes' most common complaint is a silent or cryptic convergence failure).
 */

import { numericGradient } from "./derivatives";

// Numerical derivatives and the small dense linear algebra live in ./derivatives.ts.
export { numericGradient, numericHessian, invertSPD, cholesky } from "./derivatives";

/** Objective returning f(x); when `grad` is given it must also fill it with ∇f(x). */
export type Objective = (x: Float64Array, grad?: Float64Array) => number;

/** Options shared by the minimisers. */
export interface MinimizeOptions {
  /** Max iterations for BFGS (default 500). */
  maxIter?: number;
  /** Max iterations for Nelder-Mead (default 4000). */
  maxIterNM?: number;
  /** Stop when the gradient's max-norm is below this (default 1e-8). */
  gtol?: number;
  /** Stop when the relative change in f over an iteration is below this (default 1e-12). */
  ftolRel?: number;
  /** Whether the objective fills `grad` itself; otherwise central differences are used. */
  analyticGradient?: boolean;
  /** "auto" (BFGS then Nelder-Mead fallback), "bfgs" or "nelder-mead". */
  method?: "auto" | "bfgs" | "nelder-mead";
}

/** Outcome of a minimisation: never thrown, always explained. */
export interface MinimizeResult {
  x: Float64Array;
  fx: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  /** Max-norm of the gradient at the returned point (NaN if never computed). */
  gradNorm: number;
  method: "bfgs" | "nelder-mead" | "bfgs+nelder-mead";
  reason: string;
}

const EPS = 2.220446049250313e-16;

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > m || Number.isNaN(a)) m = a;
  }
  return m;
}

/**
 * BFGS quasi-Newton minimisation with a backtracking (Armijo) line search; stops on the gradient
 * max-norm (gtol) or on a stalled relative objective change (ftolRel).
 */
export function bfgs(f: Objective, x0: ArrayLike<number>, opts: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIter = opts.maxIter ?? 500;
  const gtol = opts.gtol ?? 1e-8;
  const ftolRel = opts.ftolRel ?? 1e-12;
  let evaluations = 0;
  const fg = (x: Float64Array, g: Float64Array): number => {
    evaluations++;
    if (opts.analyticGradient) return f(x, g);
    numericGradient(f, x, g);
    return f(x);
  };
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let fx = fg(x, g);
  if (!Number.isFinite(fx) || !g.every(Number.isFinite))
    return {
      x,
      fx,
      converged: false,
      iterations: 0,
      evaluations,
      gradNorm: maxAbs(g),
      method: "bfgs",
      reason: "non-finite objective or gradient at the start point",
    };
  // Inverse Hessian approximation, start with identity scaled later.
  let Hinv: Float64Array[] = Array.from({ length: n }, (_, i) => {
    const r = new Float64Array(n);
    r[i] = 1;
    return r;
  });
  const p = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  let reason = "maximum iterations reached";
  let converged = false;
  let iter = 0;
  let firstStep = true;
  let smallSteps = 0;
  for (; iter < maxIter; iter++) {
    if (maxAbs(g) < gtol) {
      converged = true;
      reason = "gradient norm below tolerance";
      break;
    }
    // p = -Hinv g
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v -= Hinv[i][j] * g[j];
      p[i] = v;
      slope += v * g[i];
    }
    if (!(slope < 0)) {
      // Not a descent direction: reset to steepest descent.
      Hinv = Hinv.map((_, i) => {
        const r = new Float64Array(n);
        r[i] = 1;
        return r;
      });
      slope = 0;
      for (let i = 0; i < n; i++) {
        p[i] = -g[i];
        slope -= g[i] * g[i];
      }
    }
    let step = 1;
    if (firstStep) {
      const pn = maxAbs(p);
      if (pn > 1) step = 1 / pn;
    }
    let fNew = NaN;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * p[i];
      fNew = fg(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope && gNew.every(Number.isFinite)) {
        accepted = true;
        break;
      }
      step *= Number.isFinite(fNew) ? 0.5 : 0.1;
    }
    if (!accepted) {
      reason = "line search failed to find a lower point";
      // Stationary within precision is still convergence.
      converged = maxAbs(g) < Math.max(gtol, 1e-5);
      break;
    }
    firstStep = false;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
    }
    const relChange = Math.abs(fx - fNew) / Math.max(Math.abs(fx), Math.abs(fNew), 1e-300);
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    if (relChange < ftolRel) {
      smallSteps++;
      if (smallSteps >= 3 || maxAbs(g) < Math.sqrt(gtol)) {
        converged = maxAbs(g) < Math.max(gtol, 1e-4);
        reason = converged ? "relative change in objective below tolerance" : "objective stalled with a large gradient";
        iter++;
        break;
      }
    } else smallSteps = 0;
    if (sy > EPS * 10) {
      // BFGS inverse update: H = (I - rho s y^T) H (I - rho y s^T) + rho s s^T
      const rho = 1 / sy;
      const Hy = new Float64Array(n);
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += Hinv[i][j] * y[j];
        Hy[i] = v;
        yHy += y[i] * v;
      }
      if (iter === 0) {
        // Scale the initial matrix (Nocedal & Wright 6.20) before the first update.
        let yy = 0;
        for (let i = 0; i < n; i++) yy += y[i] * y[i];
        const gamma = sy / yy;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) Hinv[i][j] *= gamma;
          Hy[i] *= gamma;
        }
        yHy *= gamma;
      }
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          Hinv[i][j] += -rho * (s[i] * Hy[j] + Hy[i] * s[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
    }
  }
  return { x, fx, converged, iterations: iter, evaluations, gradNorm: maxAbs(g), method: "bfgs", reason };
}

/** Nelder-Mead simplex minimisation (derivative-free); stops when the simplex collapses. */
export function nelderMead(f: Objective, x0: ArrayLike<number>, opts: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIter = opts.maxIterNM ?? 4000;
  const ftol = opts.ftolRel ?? 1e-12;
  let evaluations = 0;
  const F = (x: Float64Array) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const simplex: Float64Array[] = [Float64Array.from(x0)];
  for (let i = 0; i < n; i++) {
    const v = Float64Array.from(x0);
    v[i] = v[i] !== 0 ? v[i] * 1.05 + 0.05 : 0.1;
    simplex.push(v);
  }
  let values = simplex.map(F);
  const centroid = new Float64Array(n);
  const pt = (a: Float64Array, coef: number, out: Float64Array = new Float64Array(n)) => {
    for (let i = 0; i < n; i++) out[i] = centroid[i] + coef * (a[i] - centroid[i]);
    return out;
  };
  let iter = 0;
  let converged = false;
  let reason = "maximum iterations reached";
  for (; iter < maxIter; iter++) {
    const order = values.map((v, i) => i).sort((a, b) => values[a] - values[b]);
    const sorted = order.map((i) => simplex[i]);
    values = order.map((i) => values[i]);
    simplex.splice(0, simplex.length, ...sorted);
    const best = values[0];
    const worst = values[n];
    let spread = 0;
    for (let k = 1; k <= n; k++)
      for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(simplex[k][i] - simplex[0][i]));
    if (
      Number.isFinite(worst) &&
      Math.abs(worst - best) <= ftol * Math.max(1, Math.abs(best)) * 10 &&
      spread < 1e-8 * Math.max(1, maxAbs(simplex[0])) * 1e3
    ) {
      converged = true;
      reason = "simplex collapsed (function and parameter tolerance met)";
      break;
    }
    centroid.fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] += simplex[k][i] / n;
    const xr = pt(simplex[n], -1);
    const fr = F(xr);
    if (fr < values[0]) {
      const xe = pt(simplex[n], -2);
      const fe = F(xe);
      if (fe < fr) {
        simplex[n] = xe;
        values[n] = fe;
      } else {
        simplex[n] = xr;
        values[n] = fr;
      }
    } else if (fr < values[n - 1]) {
      simplex[n] = xr;
      values[n] = fr;
    } else {
      const outside = fr < values[n];
      const xc = outside ? pt(simplex[n], -0.5) : pt(simplex[n], 0.5);
      const fc = F(xc);
      if (fc < (outside ? fr : values[n])) {
        simplex[n] = xc;
        values[n] = fc;
      } else {
        for (let k = 1; k <= n; k++) {
          for (let i = 0; i < n; i++) simplex[k][i] = simplex[0][i] + 0.5 * (simplex[k][i] - simplex[0][i]);
          values[k] = F(simplex[k]);
        }
      }
    }
  }
  let bi = 0;
  for (let k = 1; k <= n; k++) if (values[k] < values[bi]) bi = k;
  return {
    x: simplex[bi],
    fx: values[bi],
    converged,
    iterations: iter,
    evaluations,
    gradNorm: NaN,
    method: "nelder-mead",
    reason,
  };
}

/**
 * BFGS with a Nelder-Mead fallback. The fallback runs when BFGS fails to converge; its result is
 * then polished with BFGS. The best (lowest finite) objective found is always returned.
 */
export function minimize(f: Objective, x0: ArrayLike<number>, opts: MinimizeOptions = {}): MinimizeResult {
  const method = opts.method ?? "auto";
  if (method === "nelder-mead") return nelderMead(f, x0, opts);
  const first = bfgs(f, x0, opts);
  if (method === "bfgs" || first.converged) return first;
  const start = Number.isFinite(first.fx) ? first.x : Float64Array.from(x0);
  const nm = nelderMead(f, start, opts);
  const polish = bfgs(f, nm.x, opts);
  const candidates = [first, nm, polish].filter((r) => Number.isFinite(r.fx));
  if (candidates.length === 0)
    return { ...first, reason: `no finite objective found (BFGS: ${first.reason}; Nelder-Mead: ${nm.reason})` };
  const best = candidates.reduce((a, b) => (b.fx < a.fx ? b : a));
  const iterations = first.iterations + nm.iterations + polish.iterations;
  const evaluations = first.evaluations + nm.evaluations + polish.evaluations;
  const converged = polish.converged || nm.converged;
  return {
    x: best.x,
    fx: best.fx,
    converged,
    iterations,
    evaluations,
    gradNorm: best === polish || best === first ? best.gradNorm : polish.gradNorm,
    method: "bfgs+nelder-mead",
    reason: converged
      ? `BFGS did not converge (${first.reason}); Nelder-Mead fallback converged (${polish.converged ? polish.reason : nm.reason})`
      : `not converged: BFGS (${first.reason}), Nelder-Mead (${nm.reason})`,
  };
}
