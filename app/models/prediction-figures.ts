/**
 * The per-customer figures a prediction carries — CLV with its interval, P(alive), expected orders
 * and the churn model's probability — as one type and the matching Prisma `select` fragment (pure,
 * no database access). The customers page (app/pages/customer-list.server.ts), the write-back plan
 * (app/lifecycle/writeback-plan.ts) and the write-back's read (app/models/lifecycle.server.ts) all
 * read this list, so a new figure is added in one place.
 */

/** The figures of one customer's prediction. */
export interface PredictionFigures {
  clv: number;
  clvLow: number;
  clvHigh: number;
  pAlive: number;
  expectedOrders: number;
  /** The model's P(no order in the next 90 days); null when the run did not compute it. */
  churnProbability: number | null;
}

/** `select` fragment for the columns of PredictionFigures (spread into a Prisma select). */
export const PREDICTION_FIGURES_SELECT = {
  clv: true,
  clvLow: true,
  clvHigh: true,
  pAlive: true,
  expectedOrders: true,
  churnProbability: true,
} as const satisfies Record<keyof PredictionFigures, true>;
