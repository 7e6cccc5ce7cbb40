/**
 * Synthetic shop order logs for tests and benchmarks: the engine's BG/NBD × Gamma-Gamma
 * transaction simulator, with first purchases spread over the first half of the period (a shop
 * that keeps acquiring customers), plus seeded discounts, refunds, channels and countries so
 * every feature is exercised. Deterministic for a seed.
 */
import { simulateTransactions } from "~/clv/simulate";
import { Rng } from "~/clv/rng";
import type { OrderRecord } from "./orders";

const DAY = 86_400_000;

/** Options of the synthetic shop. */
export interface SyntheticShopOptions {
  customers: number;
  seed?: number;
  /** Total days of history (default 900). */
  days?: number;
  /** First day, as an ISO date (default 2023-01-01). */
  start?: string;
}

/** Orders of a synthetic shop (≈ 2.5 orders per customer with the default parameters). */
export function syntheticShopOrders(o: SyntheticShopOptions): OrderRecord[] {
  const days = o.days ?? 900;
  const startDay = Math.floor(Date.parse(`${o.start ?? "2023-01-01"}T00:00:00Z`) / DAY);
  const sim = simulateTransactions({
    customers: o.customers,
    seed: o.seed ?? 1,
    process: { model: "bgnbd", r: 0.5, alpha: 6, a: 0.8, b: 2.5 },
    spend: { p: 6, q: 4, v: 15 },
    startDay,
    acquisitionDays: Math.floor(days / 2),
    endDay: startDay + days - 1,
  });
  const rng = new Rng((o.seed ?? 1) + 1000);
  const channels = ["web", "pos", "iphone", "android"];
  const countries = ["US", "GB", "DE", "FR", "CA", "AU"];
  const custChannel = Array.from({ length: o.customers }, () => channels[rng.int(channels.length)]);
  const custCountry = Array.from({ length: o.customers }, () => countries[rng.int(countries.length)]);
  const out: OrderRecord[] = new Array(sim.rows);
  for (let i = 0; i < sim.rows; i++) {
    const c = sim.customer[i];
    const at = sim.day[i] * DAY + Math.floor(rng.uniform() * DAY);
    const amount = sim.amount[i];
    const discounted = rng.uniform() < 0.2;
    const refunded = rng.uniform() < 0.05;
    out[i] = {
      customerId: `c${c}`,
      processedAt: at,
      amount,
      discount: discounted ? Math.round(amount * 0.15 * 100) / 100 : 0,
      discountCodes: discounted ? ["SAVE15"] : [],
      refunds: refunded ? [{ at: at + 7 * DAY, amount: Math.round(amount * 50) / 100 }] : undefined,
      cancelled: rng.uniform() < 0.01 ? at + DAY : null,
      productIds: Array.from({ length: 1 + rng.int(3) }, () => `p${rng.int(200)}`),
      sourceName: custChannel[c],
      countryCode: custCountry[c],
    };
  }
  return out;
}
