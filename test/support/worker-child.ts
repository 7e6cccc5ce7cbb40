/**
 * Child process for the worker process tests: opens DATABASE_URL, registers every app handler plus
 * two test job types (`test.noop`, `test.sleep` — sleeps CHILD_SLEEP_MS and ignores the stop
 * signal, like a long Shopify call), and starts the same job process as `npm run worker` / the web
 * process (app/jobs/job-process.server.ts), signal handling included. Prints "started" once running.
 *
 * Two modes: by default it runs only the two test job types and has no Admin API. With
 * CHILD_ADMIN_URL and CHILD_ADMIN_TOKEN (the fake Admin API's GraphQL endpoint and token) it runs
 * every registered job type against that Admin API, with CHILD_TUNING (JSON, `JobTuning`) — the app's
 * worker as the lifecycle kill -9 test runs it.
 */
import { createDb } from "~/db.server";
import "~/job-runtime/all-job-handlers.server";
import { startJobProcess } from "~/jobs/job-process.server";
import { registerJobHandler } from "~/jobs/registry.server";
import type { AdminFactory, JobTuning } from "~/jobs/types";
import { createAdminGraphql } from "~/shopify/admin-client.server";
import { fetchTransport } from "~/shopify/transports.server";

const h = await createDb(process.env.DATABASE_URL!);
registerJobHandler("test.noop", async () => ({ pid: process.pid }));
registerJobHandler("test.sleep", async (ctx) => {
  await ctx.progress({ started: true });
  await new Promise((r) => setTimeout(r, Number(process.env.CHILD_SLEEP_MS ?? 60_000)));
  return { slept: true, pid: process.pid };
});
const adminUrl = process.env.CHILD_ADMIN_URL;
const adminToken = process.env.CHILD_ADMIN_TOKEN;
const adminFor: AdminFactory = adminUrl
  ? async (shop) =>
      createAdminGraphql({
        transport: fetchTransport({ shop, accessToken: adminToken!, endpoint: adminUrl }),
        baseBackoffMs: 20,
      })
  : () => Promise.reject(new Error("no Admin API in this test"));
startJobProcess({
  db: h.db,
  provider: h.provider,
  closeDb: async () => {
    await h.close();
    process.stdout.write("db closed\n");
  },
  adminFor,
  tuning: process.env.CHILD_TUNING ? (JSON.parse(process.env.CHILD_TUNING) as JobTuning) : undefined,
  scheduler: false,
  worker: adminUrl ? {} : { types: ["test.noop", "test.sleep"] },
  log: {
    info: () => undefined,
    warn: (m: string) => process.stderr.write(`${m}\n`),
    error: (m: string) => process.stderr.write(`${m}\n`),
  },
});
process.stdout.write("started\n");
