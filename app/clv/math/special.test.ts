import { describe, expect, it } from "vitest";
import {
  betaln,
  bgHypProduct,
  digamma,
  gammaln,
  hyp2f1,
  hyp2f1Series,
  lfactorial,
  logAddExp,
  logSubExp,
  normalQuantile,
  sigmoid,
  softplus,
} from "./special";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("special functions against known values", () => {
  it("gammaln / lfactorial", () => {
    expect(rel(gammaln(10), Math.log(362880))).toBeLessThan(1e-15);
    expect(rel(gammaln(0.5), 0.5 * Math.log(Math.PI))).toBeLessThan(1e-15);
    expect(gammaln(1)).toBe(0);
    expect(rel(lfactorial(20), Math.log(2432902008176640000))).toBeLessThan(1e-15);
    // large argument (Stirling regime)
    expect(rel(gammaln(1e6), 12815504.569147611)).toBeLessThan(1e-14);
  });

  it("digamma", () => {
    const euler = 0.5772156649015329;
    expect(rel(digamma(1), -euler)).toBeLessThan(1e-15);
    expect(rel(digamma(0.5), -euler - 2 * Math.LN2)).toBeLessThan(1e-14);
    // recurrence ψ(x+1) = ψ(x) + 1/x
    for (const x of [0.01, 0.3, 2.5, 17.25, 1e4])
      expect(Math.abs(digamma(x + 1) - digamma(x) - 1 / x)).toBeLessThan(1e-12 * Math.max(1, 1 / x));
  });

  it("betaln", () => {
    expect(rel(betaln(2, 3), Math.log(1 / 12))).toBeLessThan(1e-14);
    expect(rel(betaln(0.5, 0.5), Math.log(Math.PI))).toBeLessThan(1e-14);
    expect(rel(betaln(300, 400), gammaln(300) + gammaln(400) - gammaln(700))).toBeLessThan(1e-12);
  });

  it("hyp2f1: closed forms and the Euler transform", () => {
    expect(rel(hyp2f1(1, 1, 2, 0.5), 2 * Math.LN2)).toBeLessThan(1e-15);
    for (const z of [0.1, 0.5, 0.9, -0.7]) expect(rel(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z)).toBeLessThan(1e-13);
    expect(hyp2f1(2.3, 4.5, 3.1, 0)).toBe(1);
    // (1 − z)^{−a} = ₂F₁(a, b; b; z)
    expect(rel(hyp2f1(0.7, 3, 3, 0.4), Math.pow(0.6, -0.7))).toBeLessThan(1e-13);
    // Euler's transformation holds where both sides are evaluated directly
    const [a, b, c, z] = [30.2, 31.4, 33.2, 0.6];
    expect(rel(hyp2f1(a, b, c, z), Math.pow(1 - z, c - a - b) * hyp2f1(c - a, c - b, c, z))).toBeLessThan(1e-10);
    // BG/NBD-style arguments: finite and positive for large x
    const v = hyp2f1(0.24 + 500, 2.4 + 500, 0.79 + 2.4 + 499, 0.5);
    expect(Number.isFinite(v) && v > 0).toBe(true);
  });

  it("log-space helpers never overflow", () => {
    expect(logAddExp(-Infinity, -Infinity)).toBe(-Infinity);
    expect(logAddExp(-Infinity, 3)).toBe(3);
    expect(rel(logAddExp(1000, 1000), 1000 + Math.LN2)).toBeLessThan(1e-15);
    expect(rel(logAddExp(0, Math.log(3)), Math.log(4))).toBeLessThan(1e-15);
    expect(rel(logSubExp(Math.log(5), Math.log(2)), Math.log(3))).toBeLessThan(1e-15);
    expect(logSubExp(2, 2)).toBe(-Infinity);
    expect(Number.isNaN(logSubExp(1, 2))).toBe(true);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(0)).toBe(0.5);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(rel(softplus(0), Math.LN2)).toBeLessThan(1e-15);
  });
});

describe("fast series ₂F₁ and the BG/NBD Euler-transformed product", () => {
  it("series agrees with the general routine; NaN outside its domain", () => {
    let maxRel = 0;
    for (let x = 0; x < 200; x += 7)
      for (let z = 0.01; z < 0.9; z += 0.07)
        maxRel = Math.max(
          maxRel,
          rel(hyp2f1Series(0.24 + x, 2.4 + x, 2.19 + x, z), hyp2f1(0.24 + x, 2.4 + x, 2.19 + x, z)),
        );
    expect(maxRel).toBeLessThan(1e-12);
    expect(rel(hyp2f1Series(1, 1, 2, 0.5), 2 * Math.LN2)).toBeLessThan(1e-15);
    expect(hyp2f1Series(-2, 1, 1, 0.5)).toBe(1 - 2 * 0.5 + 0.25); // terminating polynomial (1−z)²
    expect(Number.isNaN(hyp2f1Series(1, 1, -0.5, 0.5))).toBe(true);
    expect(Number.isNaN(hyp2f1Series(1, 1, 2, 1))).toBe(true);
  });

  it("(1−z)^{a−1}·₂F₁(a+b−1−r+s, a−1; c; z) equals (1−z)^{r+x}·₂F₁(r+x, b+x+s; c; z)", () => {
    for (const [r, a, b] of [
      [0.243, 0.793, 2.426],
      [0.52, 0.89, 1.61],
      [2, 3, 0.2],
      [0.1, 0.3, 0.4],
    ])
      for (const s of [0, 1])
        for (const x of [0, 1, 5, 30])
          for (const z of [0.02, 0.3, 0.6, 0.85]) {
            const c = a + b + x - 1 + s;
            const direct = Math.pow(1 - z, r + x) * hyp2f1(r + x, b + x + s, c, z);
            expect(
              rel(bgHypProduct(r, a, b, x, s, z, Math.log1p(-z)), direct),
              `r=${r} a=${a} b=${b} s=${s} x=${x} z=${z}`,
            ).toBeLessThan(1e-9);
          }
  });

  it("stays finite for huge frequencies where the untransformed ₂F₁ overflows", () => {
    const z = 0.9;
    expect(Number.isFinite(hyp2f1(0.24 + 2000, 2.4 + 2000, 2.19 + 2000, z))).toBe(false);
    const v = bgHypProduct(0.24, 0.79, 2.4, 2000, 0, z, Math.log1p(-z));
    // c ≈ 2000 ⇒ ₂F₁(a+b−1−r, a−1; c; z) ≈ 1 + (a+b−1−r)(a−1)z/c, so the product ≈ (1−z)^{a−1}
    expect(
      rel(v, Math.pow(1 - z, 0.79 - 1) * (1 + ((0.79 + 2.4 - 1 - 0.24) * (0.79 - 1) * z) / (0.79 + 2.4 + 1999))),
    ).toBeLessThan(1e-6);
  });
});

describe("normalQuantile", () => {
  it("matches known quantiles, is antisymmetric and handles the ends", () => {
    expect(rel(normalQuantile(0.95), 1.6448536269514722)).toBeLessThan(2e-9);
    expect(rel(normalQuantile(0.975), 1.959963984540054)).toBeLessThan(2e-9);
    expect(rel(normalQuantile(0.01), -2.3263478740408408)).toBeLessThan(2e-9);
    expect(rel(normalQuantile(1e-10), -6.361340902404056)).toBeLessThan(2e-9);
    expect(Math.abs(normalQuantile(0.5))).toBeLessThan(1e-15);
    for (const p of [0.001, 0.02, 0.3, 0.49]) expect(rel(normalQuantile(p), -normalQuantile(1 - p))).toBeLessThan(1e-8);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});
