/**
 * The web process's background work (HORIZON_WORKER=inline, the default): imported once by
 * app/entry.server.tsx, so the in-process worker starts when the server build loads — a queue left
 * by a previous process drains at boot, with no new traffic — and SIGTERM/SIGINT stop it within a
 * bound (app/jobs/job-process.server.ts). This is the one place the web process injects the Admin
 * client factory into job handlers. With HORIZON_WORKER=external nothing starts here
 * (`npm run worker` runs the jobs).
 */
import prisma, { dbHandle } from "~/db.server";
import { env } from "~/env.server";
import { unauthenticated } from "~/shopify.server";
import { shopifyAdminFactory } from "~/shopify/admin-for-shop.server";
import { appPaidWorkGate } from "~/billing/app-billing.server";
import "./all-job-handlers.server"; // registers every job handler
import { setInlineWorker } from "~/jobs/inline.server";
import { startJobProcess, type JobProcess } from "~/jobs/job-process.server";

declare global {
  var __horizonJobs: JobProcess | null | undefined;
}

/** Starts the inline worker once per process (Vite HMR re-imports this module; the global keeps one). */
export function startInlineJobs(): JobProcess | null {
  if (globalThis.__horizonJobs !== undefined) return globalThis.__horizonJobs;
  const e = env();
  if (e.HORIZON_WORKER === "external" || e.VITEST) return (globalThis.__horizonJobs = null);
  const jobs = startJobProcess({
    db: prisma,
    provider: dbHandle.provider,
    closeDb: () => dbHandle.close(),
    adminFor: shopifyAdminFactory(unauthenticated),
    paidWork: appPaidWorkGate(),
    scheduler: e.HORIZON_SCHEDULER !== "off",
  });
  setInlineWorker(jobs.worker);
  return (globalThis.__horizonJobs = jobs);
}

startInlineJobs();
