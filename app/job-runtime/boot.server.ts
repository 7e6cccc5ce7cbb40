/**
 * The web process's background work (HORIZON_WORKER=inline, the default): imported once by
 * app/entry.server.tsx, so the in-process worker starts when the server build loads — a queue left
 * by a previous process drains at boot, with no new traffic — and SIGTERM/SIGINT stop it within a
 * bound (app/jobs/job-process.server.ts). The Admin client factory is injected into job handlers
 * in app-job-process.server.ts, shared with `npm run worker`. With HORIZON_WORKER=external nothing starts here
 * (`npm run worker` runs the jobs).
 */
import { env } from "~/env.server";
import { setInlineWorker } from "~/jobs/inline.server";
import type { JobProcess } from "~/jobs/job-process.server";
import { startAppJobProcess } from "./app-job-process.server";

declare global {
  var __horizonJobs: JobProcess | null | undefined;
}

/** Starts the inline worker once per process (Vite HMR re-imports this module; the global keeps one). */
export function startInlineJobs(): JobProcess | null {
  if (globalThis.__horizonJobs !== undefined) return globalThis.__horizonJobs;
  const e = env();
  if (e.HORIZON_WORKER === "external" || e.VITEST) return (globalThis.__horizonJobs = null);
  const jobs = startAppJobProcess({ scheduler: e.HORIZON_SCHEDULER !== "off" });
  setInlineWorker(jobs.worker);
  return (globalThis.__horizonJobs = jobs);
}

startInlineJobs();
