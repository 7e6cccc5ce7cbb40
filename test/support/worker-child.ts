/**
 * Child process for the worker process tests: opens DATABASE_URL, registers every app handler plus
 * two test job types (`test.noop`, `test.sleep` — sleeps CHILD_SLEEP_MS and ignores the stop
 * signal, like a long Shopify call), and starts the same job process as `npm run worker` / the web
 * process (app/jobs/job-process.server.ts), signal handling included. Prints "started" once running.
 */
import { createDb } from "~/db.server";
import "~/jobs/all-job-handlers.server";
import { startJobProcess } from "~/jobs/job-process.server";
import { registerJobHandler } from "~/jobs/registry.server";

const h = await createDb(process.env.DATABASE_URL!);
registerJobHandler("test.noop", async () => ({ pid: process.pid }));
registerJobHandler("test.sleep", async (ctx) => {
  await ctx.progress({ started: true });
  await new Promise((r) => setTimeout(r, Number(process.env.CHILD_SLEEP_MS ?? 60_000)));
  return { slept: true, pid: process.pid };
});
startJobProcess({
  db: h.db,
  provider: h.provider,
  closeDb: async () => {
    await h.close();
    process.stdout.write("db closed\n");
  },
  adminFor: () => Promise.reject(new Error("no Admin API in this test")),
  scheduler: false,
  worker: { types: ["test.noop", "test.sleep"] },
  log: {
    info: () => undefined,
    warn: (m: string) => process.stderr.write(`${m}\n`),
    error: (m: string) => process.stderr.write(`${m}\n`),
  },
});
process.stdout.write("started\n");
