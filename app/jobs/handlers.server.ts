/**
 * Registers every job handler the app knows. Import this module once in a process that runs a
 * worker (in-process worker, worker-main, test harness).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { registerJobHandler } from "./registry.server";
import { PROCESS_WEBHOOK_JOB } from "~/webhooks/ingest.server";
import { processWebhookJob, type ProcessWebhookPayload } from "~/webhooks/process.server";
import { RETENTION_JOB, runRetention } from "~/gdpr/retention.server";
// sync-B's backfill / bulk-finish continuation / reconciliation handlers (register at import).
import "~/sync/jobs.server";

registerJobHandler<ProcessWebhookPayload>(PROCESS_WEBHOOK_JOB, processWebhookJob);
registerJobHandler(RETENTION_JOB, ({ db }) => runRetention(db));

/**
 * Handler modules owned by other areas (they call registerJobHandler at import). Loaded when present
 * so the worker picks them up without a code change here.
 */
const OPTIONAL_HANDLER_MODULES = ["../training/jobs.server.ts", "../services/jobs.server.ts"];

/** Imports the optional handler modules that exist; returns the ones loaded. */
export async function loadOptionalHandlers(): Promise<string[]> {
  const loaded: string[] = [];
  for (const rel of OPTIONAL_HANDLER_MODULES) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol === "file:" && existsSync(fileURLToPath(url))) {
      await import(/* @vite-ignore */ url.href);
      loaded.push(rel);
    }
  }
  return loaded;
}
