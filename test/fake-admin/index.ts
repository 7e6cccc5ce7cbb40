/**
 * Public surface of the fake Shopify Admin API (test fixture and demo engine; never imported by app
 * code). See server.ts for the HTTP API, store.ts / generate.ts for the data, webhook-sender.ts for
 * Shopify-like webhook delivery.
 */
export {
  startFakeAdmin,
  FAKE_API_VERSION,
  MAX_QUERY_COST,
  type FakeAdmin,
  type FakeAdminOptions,
  type ValidationFailure,
} from "./server";
export {
  FakeStore,
  orderAmounts,
  type FakeCustomer,
  type FakeOrder,
  type FakeRefund,
  type FakeLineItem,
  type FakeShopInfo,
} from "./store";
export {
  generateStore,
  parseTransactionLog,
  storeFromTransactions,
  type GenerateOptions,
  type TransactionRow,
} from "./generate";
export {
  createWebhookSender,
  signWebhookBody,
  type WebhookEvent,
  type WebhookSender,
  type ChaosPlan,
  type DeliveryResult,
  type StreamReport,
} from "./webhook-sender";
export { loadSchema, validateDocument } from "./schema";
export { customerToRest, orderToRest, refundToRest } from "./rest-payloads";
export {
  ActionsState,
  appFlowTriggers,
  appFunctionHandles,
  FLOW_PAYLOAD_MAX_BYTES,
  type ActionLogEntry,
  type FakeDiscount,
  type FlowTriggerSpec,
} from "./actions";
export type { FakeSegment } from "./records";
