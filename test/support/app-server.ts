/**
 * Test harness: a real HTTP server (node:http) that dispatches /webhooks/* to the app's own route
 * modules (IncomingMessage → Fetch Request → Remix action) and runs the job worker in-process.
 *
 * As a child process (integration tests kill -9 it):
 *   PORT=0 DATABASE_URL=file:/tmp/x.sqlite SHOPIFY_API_SECRET=... npx tsx test/support/app-server.ts
 * prints `listening <port>` on stdout once ready. Env: WORKER_STALE_MS, WORKER_RECOVER_MS,
 * WORKER_POLL_MS tune crash recovery for tests; NO_WORKER=1 disables the worker.
 * In-process: `await startAppServer({ port: 0 })`.
 */
import http from "node:http";
import { Readable } from "node:stream";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WEBHOOK_TOPICS, topicForPath } from "../../app/webhooks/topics";
import type { Worker } from "../../app/jobs/job-loop.server";

type RouteModule = {
  action?: (args: {
    request: Request;
    params: Record<string, string>;
    context: unknown;
  }) => Promise<Response> | Response;
  loader?: (args: {
    request: Request;
    params: Record<string, string>;
    context: unknown;
  }) => Promise<Response> | Response;
};

const here = path.dirname(fileURLToPath(import.meta.url));
const routesDir = path.resolve(here, "..", "..", "app", "routes");

/** Loads the webhook route modules keyed by topic. */
async function loadRoutes(): Promise<Map<string, RouteModule>> {
  const m = new Map<string, RouteModule>();
  for (const t of WEBHOOK_TOPICS) {
    const file = path.join(routesDir, `webhooks.${t.replace(/\//g, ".")}.tsx`);
    m.set(t, (await import(pathToFileURL(file).href)) as RouteModule);
  }
  return m;
}

/** Converts a node request into a Fetch Request (body streamed, not buffered). */
export function toFetchRequest(req: http.IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
  } as RequestInit);
}

async function send(res: http.ServerResponse, r: Response): Promise<void> {
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => (headers[k] = v));
  res.writeHead(r.status, headers);
  res.end(Buffer.from(await r.arrayBuffer()));
}

/** A running harness server. */
export interface AppServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Starts the harness (migrates DATABASE_URL first; starts the in-process worker unless NO_WORKER=1). */
export async function startAppServer(opts: { port?: number; worker?: boolean } = {}): Promise<AppServer> {
  const { migrate } = await import("../../app/db/migrate.server");
  const dbUrl = process.env.DATABASE_URL || "file:./prisma/dev.sqlite";
  await migrate(dbUrl);
  // Webhooks are refused for shops without an installation: INSTALLED_SHOPS=a.myshopify.com,… installs them.
  const installed = (process.env.INSTALLED_SHOPS ?? "").split(",").filter(Boolean);
  if (installed.length) {
    const [{ openDb }, { upsertShopInstalled }] = await Promise.all([
      import("../../app/db/connect.server"),
      import("../../app/models/shops.server"),
    ]);
    const h = await openDb(dbUrl);
    for (const shop of installed) await upsertShopInstalled(h.db, shop);
    await h.close();
  }
  const routes = await loadRoutes();
  let worker: Worker | undefined;
  if (opts.worker ?? process.env.NO_WORKER !== "1") {
    // The same start as the web process (app/job-runtime/boot.server.ts), with the fake Admin API's
    // endpoint as the Admin client factory when FAKE_ADMIN_GRAPHQL_URL is set.
    const [{ default: db, dbHandle }, { startJobProcess }, { endpointAdminFactory }, { setInlineWorker }] =
      await Promise.all([
        import("../../app/db.server"),
        import("../../app/jobs/job-process.server"),
        import("../../app/shopify/admin-for-shop.server"),
        import("../../app/jobs/inline.server"),
        import("../../app/job-runtime/all-job-handlers.server"),
      ]);
    const url = process.env.FAKE_ADMIN_GRAPHQL_URL;
    const jobs = startJobProcess({
      db,
      provider: dbHandle.provider,
      closeDb: () => dbHandle.close(),
      adminFor: url
        ? endpointAdminFactory(url, process.env.FAKE_ADMIN_TOKEN ?? "", 20)
        : () => Promise.reject(new Error("app-server: no FAKE_ADMIN_GRAPHQL_URL for Shopify jobs")),
      worker: { pollMs: Number(process.env.WORKER_POLL_MS ?? 100) },
      scheduler: process.env.HORIZON_SCHEDULER !== "off",
      handleSignals: false,
    });
    setInlineWorker(jobs.worker);
    worker = jobs.worker;
  }
  const server = http.createServer((req, res) => {
    const origin = `http://${req.headers.host ?? "127.0.0.1"}`;
    const pathname = new URL(req.url ?? "/", origin).pathname;
    const topic = topicForPath(pathname);
    const mod = topic ? routes.get(topic) : undefined;
    if (pathname === "/health") return void send(res, new Response("ok"));
    if (!mod) return void send(res, new Response("Not Found", { status: 404 })); // app: routes/webhooks.$.tsx
    const request = toFetchRequest(req, origin);
    const fn = req.method === "GET" || req.method === "HEAD" ? mod.loader : mod.action;
    Promise.resolve()
      .then(() => (fn ? fn({ request, params: {}, context: {} }) : new Response("Method Not Allowed", { status: 405 })))
      .then((r) => send(res, r))
      .catch((e: unknown) => {
        if (e instanceof Response) return send(res, e);
        console.error(`app-server: unhandled ${(e as Error)?.stack ?? e}`);
        return send(res, new Response("Internal Server Error", { status: 500 }));
      });
  });
  // Longer than clients' idle keep-alive (undici: 4 s), so a reused connection is never closed under it.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await worker?.stop();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const s = await startAppServer({ port: Number(process.env.PORT ?? 0) });
  process.stdout.write(`listening ${s.port}\n`);
  const stop = async () => {
    const { ingestStats } = await import("../../app/webhooks/ingest.server");
    const st = ingestStats();
    if (st.batches)
      process.stderr.write(
        `app-server: ingest ${st.deliveries} deliveries in ${st.batches} batches (largest ${st.largestBatch})\n`,
      );
    await s.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}
