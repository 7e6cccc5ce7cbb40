/**
 * Fast seeded pseudo-random numbers for simulation, bootstrap and property tests (pure, no I/O).
 *
 * Generator: xoshiro128** (Blackman & Vigna), 32-bit state words, seeded through splitmix32 so
 * that any integer seed (including 0) gives a well-mixed state. Doubles use 53 random bits.
 * Same seed ⇒ same stream on every platform (only 32-bit integer ops and IEEE doubles).
 *
 * Samplers: uniform, normal (ziggurat), exponential, gamma (Marsaglia–Tsang, with the
 * U^{1/k} boost for shape < 1, also available in log space), beta (via log-gammas, so tiny
 * shapes never give 0/0), poisson (inversion for small means, PTRS of Hörmann for large),
 * geometric, binomial.
 */

/** A seeded random stream. */
export class Rng {
  /** xoshiro128** state (an Int32Array keeps the words unboxed: int32 values overflow V8's Smis). */
  private readonly st = new Int32Array(4);

  /** @param seed any finite number; its low 32 bits (and the high bits, mixed) select the stream. */
  constructor(seed = 1) {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be a finite number, got ${seed}`);
    let st = (seed >>> 0) ^ Math.floor(seed / 4294967296);
    const next = () => {
      // splitmix32
      st = (st + 0x9e3779b9) | 0;
      let z = st;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    // Keep the state as signed int32 so V8 stores it as small integers (no heap numbers).
    const s = this.st;
    for (let i = 0; i < 4; i++) s[i] = next() | 0;
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  }

  /** A generator with an explicit xoshiro128** state (for reference test vectors; not all zero). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Rng {
    const r = new Rng(1);
    r.st.set([s0 | 0, s1 | 0, s2 | 0, s3 | 0]);
    if ((s0 | s1 | s2 | s3) === 0) throw new Error("xoshiro128** state must not be all zero");
    return r;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    return this.nextI32() >>> 0;
  }

  /** Next output as a signed int32 (same bits as `nextU32`). */
  private nextI32(): number {
    const s = this.st;
    const s0 = s[0];
    const s1 = s[1];
    const s2 = s[2] ^ s0;
    const s3 = s[3] ^ s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    s[1] = s1 ^ s2;
    s[0] = s0 ^ s3;
    s[2] = s2 ^ (s1 << 9);
    s[3] = rotl(s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextI32() >>> 5; // 27 bits
    const lo = this.nextI32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * 1.1102230246251565e-16;
  }

  /** Uniform double in (0, 1): never 0, safe for logarithms. */
  uniformPos(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /** Integer uniform on {0, …, n−1} (n ≤ 2^32). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /**
   * Standard normal: Marsaglia–Tsang ziggurat (128 layers) with the layer index drawn from an
   * independent word (Doornik 2005's fix for the correlated-bits flaw of the original RNOR).
   */
  normal(): number {
    for (;;) {
      const hz = this.nextI32();
      const iz = this.nextI32() & 127;
      if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
      if (iz === 0) {
        // Base layer: sample the tail beyond R (Marsaglia 1964).
        let x: number;
        let y: number;
        do {
          x = -Math.log(this.uniformPos()) / ZIG_R;
          y = -Math.log(this.uniformPos());
        } while (y + y < x * x);
        return hz > 0 ? ZIG_R + x : -ZIG_R - x;
      }
      const x = hz * ZIG_W[iz];
      if (ZIG_F[iz] + this.uniform() * (ZIG_F[iz - 1] - ZIG_F[iz]) < Math.exp(-0.5 * x * x)) return x;
    }
  }

  /** Exponential with rate 1. */
  exponential(): number {
    return -Math.log(this.uniformPos());
  }

  /**
   * ln of a Gamma(shape, scale 1) variate. For shape < 1 uses G(shape) = G(shape+1)·U^{1/shape}
   * in log space, so tiny shapes do not underflow to 0.
   */
  logGamma(shape: number): number {
    if (!(shape > 0)) throw new Error(`gamma shape must be > 0, got ${shape}`);
    if (shape < 1) return Math.log(this.gamma(shape + 1)) + Math.log(this.uniformPos()) / shape;
    return Math.log(this.gamma(shape));
  }

  /**
   * Gamma(shape, scale) variate (mean shape·scale): Marsaglia–Tsang (2000) squeeze-and-reject for
   * shape ≥ 1; for shape < 1 the boost G(shape+1)·U^{1/shape}.
   */
  gamma(shape: number, scale = 1): number {
    if (!(shape > 0)) throw new Error(`gamma shape must be > 0, got ${shape}`);
    const boost = shape < 1;
    const d = (boost ? shape + 1 : shape) - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    let g: number;
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniformPos();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        g = d * v;
        break;
      }
    }
    if (boost) g *= Math.exp(Math.log(this.uniformPos()) / shape);
    return g * scale;
  }

  /** Beta(a, b) variate in [0, 1]; falls back to log-gammas when both gamma draws underflow. */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    const y = this.gamma(b);
    const s = x + y;
    if (s > 0 && Number.isFinite(s)) return x / s;
    const d = this.logGamma(b) - this.logGamma(a);
    return d > 0 ? Math.exp(-d) / (1 + Math.exp(-d)) : 1 / (1 + Math.exp(d));
  }

  /** Poisson(mean) variate: inversion for mean < 10, PTRS (Hörmann 1993) above. */
  poisson(mean: number): number {
    if (!(mean >= 0) || !Number.isFinite(mean)) throw new Error(`poisson mean must be finite and >= 0, got ${mean}`);
    if (mean === 0) return 0;
    if (mean < 10) {
      // Inversion by sequential search.
      let k = 0;
      let p = Math.exp(-mean);
      let s = p;
      const u = this.uniform();
      while (u > s) {
        k++;
        p *= mean / k;
        s += p;
        if (p === 0 && s < u) break; // numerical tail: accept current k
      }
      return k;
    }
    const slam = Math.sqrt(mean);
    const loglam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = this.uniform() - 0.5;
      const V = this.uniformPos();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + mean + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - lgammaInt(k + 1))
        return k;
    }
  }

  /** Geometric on {1, 2, …}: number of Bernoulli(p) trials up to and including the first success. */
  geometric(p: number): number {
    if (!(p > 0 && p <= 1)) throw new Error(`geometric p must be in (0, 1], got ${p}`);
    if (p === 1) return 1;
    const g = 1 + Math.floor(Math.log(this.uniformPos()) / Math.log1p(-p));
    return Number.isFinite(g) ? g : Number.MAX_SAFE_INTEGER;
  }

  /** Binomial(n, p) by summing Bernoulli trials (n small) or a normal-free inversion (n large). */
  binomial(n: number, p: number): number {
    if (!(p >= 0 && p <= 1) || !(n >= 0) || !Number.isInteger(n))
      throw new Error(`binomial needs integer n >= 0 and p in [0,1], got n=${n}, p=${p}`);
    if (n <= 64) {
      let k = 0;
      for (let i = 0; i < n; i++) if (this.uniform() < p) k++;
      return k;
    }
    // Waiting-time method: count geometric gaps until they exceed n.
    if (p === 0) return 0;
    if (p === 1) return n;
    let k = 0;
    let pos = 0;
    for (;;) {
      pos += this.geometric(p);
      if (pos > n) return k;
      k++;
    }
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }
}

// Ziggurat tables for the standard normal (Marsaglia & Tsang 2000, 128 layers).
const ZIG_R = 3.442619855899;
const ZIG_K = new Float64Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
(() => {
  const m1 = 2147483648;
  const v = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = v / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * m1;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m1;
  ZIG_W[127] = dn / m1;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(v / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * m1;
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m1;
  }
})();

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const LF_TABLE = (() => {
  const t = new Float64Array(256);
  for (let i = 2; i < 256; i++) t[i] = t[i - 1] + Math.log(i - 1);
  return t; // t[n] = ln((n-1)!) = lnΓ(n)
})();

/** lnΓ(n) for positive integers n (table below 256, Stirling series above). */
function lgammaInt(n: number): number {
  if (n < 256) return LF_TABLE[n];
  const x = n;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}
