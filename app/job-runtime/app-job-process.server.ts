/**
 * The app's job process: every job handler registered, the app's database, the Admin client
 * factory and the billing gate injected. Started by the web process (boot.server.ts, inline) or by
 * `npm run worker` (standalone-worker-main.ts).
 */
import prisma, { dbHandle } from "~/db.server";
import { unauthenticated } from "~/shopify.server";
import { shopifyAdminFactory } from "~/shopify/admin-for-shop.server";
import { appPaidWorkGate } from "~/billing/app-billing.server";
import "./all-job-handlers.server"; // registers every job handler
import { startJobProcess, type JobProcess } from "~/jobs/job-process.server";

/** Starts the worker (and, unless `scheduler` is false, the maintenance scheduler). */
export function startAppJobProcess(opts: { scheduler?: boolean } = {}): JobProcess {
  return startJobProcess({
    db: prisma,
    provider: dbHandle.provider,
    closeDb: () => dbHandle.close(),
    adminFor: shopifyAdminFactory(unauthenticated),
    paidWork: appPaidWorkGate(),
    scheduler: opts.scheduler,
  });
}
