/**
 * Zero-inflated lognormal (ZILN) loss and predictive distribution (Wang, Liu & Miao 2019;
 * google/lifetime_value, Apache-2.0). See docs/reference/clv-engine.md §4.8.
 *
 * A model emits three logits z = (z0, z1, z2): p = σ(z0) is the probability of a positive
 * value, μ = z1 and s = softplus(z2) are the lognormal parameters of the positive part.
 */
import { tf } from "./tf";
import { normalQuantile } from "~/clv/math/special";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Keras' default epsilon; the scale is floored at sqrt(EPS) in the loss only. */
const EPS = 1e-7;

const softplus = (u: number) => (u > 30 ? u : Math.log1p(Math.exp(u)));
const sigmoid = (u: number) => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));

/** Per-example ZILN loss in plain JS (the oracle for the tensor version). */
export function zilnLoss(y: number, z0: number, z1: number, z2: number): number {
  if (y > 0) {
    const s = Math.max(softplus(z2), Math.sqrt(EPS));
    const ly = Math.log(y);
    return softplus(-z0) + ly + Math.log(s) + LOG_SQRT_2PI + (ly - z1) ** 2 / (2 * s * s);
  }
  return softplus(z0);
}

/** Mean ZILN loss as a tf.js loss function: yTrue [n,1] (or [n]), yPred [n,3] logits. */
export function zilnLossTensor(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const y = yTrue.reshape([-1]);
    const z0 = yPred.slice([0, 0], [-1, 1]).reshape([-1]);
    const mu = yPred.slice([0, 1], [-1, 1]).reshape([-1]);
    const s = tf.maximum(tf.softplus(yPred.slice([0, 2], [-1, 1]).reshape([-1])), Math.sqrt(EPS));
    const pos = tf.cast(tf.greater(y, 0), "float32");
    // BCE from logits with label 1{y>0}: softplus(z0) - pos*z0 (= softplus(-z0) when pos).
    const bce = tf.sub(tf.softplus(z0), tf.mul(pos, z0));
    const safeY = tf.add(tf.mul(pos, y), tf.sub(1, pos)); // y := 1 where y = 0
    const ly = tf.log(safeY);
    const ln = tf.add(
      tf.addN([ly, tf.log(s), tf.div(tf.square(tf.sub(ly, mu)), tf.mul(2, tf.square(s)))]),
      LOG_SQRT_2PI,
    );
    return tf.mean(tf.add(bce, tf.mul(pos, ln))) as tf.Scalar;
  });
}

/** Predictive distribution parameters per example. */
export interface ZilnParams {
  p: Float64Array;
  mu: Float64Array;
  sigma: Float64Array;
}

/**
 * Cap on σ used when the trainer serves predictions: a lognormal with σ = 2 already has a mean
 * 7.4× its median; larger σ at scoring time means the network is extrapolating, and the mean
 * exp(μ + σ²/2) would explode (seen on the Complete Journey sample before the cap).
 */
export const SIGMA_CAP = 2;

/** Converts raw logits (row-major n × 3) to (p, μ, σ), with σ capped at `maxSigma` (default: no cap). */
export function zilnParams(logits: ArrayLike<number>, maxSigma = Infinity): ZilnParams {
  const n = logits.length / 3;
  const p = new Float64Array(n),
    mu = new Float64Array(n),
    sigma = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    p[i] = sigmoid(logits[3 * i]);
    mu[i] = logits[3 * i + 1];
    sigma[i] = Math.min(maxSigma, softplus(logits[3 * i + 2]));
  }
  return { p, mu, sigma };
}

/** E[Y] = p · exp(μ + σ²/2) per example (no ε floor in prediction). */
export function zilnMean(d: ZilnParams): Float64Array {
  const out = new Float64Array(d.p.length);
  for (let i = 0; i < out.length; i++) out[i] = d.p[i] * Math.exp(d.mu[i] + (d.sigma[i] * d.sigma[i]) / 2);
  return out;
}

/** τ-quantile per example: 0 if τ ≤ 1−p, else exp(μ + σ Φ⁻¹((τ − (1−p))/p)). */
export function zilnQuantile(d: ZilnParams, tau: number): Float64Array {
  if (!(tau > 0 && tau < 1)) throw new Error(`zilnQuantile: tau must be in (0,1), got ${tau}`);
  const out = new Float64Array(d.p.length);
  for (let i = 0; i < out.length; i++) {
    const p = d.p[i];
    if (tau <= 1 - p) continue;
    out[i] = Math.exp(d.mu[i] + d.sigma[i] * normalQuantile((tau - (1 - p)) / p));
  }
  return out;
}
