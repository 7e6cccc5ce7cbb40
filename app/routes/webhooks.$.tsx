// /webhooks/<anything not subscribed>: a clean 404 for every method (no route error, no stack trace in the log).
import { unknownWebhookPath } from "~/webhooks/endpoints.server";

export const action = unknownWebhookPath;
export const loader = unknownWebhookPath;
