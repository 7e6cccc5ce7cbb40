// POST /webhooks/refunds/create: verified, recorded in the idempotency ledger, processed by a durable job.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("refunds/create");
export const loader = webhookLoader;
