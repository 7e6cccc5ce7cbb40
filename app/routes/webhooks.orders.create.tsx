// POST /webhooks/orders/create: verified, recorded in the idempotency ledger, processed by a durable job.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("orders/create");
export const loader = webhookLoader;
