/**
 * Public surface of the Horizon CLV engine (pure TypeScript: no I/O, no Shopify, no DB).
 *
 * - Transactions → summaries: `SummaryBuilder`, `summarize`, `toRFT` (summary.ts)
 * - CSV reading/writing and value parsing (csv.ts; the caller supplies the bytes)
 * - Models: BG/NBD, Modified BG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma (models/*), their shared types
 *   and JSON (de)serialisation (models/common.ts, models/types.ts)
 * - CLV over a horizon (clv.ts) and bootstrap intervals (uncertainty.ts)
 * - Metrics (`evaluate`, Gini, Spearman, deciles, …) and the past-spend baseline
 * - Seeded RNG and simulator for synthetic data (rng.ts, simulate.ts)
 */
export * from "./summary";
export * from "./csv";
export * from "./metrics";
export * from "./baseline";
export * from "./estimators/types";
export * from "./estimators/common";
export * from "./estimators/bgnbd";
export * from "./estimators/mbgnbd";
export * from "./estimators/paretonbd";
export * from "./estimators/bgbb";
export * from "./estimators/gammagamma";
export * from "./clv";
export * from "./uncertainty";
export * from "./rng";
export * from "./simulate";
