/**
 * The backfill killed mid-way and restarted: (a) an exception at a checkpoint in each phase,
 * (b) `kill -9` of a child process while it imports orders. The resumed run continues from the
 * stored line checkpoint (not from zero) and the final DB equals the store exactly: no duplicates,
 * no missing rows, every field as the REST normaliser would produce it.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { getSyncRun } from "~/models/runs.server";
import type { AdminDocument, ResultOf, VariablesOf } from "~/shopify/admin-client.server";
import { advanceBackfill, BulkLineError, requestBackfill, type BackfillDeps } from "~/sync/backfill.server";
import { fetchLines } from "~/shopify/jsonl.server";
import { createSyncEnv, expectDbMatchesStore, expectRowsEqualRest, type SyncEnv } from "./backfill-helpers";

let env: SyncEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

class Crash extends Error {}

/** Calls advanceBackfill until it is no longer waiting for Shopify. */
async function drive(deps: BackfillDeps, shop: string, runId: number) {
  for (;;) {
    const r = await advanceBackfill(deps, shop, runId);
    if (r.state !== "waiting") return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe("backfill resume", () => {
  it("crashes at a checkpoint in each phase, resumes from the checkpoint, and ends equal to the store (10,200 orders)", async () => {
    env = await createSyncEnv("sqlite", { seed: 21, customers: 2500, orders: 10_200 });
    const { runId } = await requestBackfill(env.db.db, env.queue, env.shop);
    const base: BackfillDeps = { db: env.db.db, admin: env.admin, batchSize: 400 };

    // 1st attempt: crash after the 3rd customer checkpoint.
    let seen = 0;
    await expect(
      drive(
        {
          ...base,
          onCheckpoint: (i) => {
            if (i.phase === "customers" && ++seen === 3) throw new Crash("power cut");
          },
        },
        env.shop,
        runId,
      ),
    ).rejects.toBeInstanceOf(Crash);
    const afterFirst = JSON.parse((await getSyncRun(env.db.db, env.shop, runId))!.checkpoint) as Record<
      string,
      { line: number }
    >;
    expect(afterFirst.customers!.line).toBe(1200);

    // 2nd attempt: resumes customers at line 1200, crashes in the middle of the orders file.
    const firstLines: Record<string, number> = {};
    let orderCps = 0;
    await expect(
      drive(
        {
          ...base,
          onCheckpoint: (i) => {
            firstLines[i.phase] ??= i.line;
            if (i.phase === "orders" && ++orderCps === 12) throw new Crash("kill");
          },
        },
        env.shop,
        runId,
      ),
    ).rejects.toBeInstanceOf(Crash);
    expect(firstLines.customers).toBe(1600); // continued after 1200, not from 0
    const mid = await getSyncRun(env.db.db, env.shop, runId);
    const midCp = JSON.parse(mid!.checkpoint) as Record<string, { line: number; rows: number }>;
    expect(midCp.orders!.rows).toBe(12 * 400);
    expect(mid!.status).toBe("running");
    expect(mid!.rowsDone).toBe(2500 + 4800);

    // 3rd attempt: finishes from the orders checkpoint.
    let firstOrderLine = 0;
    const r = await drive(
      {
        ...base,
        onCheckpoint: (i) => {
          if (i.phase === "orders" && !firstOrderLine) firstOrderLine = i.line;
        },
      },
      env.shop,
      runId,
    );
    expect(r.state).toBe("completed");
    expect(firstOrderLine).toBeGreaterThan(midCp.orders!.line);
    await expectDbMatchesStore(env);
    await expectRowsEqualRest(env);
  });

  it("survives kill -9 of the importing process and resumes to the exact store state", async () => {
    env = await createSyncEnv("sqlite", { seed: 22, customers: 2000, orders: 10_200 });
    const { runId } = await requestBackfill(env.db.db, env.queue, env.shop);
    const here = path.dirname(fileURLToPath(import.meta.url));
    const root = path.resolve(here, "../..");
    const child = spawn(
      process.execPath,
      [
        path.join(root, "node_modules/tsx/dist/cli.mjs"),
        path.join(here, "backfill-child.ts"),
        env.db.url,
        env.shop,
        String(runId),
        env.fake.graphqlUrl,
        env.fake.accessToken,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const killedAt = await new Promise<number>((resolve, reject) => {
      let buf = "";
      child.stdout.on("data", (c: Buffer) => {
        buf += c.toString();
        const m = [...buf.matchAll(/checkpoint orders (\d+)/g)];
        if (m.length >= 8) {
          // kill -9 somewhere inside the next batch, not exactly at a checkpoint
          setTimeout(() => {
            child.kill("SIGKILL");
            resolve(Number(m[m.length - 1]![1]));
          }, 37);
          child.stdout.removeAllListeners("data");
        }
      });
      child.on("exit", (code, sig) => {
        if (sig !== "SIGKILL") reject(new Error(`child exited early (${code ?? sig}): ${stderr.slice(-2000)}`));
      });
    });
    await new Promise((r) => child.once("close", r));
    expect(child.signalCode).toBe("SIGKILL");
    const cp = JSON.parse((await getSyncRun(env.db.db, env.shop, runId))!.checkpoint) as Record<
      string,
      { line: number }
    >;
    expect(cp.orders!.line).toBeGreaterThanOrEqual(killedAt);

    const r = await drive({ db: env.db.db, admin: env.admin, batchSize: 250 }, env.shop, runId);
    expect(r.state).toBe("completed");
    await expectDbMatchesStore(env);
    await expectRowsEqualRest(env, 500);
  });

  it("fails a run on a corrupt JSONL line with the line number, keeps what was applied, and a new run completes", async () => {
    env = await createSyncEnv("sqlite", { seed: 23, customers: 300, orders: 1500 });
    const first = await requestBackfill(env.db.db, env.queue, env.shop);
    let corruptedAt = 0;
    async function* corrupt(url: string) {
      let i = 0;
      for await (const line of fetchLines(url)) {
        i++;
        // the first order line (not a line-item child) at or after line 2001 gets a broken date, on every read
        if (
          i === corruptedAt ||
          (!corruptedAt && i >= 2001 && line.includes('"gid://shopify/Order/') && !line.includes("__parentId"))
        ) {
          corruptedAt = i;
          yield line.replace(/"updatedAt":"[^"]+"/, '"updatedAt":"not-a-date"');
        } else yield line;
      }
    }
    const err = await drive(
      { db: env.db.db, admin: env.admin, batchSize: 200, readLines: corrupt },
      env.shop,
      first.runId,
    ).catch((e: unknown) => e);
    const run = await getSyncRun(env.db.db, env.shop, first.runId);
    expect(err).toBeInstanceOf(BulkLineError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^orders bulk result line ${corruptedAt}: gid://shopify/Order/\\d+: updatedAt is not a valid date: "not-a-date"$`,
      ),
    );
    expect(run!.status).toBe("failed");
    expect(run!.error).toBe((err as Error).message);
    // nothing before the bad line was lost
    expect(await env.db.db.customer.count()).toBe(300);
    const kept = await env.db.db.order.count();
    expect(kept).toBeGreaterThan(0);
    expect(JSON.parse(run!.checkpoint).orders.line).toBe(corruptedAt - 1);
    // a fresh run (the data is fine again) completes and converges to the store
    const second = await requestBackfill(env.db.db, env.queue, env.shop);
    expect(second.created).toBe(true);
    expect((await drive({ db: env.db.db, admin: env.admin }, env.shop, second.runId)).state).toBe("completed");
    await expectDbMatchesStore(env);
  });
  it("imports customers before orders even when Shopify finishes the orders operation first", async () => {
    env = await createSyncEnv("sqlite", { seed: 24, customers: 200, orders: 800 });
    const { runId } = await requestBackfill(env.db.db, env.queue, env.shop);
    const real = env.admin;
    let customersStatusCalls = 0;
    // The customers operation reports RUNNING for its first three status reads; orders is COMPLETED.
    const admin: typeof real = {
      ...real,
      request: async <D extends AdminDocument>(query: D, variables?: VariablesOf<D>) => {
        const r = await real.request(query, variables);
        const run = await getSyncRun(env!.db.db, env!.shop, runId);
        const ops = JSON.parse(run!.bulkOperations || "{}") as Record<string, { id: string }>;
        const bo = (r.data as { bulkOperation?: { status: string; url: string | null } | null }).bulkOperation;
        if (
          bo &&
          (variables as { id?: unknown } | undefined)?.id === ops.customers?.id &&
          ++customersStatusCalls <= 3
        ) {
          return { ...r, data: { bulkOperation: { ...bo, status: "RUNNING", url: null } } as ResultOf<D> };
        }
        return r;
      },
    };
    const phases: string[] = [];
    const r = await drive(
      {
        db: env.db.db,
        admin,
        batchSize: 100,
        onCheckpoint: (i) => {
          phases.push(i.phase);
        },
      },
      env.shop,
      runId,
    );
    expect(r.state).toBe("completed");
    expect(customersStatusCalls).toBeGreaterThan(3);
    expect(phases.indexOf("orders")).toBeGreaterThan(phases.lastIndexOf("customers"));
    await expectDbMatchesStore(env);
  });
});
