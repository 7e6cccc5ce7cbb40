// POST /webhooks/customers/redact: verified, recorded in the idempotency ledger, processed by a durable job.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("customers/redact");
export const loader = webhookLoader;
