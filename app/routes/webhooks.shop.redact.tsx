// POST /webhooks/shop/redact: verified, recorded in the idempotency ledger, processed by a durable job.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("shop/redact");
export const loader = webhookLoader;
