/**
 * Seeded synthetic data for the CLV engine's property tests, benchmarks and demo (pure, no I/O).
 *
 * - `simulateBgNbd`: the vectorised BG/NBD generator of docs/reference/clv-engine.md §5 (one pass, typed arrays;
 *   about 0.2 s per million customers): λ ~ Gamma(r, rate α), p ~ Beta(a, b), N ~ Poisson(λT)
 *   purchases ignoring dropout, K ~ Geometric(p) on {1, 2, …} (the repeat purchase after which
 *   the customer drops out), x = min(N, K), t_x = T·Beta(x, N − x + 1) (the x-th order statistic of
 *   N uniform purchase times).
 * - `simulateParetoNbd`: λ ~ Gamma(r, α), μ ~ Gamma(s, β), lifetime τ ~ Exp(μ), x ~ Poisson(λ·min(τ, T)),
 *   t_x = min(τ, T)·U^{1/x} (the largest of x uniform times).
 * - `simulateBgBb`: discrete opportunities; p ~ Beta(α, β), θ ~ Beta(γ, δ).
 * - `simulateGammaGamma`: mean repeat-purchase value per customer given x (Gamma-Gamma spend).
 * - `simulateTransactions`: a transaction log (customer, day, amount) from a BG/NBD or Pareto/NBD
 *   purchase process with Gamma-Gamma amounts and staggered acquisition, for the summary
 *   benchmark, the CLI and the demo store.
 *
 * Same seed ⇒ same output (see rng.ts). Customer ages T are either one constant or resampled
 * from a supplied set of ages (e.g. the CDNOW T values, as in §5).
 */
import { Rng } from "./rng";

/** Where customer ages T come from: one constant, or uniform resampling from a list. */
export type AgeSource = number | ArrayLike<number>;

/** Common options of the customer-level generators. */
export interface SimulationOptions {
  /** Number of customers to generate. */
  customers: number;
  /** Seed of the random stream (default 1). */
  seed?: number;
  /** Customer age T in model time units: a constant or a list to resample from (default 52). */
  T?: AgeSource;
}

/** Simulated recency/frequency/age data plus the latent per-customer draws. */
export interface SimulatedRFT {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** Latent purchase rate λ of each customer. */
  lambda: Float64Array;
  /** Whether the customer is still alive at T (the ground truth P(alive) estimates). */
  alive: Uint8Array;
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`customers must be a non-negative integer, got ${n}`);
}

function checkPositive(params: Record<string, number>): void {
  for (const [k, v] of Object.entries(params))
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`parameter ${k} must be a positive finite number, got ${v}`);
}

function ages(src: AgeSource | undefined, n: number, rng: Rng): Float64Array {
  const T = new Float64Array(n);
  const s = src ?? 52;
  if (typeof s === "number") {
    if (!(s > 0) || !Number.isFinite(s)) throw new Error(`T must be a positive finite number, got ${s}`);
    T.fill(s);
    return T;
  }
  if (s.length === 0) throw new Error("T: the list of ages to resample from is empty");
  const pool = Float64Array.from(s);
  for (let i = 0; i < pool.length; i++)
    if (!(pool[i] > 0) || !Number.isFinite(pool[i]))
      throw new Error(`T[${i}] must be a positive finite number, got ${pool[i]}`);
  const m = pool.length;
  for (let i = 0; i < n; i++) T[i] = pool[((rng.nextU32() * m) / 4294967296) | 0];
  return T;
}

/**
 * Checks the inputs of a continuous-time simulation (BG/NBD, Pareto/NBD), seeds the generator,
 * draws the ages first (so a seed gives both models the same ages) and allocates the outputs.
 */
function startRft(params: Record<string, number>, opts: SimulationOptions) {
  checkCount(opts.customers);
  checkPositive(params);
  const n = opts.customers;
  const rng = new Rng(opts.seed ?? 1);
  const T = ages(opts.T, n, rng);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const lambda = new Float64Array(n);
  const alive = new Uint8Array(n);
  return { n, rng, T, frequency, recency, lambda, alive };
}

/**
 * Synthetic BG/NBD customers (docs/reference/clv-engine.md §5). Parameters in the time units of `T`.
 * With r 0.243, α 4.414, a 0.793, b 2.426 and CDNOW ages: mean x ≈ 1.06, ≈ 60 % zeros.
 */
export function simulateBgNbd(
  params: { r: number; alpha: number; a: number; b: number },
  opts: SimulationOptions,
): SimulatedRFT {
  const { r, alpha, a, b } = params;
  const { n, rng, T, frequency, recency, lambda, alive } = startRft(params, opts);
  // Phase by sampler (tight monomorphic loops inline better than one big loop body).
  for (let i = 0; i < n; i++) lambda[i] = rng.gamma(r) / alpha;
  const drop = recency; // scratch: dropout probabilities, overwritten by t_x below
  for (let i = 0; i < n; i++) drop[i] = rng.beta(a, b);
  for (let i = 0; i < n; i++) {
    const lam = lambda[i];
    const p = drop[i];
    const N = rng.poisson(lam * T[i]);
    const K = p > 0 ? rng.geometric(p) : Number.MAX_SAFE_INTEGER;
    const x = Math.min(N, K);
    frequency[i] = x;
    // x-th order statistic of N uniform times; when x = N it is the maximum, U^{1/N}.
    recency[i] = x === 0 ? 0 : T[i] * (x === N ? Math.exp(Math.log(rng.uniformPos()) / N) : rng.beta(x, N - x + 1));
    alive[i] = K > N ? 1 : 0;
  }
  return { frequency, recency, T, lambda, alive };
}

/** Synthetic Pareto/NBD customers. Parameters in the time units of `T`. */
export function simulateParetoNbd(
  params: { r: number; alpha: number; s: number; beta: number },
  opts: SimulationOptions,
): SimulatedRFT {
  const { r, alpha, s, beta } = params;
  const { n, rng, T, frequency, recency, lambda, alive } = startRft(params, opts);
  for (let i = 0; i < n; i++) {
    const lam = rng.gamma(r) / alpha;
    const mu = rng.gamma(s) / beta;
    const tau = rng.exponential() / mu;
    const w = Math.min(tau, T[i]);
    const x = rng.poisson(lam * w);
    lambda[i] = lam;
    frequency[i] = x;
    recency[i] = x > 0 ? w * Math.exp(Math.log(rng.uniformPos()) / x) : 0;
    alive[i] = tau > T[i] ? 1 : 0;
  }
  return { frequency, recency, T, lambda, alive };
}

/** Simulated BG/BB data: x transactions in n opportunities, the last at opportunity t_x. */
export interface SimulatedBgBb {
  frequency: Float64Array;
  recency: Float64Array;
  periods: Float64Array;
  alive: Uint8Array;
}

/**
 * Synthetic BG/BB customers over `periods` opportunities: before each opportunity an alive
 * customer drops out with probability θ ~ Beta(γ, δ); alive customers transact with p ~ Beta(α, β).
 */
export function simulateBgBb(
  params: { alpha: number; beta: number; gamma: number; delta: number },
  opts: { customers: number; periods: number; seed?: number },
): SimulatedBgBb {
  checkCount(opts.customers);
  checkPositive(params);
  if (!Number.isInteger(opts.periods) || opts.periods < 1)
    throw new Error(`periods must be an integer >= 1, got ${opts.periods}`);
  const n = opts.customers;
  const rng = new Rng(opts.seed ?? 1);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const periods = new Float64Array(n).fill(opts.periods);
  const alive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = rng.beta(params.alpha, params.beta);
    const theta = rng.beta(params.gamma, params.delta);
    // Opportunities survived: geometric number of survivals before the first dropout, capped at n.
    const life = theta > 0 ? rng.geometric(theta) - 1 : Infinity;
    const J = Math.min(life, opts.periods);
    let x = 0;
    let last = 0;
    for (let t = 1; t <= J; t++)
      if (rng.uniform() < p) {
        x++;
        last = t;
      }
    frequency[i] = x;
    recency[i] = last;
    alive[i] = life >= opts.periods ? 1 : 0;
  }
  return { frequency, recency, periods, alive };
}

/**
 * Gamma-Gamma spend: for each customer with x > 0 repeat purchases, ν ~ Gamma(q, rate v) and each
 * purchase value ~ Gamma(p, rate ν); returns the mean of the x values (0 where x = 0), i.e. the
 * model's `monetary` input. The sum of x values is drawn directly as Gamma(p·x, rate ν).
 */
export function simulateGammaGamma(
  params: { p: number; q: number; v: number },
  frequency: ArrayLike<number>,
  seed = 1,
): Float64Array {
  checkPositive(params);
  const rng = new Rng(seed);
  const out = new Float64Array(frequency.length);
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    if (!(x >= 0) || !Number.isInteger(x)) throw new Error(`frequency[${i}] must be a non-negative integer, got ${x}`);
    if (x === 0) continue;
    const nu = rng.gamma(params.q) / params.v;
    out[i] = rng.gamma(params.p * x) / nu / x;
  }
  return out;
}

/** Options of the transaction-level generator. */
export interface TransactionSimulationOptions {
  /** Number of customers. */
  customers: number;
  seed?: number;
  /** Purchase process and its parameters (time in weeks unless `daysPerUnit` says otherwise). */
  process:
    | { model: "bgnbd"; r: number; alpha: number; a: number; b: number }
    | { model: "pnbd"; r: number; alpha: number; s: number; beta: number };
  /** Gamma-Gamma spend parameters for every purchase (first purchase included). */
  spend: { p: number; q: number; v: number };
  /** Day number of the first possible first purchase. */
  startDay: number;
  /** First purchases are spread uniformly over this many days from `startDay` (default 84). */
  acquisitionDays?: number;
  /** Last day (inclusive) with transactions. */
  endDay: number;
  /** Days per model time unit (default 7: parameters in weeks). */
  daysPerUnit?: number;
}

/** A simulated transaction log, ordered by customer then day. Positional arrays. */
export interface SimulatedTransactions {
  /** Customer index 0..customers−1. */
  customer: Int32Array;
  /** Day number of each transaction (several may fall on the same day). */
  day: Int32Array;
  /** Amount of each transaction (> 0, rounded to cents). */
  amount: Float64Array;
  /** Number of rows. */
  rows: number;
}

/**
 * Transaction log from a BTYD purchase process with Gamma-Gamma amounts (see the module comment).
 * Purchase times are continuous and floored to days, so same-day purchases occur as in real logs.
 */
export function simulateTransactions(o: TransactionSimulationOptions): SimulatedTransactions {
  checkCount(o.customers);
  const { process: pr, spend } = o;
  const { model, ...procParams } = pr;
  checkPositive(procParams);
  checkPositive(spend);
  const acq = o.acquisitionDays ?? 84;
  const dpu = o.daysPerUnit ?? 7;
  if (!Number.isInteger(o.startDay) || !Number.isInteger(o.endDay) || o.endDay < o.startDay)
    throw new Error("startDay and endDay must be integer day numbers with endDay >= startDay");
  if (!(acq >= 1) || !(dpu > 0)) throw new Error("acquisitionDays must be >= 1 and daysPerUnit > 0");
  const rng = new Rng(o.seed ?? 1);
  let cap = Math.max(16, o.customers * 4);
  let customer = new Int32Array(cap);
  let day = new Int32Array(cap);
  let amount = new Float64Array(cap);
  let n = 0;
  const push = (c: number, d: number, amt: number) => {
    if (n === cap) {
      cap *= 2;
      const c2 = new Int32Array(cap);
      c2.set(customer);
      const d2 = new Int32Array(cap);
      d2.set(day);
      const a2 = new Float64Array(cap);
      a2.set(amount);
      customer = c2;
      day = d2;
      amount = a2;
    }
    customer[n] = c;
    day[n] = d;
    amount[n] = Math.max(0.01, Math.round(amt * 100) / 100);
    n++;
  };
  for (let c = 0; c < o.customers; c++) {
    const birth = o.startDay + Math.min(rng.int(acq), o.endDay - o.startDay);
    const horizon = (o.endDay + 1 - birth) / dpu; // model time until the end of the last day
    const lam = rng.gamma(procParams.r) / procParams.alpha;
    const nu = rng.gamma(spend.q) / spend.v;
    push(c, birth, rng.gamma(spend.p) / nu);
    // Lifetime in model units (BG/NBD: dropout decided after each repeat purchase).
    let life = Infinity;
    let pDrop = 0;
    if (pr.model === "pnbd") life = rng.exponential() / (rng.gamma(pr.s) / pr.beta);
    else pDrop = rng.beta(pr.a, pr.b);
    let t = 0;
    for (;;) {
      t += rng.exponential() / lam;
      if (t >= horizon || t >= life) break;
      push(c, birth + Math.floor(t * dpu), rng.gamma(spend.p) / nu);
      if (pDrop > 0 && rng.uniform() < pDrop) break;
    }
  }
  return { customer: customer.slice(0, n), day: day.slice(0, n), amount: amount.slice(0, n), rows: n };
}

/**
 * A flat-likelihood Pareto/NBD store (test fixture and bench input): `customers` buyers in day
 * units (ages 1–364 days, integer recency) with heavy, heterogeneous Poisson buying (up to hundreds
 * of purchases) and nobody dropping out (μ ≈ 0), the case where s → 0 and β → ∞ are equally good.
 */
export function simulateNoDropoutStore(
  customers: number,
  seed = 9,
): { frequency: Float64Array; recency: Float64Array; T: Float64Array } {
  const ages = Float64Array.from({ length: 364 }, (_, i) => i + 1);
  const sim = simulateParetoNbd({ r: 0.3, alpha: 10, s: 1e-6, beta: 1 }, { customers, seed, T: ages });
  return { frequency: sim.frequency, recency: sim.recency.map(Math.floor), T: sim.T };
}
