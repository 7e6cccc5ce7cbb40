/**
 * Standalone worker process: `DATABASE_URL=... npx tsx app/jobs/worker-main.ts`
 * (set HORIZON_WORKER=external on the web process). Env: the WORKER_* settings of app/env.server.ts
 * (shared with the inline worker). Stops gracefully on
 * SIGTERM/SIGINT (running jobs finish); a kill -9 is recovered by stale-lock requeueing.
 */
import { createDb } from "~/db.server";
import { env, workerSettings } from "~/env.server";
import { DbJobQueue } from "./db-queue.server";
import "./handlers.server"; // registers every job handler
import { registeredJobTypes } from "./registry.server";
import { startWorker } from "./worker.server";
import { startScheduler } from "./schedule.server";

const e = env(); // validates the whole environment at start: a bad value stops the worker here
const h = await createDb(e.DATABASE_URL);
const queue = new DbJobQueue(h.db, h.provider);
const worker = startWorker({
  db: h.db,
  queue,
  ...workerSettings(e, h.provider),
});
const scheduler = startScheduler(queue);
console.info(`worker ${worker.workerId} on ${h.provider}: handling ${registeredJobTypes().join(", ")}`);

async function shutdown(sig: string) {
  console.info(`worker ${worker.workerId}: ${sig}, finishing running jobs`);
  scheduler.stop();
  await worker.stop();
  await h.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
