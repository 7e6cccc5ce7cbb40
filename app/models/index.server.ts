/** Public surface of the repositories (all functions take `(db, shop, …)` and scope by shop). */
export * from "./common.server";
export * from "./customers.server";
export * from "./orders.server";
export * from "./shops.server";
export * from "./runs.server";
export * from "./privacy.server";
export * from "./sessions.server";
export * from "./webhook-deliveries.server";
export * from "./retention.server";
export * from "./actions.server";
export * from "./offers.server";
export * from "./lifecycle.server";
export * from "./writeback.server";
export * from "./predictions.server";
