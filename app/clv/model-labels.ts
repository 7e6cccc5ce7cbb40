/**
 * Plain-language names of the trainer's candidate models, shared by the trainer's reasons and the
 * model card (pure constants).
 */
export const MODEL_LABELS: Record<string, string> = {
  dnn: "deep learning (feed-forward network)",
  lstm: "deep learning (sequence network)",
  btyd: "statistical model (BG/NBD × Gamma-Gamma)",
  baseline: "past spend",
  ensemble: "blend of models",
  linear: "linear regression on log spend",
  gbt: "gradient-boosted trees",
  fallback: "past spend (too little history to test models)",
};

/** One sentence per candidate saying what it does, for the model card. */
export const MODEL_EXPLANATIONS: Record<string, string> = {
  dnn: "A neural network learns from your customers' order history what they spent in the following period.",
  lstm: "A neural network that reads each customer's month-by-month history as a sequence.",
  btyd: "A statistical model of how often customers buy and when they stop, times the value of their orders.",
  baseline:
    "Each customer's spend so far, scaled to the prediction period: the simple reference every model must beat.",
  ensemble: "A weighted mix of the models above, weights chosen on past data.",
  linear:
    "A straight-line formula of each customer's history (spend, orders, recency) for the logarithm of their next spend.",
  gbt: "Many small decision trees, each correcting the previous ones, learn next spend from each customer's history.",
  fallback: "Each customer's spend so far, scaled to the prediction period (not enough history to test models).",
};

/** The plain-language name of a candidate (its code name when unknown). */
export const modelLabel = (name: string | null | undefined): string => (name ? (MODEL_LABELS[name] ?? name) : "—");
