// Entry the Shopify CLI bundles into the Wasm module (one export per target).
export * from "./cart_lines_discounts_generate_run.js";
