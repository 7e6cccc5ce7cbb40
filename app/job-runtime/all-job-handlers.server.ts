/**
 * Registers every job handler of the app (import this module once before starting a worker).
 * All handler modules are imported statically, so a bundled production build (Vite) includes them;
 * none of them imports this module back (no circular import).
 */
import { registerJobHandler } from "~/jobs/registry.server";
import { PROCESS_WEBHOOK_JOB } from "~/webhooks/ingest.server";
import { processWebhookJob, type ProcessWebhookPayload } from "~/webhooks/process.server";
import { RETENTION_JOB, runRetention } from "~/gdpr/retention.server";
// Other areas' handlers (each registers at import): the backfill / bulk-finish continuation /
// reconciliation, and the shop lifecycle (facts, training, scoring, write-back, rescoring, nightly).
import "~/lifecycle/sync-job-handlers.server";
import "~/lifecycle/lifecycle-job-handlers.server";
import "~/actions/campaign-job-handler.server";

registerJobHandler<ProcessWebhookPayload>(PROCESS_WEBHOOK_JOB, processWebhookJob);
registerJobHandler(RETENTION_JOB, ({ db }) => runRetention(db));
