// POST /webhooks/orders/cancelled: verified, recorded in the idempotency ledger, processed by a durable job.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("orders/cancelled");
export const loader = webhookLoader;
