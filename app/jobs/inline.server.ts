/**
 * The in-process worker's doorbell: the web process starts its worker at boot
 * (app/job-runtime/boot.server.ts) and registers it here; code that just enqueued work (webhooks,
 * install, settings) rings so the worker claims it now instead of at its next poll. Without a
 * registered worker (HORIZON_WORKER=external, tests) ringing does nothing: the worker polls.
 */
import type { Worker } from "./job-loop.server";

let inline: Pick<Worker, "poke"> | null = null;

/** Registers the process's worker (null to unregister). */
export function setInlineWorker(worker: Pick<Worker, "poke"> | null): void {
  inline = worker;
}

/** Wakes the in-process worker (no-op without one). */
export function wakeInlineWorker(): void {
  inline?.poke();
}
