/**
 * Standalone worker process: `npm run worker` (set HORIZON_WORKER=external on the web process).
 * Env: DATABASE_URL, the Shopify credentials (validated at start, like the web process), and
 * WORKER_CONCURRENCY (default 2 on PostgreSQL, 1 on SQLite), WORKER_POLL_MS (200), WORKER_STALE_MS
 * (60000), WORKER_RECOVER_MS (10000), WORKER_CLAIM_BATCH (16), WORKER_SHUTDOWN_MS (10000).
 * Drains the queue from start; SIGTERM/SIGINT stop claiming, wait up to WORKER_SHUTDOWN_MS for
 * running jobs, release the rest to the queue, close the database and exit. A kill -9 is recovered
 * by stale-lock requeueing.
 */
import { dbHandle } from "~/db.server";
import { registeredJobTypes } from "~/jobs/registry.server";
import { startAppJobProcess } from "./app-job-process.server";

const jobs = startAppJobProcess();
console.info(`worker ${jobs.worker.workerId} on ${dbHandle.provider}: handling ${registeredJobTypes().join(", ")}`);
