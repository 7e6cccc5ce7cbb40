// POST /webhooks/app/uninstalled: verified, recorded in the idempotency ledger, processed by a durable job.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("app/uninstalled");
export const loader = webhookLoader;
