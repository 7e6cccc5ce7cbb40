// POST /webhooks/customers/update: verified, recorded in the idempotency ledger, processed by a durable job.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("customers/update");
export const loader = webhookLoader;
