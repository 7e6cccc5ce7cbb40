/**
 * Churn risk as merchants read it (pure): Low / Medium / High with the probability of no order in
 * the next 90 days. Rule (docs/pages.md "Churn risk"):
 * - the model's own `churnProbability` (P(no order in the next 90 days)) when the run wrote one;
 * - otherwise derived from P(alive) and the expected orders over the horizon, assuming orders
 *   arrive at a steady rate while the customer is active (the BTYD models' own assumption):
 *   rate = expected orders ÷ (P(alive) × horizon days), and
 *   P(no order in 90 days) = 1 − P(alive) × (1 − e^(−rate × 90)).
 *   A one-time buyer with a high P(alive) but almost no expected orders therefore gets a high risk.
 * Levels: High at ≥ 80 %, Medium at ≥ 50 %, Low below.
 */

/** Days of the churn window. */
export const CHURN_WINDOW_DAYS = 90;
/** P(no order in the window) from which the risk is High / Medium. */
export const CHURN_HIGH = 0.8;
export const CHURN_MEDIUM = 0.5;

export type ChurnLevel = "low" | "medium" | "high";

export interface ChurnRisk {
  level: ChurnLevel;
  /** P(no order in the next 90 days), 0–1. */
  probability: number;
  /** "model": the run's churn probability; "derived": from P(alive) and expected orders (rule above). */
  source: "model" | "derived";
}

export function churnLevel(probability: number): ChurnLevel {
  return probability >= CHURN_HIGH ? "high" : probability >= CHURN_MEDIUM ? "medium" : "low";
}

/** The churn risk of one prediction (see the file comment for the rule). */
export function churnRisk(p: {
  churnProbability: number | null | undefined;
  pAlive: number;
  expectedOrders: number;
  horizonDays: number | null | undefined;
}): ChurnRisk {
  if (typeof p.churnProbability === "number" && Number.isFinite(p.churnProbability)) {
    const probability = clamp01(p.churnProbability);
    return { level: churnLevel(probability), probability, source: "model" };
  }
  const alive = clamp01(p.pAlive);
  const horizon = p.horizonDays && p.horizonDays > 0 ? p.horizonDays : 365;
  const rate = alive > 0 ? Math.max(0, p.expectedOrders) / (alive * horizon) : 0;
  const probability = clamp01(1 - alive * (1 - Math.exp(-rate * CHURN_WINDOW_DAYS)));
  return { level: churnLevel(probability), probability, source: "derived" };
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 1;
}
