// POST /webhooks/app/scopes_update: verified, recorded in the idempotency ledger, processed by a durable job.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("app/scopes_update");
export const loader = webhookLoader;
