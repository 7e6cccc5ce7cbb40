/**
 * When the app calls a customer "at risk": a buyer (at least one order) whose churn risk — the churn
 * model's P(no order in the next 90 days) when the run has one, else 1 − P(alive) — is at or above
 * AT_RISK_THRESHOLD. Drives the at-risk tag and segment, the "Customer became at risk" Flow trigger
 * and the at-risk audience of retention offers.
 */

/** Churn risk at or above which a customer is at risk. */
export const AT_RISK_THRESHOLD = 0.6;

/** The prediction fields the rule reads. */
export interface RiskInputs {
  pAlive: number;
  churnProbability: number | null;
  orderCount: number;
}

/** Churn risk in [0, 1]. */
export function churnRisk(p: Pick<RiskInputs, "pAlive" | "churnProbability">): number {
  return p.churnProbability ?? 1 - p.pAlive;
}

/** True when the customer is at risk. */
export function isAtRisk(p: RiskInputs): boolean {
  return p.orderCount >= 1 && churnRisk(p) >= AT_RISK_THRESHOLD;
}
