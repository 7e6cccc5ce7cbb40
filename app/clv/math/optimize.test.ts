import { describe, expect, it } from "vitest";
import {
  bfgs,
  cholesky,
  invertSPD,
  minimize,
  nelderMead,
  numericGradient,
  numericHessian,
  type Objective,
} from "./optimize";

/** Rosenbrock with analytic gradient; minimum 0 at (1, 1). */
const rosen: Objective = (x, g) => {
  const [a, b] = [x[0], x[1]];
  if (g) {
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
  }
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

describe("optimisers", () => {
  it("BFGS with an analytic gradient solves Rosenbrock from (-1.2, 1)", () => {
    const r = bfgs(rosen, [-1.2, 1], { analyticGradient: true });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(r.x[1] - 1)).toBeLessThan(1e-6);
    expect(r.fx).toBeLessThan(1e-12);
  });

  it("BFGS with central-difference gradients solves Rosenbrock", () => {
    const r = bfgs((x) => rosen(x), [-1.2, 1]);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-4);
    expect(Math.abs(r.x[1] - 1)).toBeLessThan(1e-4);
  });

  it("Nelder-Mead solves Rosenbrock and a 4-d quadratic", () => {
    const r = nelderMead((x) => rosen(x), [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-4);
    const q = nelderMead((x) => x.reduce((s, v, i) => s + (i + 1) * (v - i) ** 2, 0), [3, 3, 3, 3]);
    q.x.forEach((v, i) => expect(Math.abs(v - i)).toBeLessThan(1e-4));
  });

  it("minimize falls back to Nelder-Mead on a non-smooth objective and still finds the minimum", () => {
    const f: Objective = (x, g) => {
      if (g) {
        g[0] = Math.sign(x[0] - 2);
        g[1] = Math.sign(x[1] + 1);
      }
      return Math.abs(x[0] - 2) + Math.abs(x[1] + 1);
    };
    const r = minimize(f, [0.3, 0.7], { analyticGradient: true, maxIter: 200 });
    expect(Math.abs(r.x[0] - 2)).toBeLessThan(1e-4);
    expect(Math.abs(r.x[1] + 1)).toBeLessThan(1e-4);
    expect(r.reason.length).toBeGreaterThan(0);
  });

  it("reports a non-finite start instead of throwing or returning a silent NaN", () => {
    const r = minimize(() => NaN, [1, 2], { method: "bfgs" });
    expect(r.converged).toBe(false);
    expect(r.reason).toMatch(/non-finite/);
    const auto = minimize(() => NaN, [1, 2]);
    expect(auto.converged).toBe(false);
    expect(auto.reason).toMatch(/not converged|no finite/);
  });

  it("numeric gradient and Hessian of a quadratic are exact to rounding", () => {
    // f = ½ xᵀAx with A = [[4, 1], [1, 3]]
    const f: Objective = (x, g) => {
      if (g) {
        g[0] = 4 * x[0] + x[1];
        g[1] = x[0] + 3 * x[1];
      }
      return 0.5 * (4 * x[0] * x[0] + 2 * x[0] * x[1] + 3 * x[1] * x[1]);
    };
    const g = numericGradient(f, Float64Array.from([1, -2]));
    expect(Math.abs(g[0] - 2)).toBeLessThan(1e-7);
    expect(Math.abs(g[1] + 5)).toBeLessThan(1e-7);
    for (const analytic of [true, false]) {
      const H = numericHessian(f, Float64Array.from([0.5, 0.25]), analytic);
      expect(Math.abs(H[0][0] - 4)).toBeLessThan(1e-5);
      expect(Math.abs(H[0][1] - 1)).toBeLessThan(1e-5);
      expect(H[0][1]).toBe(H[1][0]);
      expect(Math.abs(H[1][1] - 3)).toBeLessThan(1e-5);
    }
  });

  it("SPD inverse and Cholesky", () => {
    const A = [Float64Array.from([4, 2, 0.4]), Float64Array.from([2, 5, 1]), Float64Array.from([0.4, 1, 3])];
    const inv = invertSPD(A)!;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += A[i][k] * inv[k][j];
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-14);
      }
    const L = cholesky(A)!;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += L[i][k] * L[j][k];
        expect(Math.abs(s - A[i][j])).toBeLessThan(1e-14);
      }
    expect(invertSPD([Float64Array.from([1, 2]), Float64Array.from([2, 1])])).toBeNull();
    expect(cholesky([Float64Array.from([-1])])).toBeNull();
  });
});
