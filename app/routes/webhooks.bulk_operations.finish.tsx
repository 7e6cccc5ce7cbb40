// POST /webhooks/bulk_operations/finish: verified, recorded in the idempotency ledger, processed by a durable job.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("bulk_operations/finish");
export const loader = webhookLoader;
