// POST /webhooks/shop/update: verified, recorded in the idempotency ledger; the lifecycle re-reads the shop facts.
import { webhookAction, webhookLoader } from "~/webhooks/endpoints.server";

export const action = webhookAction("shop/update");
export const loader = webhookLoader;
