/**
 * Standalone worker process: `DATABASE_URL=... npx tsx app/jobs/worker-main.ts`
 * (set HORIZON_WORKER=external on the web process). Env: WORKER_CONCURRENCY (default 2 on
 * PostgreSQL, 1 on SQLite), WORKER_POLL_MS (200), WORKER_STALE_MS (60000), WORKER_CLAIM_BATCH (jobs
 * claimed per query, 16). Stops gracefully on
 * SIGTERM/SIGINT (running jobs finish); a kill -9 is recovered by stale-lock requeueing.
 */
import { createDb } from "~/db.server";
import { DbJobQueue } from "./db-queue.server";
import "./handlers.server"; // registers every job handler
import { registeredJobTypes } from "./registry.server";
import { startWorker } from "./worker.server";
import { startScheduler } from "./schedule.server";

const url = process.env.DATABASE_URL || "file:./prisma/dev.sqlite";
const h = await createDb(url);
const queue = new DbJobQueue(h.db, h.provider);
const worker = startWorker({
  db: h.db,
  queue,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? (h.provider === "postgresql" ? 2 : 1)),
  pollMs: Number(process.env.WORKER_POLL_MS ?? 200),
  staleMs: Number(process.env.WORKER_STALE_MS ?? 60_000),
  claimBatch: Number(process.env.WORKER_CLAIM_BATCH ?? 16),
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
