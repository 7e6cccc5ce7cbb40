/**
 * Revenue or profit (pure). The models predict CLV as profit: expected revenue per month ×
 * gross margin, each month discounted at the annual discount rate (app/training/score.ts,
 * `discountedMonths`). Merchants think in revenue, so the pages show revenue by default:
 * predicted revenue = predicted profit × horizon months ÷ Σ_{k=1..H} margin ÷ (1 + d)^k
 * (undiscounted, before margin), and the profit view shows the model's figure as is. Historic spend
 * is revenue; in the profit view it is multiplied by the margin (not discounted: it is the past).
 */

export type ValueView = "revenue" | "profit";

export interface ValueSettings {
  horizonMonths: number;
  grossMargin: number;
  annualDiscountRate: number;
}

/** The view named by a URL parameter ("profit"; anything else → revenue). */
export function parseValueView(raw: string | null | undefined): ValueView {
  return raw === "profit" ? "profit" : "revenue";
}

/** Σ_{k=1..H} margin / (1+d)^k with d the monthly rate of the annual discount rate. */
function discountedMarginMonths(s: ValueSettings): number {
  const d = Math.pow(1 + s.annualDiscountRate, 1 / 12) - 1;
  let f = 0;
  for (let k = 1; k <= s.horizonMonths; k++) f += s.grossMargin / Math.pow(1 + d, k);
  return f;
}

/** Multipliers turning the stored figures into the view's: predictions (profit) and history (revenue). */
export function viewFactors(view: ValueView, s: ValueSettings): { predicted: number; historic: number } {
  if (view === "profit") return { predicted: 1, historic: s.grossMargin };
  const f = discountedMarginMonths(s);
  return { predicted: f > 0 ? s.horizonMonths / f : 1, historic: 1 };
}
