// POST /webhooks/customers/data_request: verified, recorded in the idempotency ledger, processed by a durable job.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("customers/data_request");
export const loader = webhookLoader;
