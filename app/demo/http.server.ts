/**
 * A small node:http server for a built Remix app: static files from build/client (hashed assets
 * cached immutably), everything else through Remix's request handler. Used by the demo so the job
 * worker and the web app share one process.
 */
import { createReadStream, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { pathToFileURL } from "node:url";
import { createRequestHandler, createReadableStreamFromReadable, type ServerBuild } from "@remix-run/node";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Options of `serveRemixBuild`. */
export interface ServeOptions {
  /** Directory holding server/ and client/ (default ./build). */
  buildDir?: string;
  port: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
}

function staticFile(clientDir: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const file = path.join(clientDir, rel);
  if (!file.startsWith(clientDir + path.sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

function toRequest(req: http.IncomingMessage, res: http.ServerResponse): Request {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  const ac = new AbortController();
  res.on("close", () => ac.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: ac.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new Request(url, init);
}

async function send(res: http.ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    headers[key] = value;
  });
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(response.status, response.statusText, headers);
  if (!response.body) return void res.end();
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as WebReadableStream)
      .on("error", reject)
      .pipe(res)
      .on("finish", resolve)
      .on("error", reject);
  });
}

/** Loads build/server/index.js and serves the app; resolves once listening. */
export async function serveRemixBuild(
  opts: ServeOptions,
): Promise<{ server: http.Server; url: string; close(): Promise<void> }> {
  const buildDir = path.resolve(opts.buildDir ?? "build");
  const clientDir = path.join(buildDir, "client");
  const build = (await import(pathToFileURL(path.join(buildDir, "server", "index.js")).href)) as ServerBuild;
  const handle = createRequestHandler(build, "production");
  const server = http.createServer(async (req, res) => {
    try {
      const pathname = (req.url ?? "/").split("?")[0];
      if ((req.method === "GET" || req.method === "HEAD") && pathname !== "/") {
        const file = staticFile(clientDir, pathname);
        if (!file && pathname === "/favicon.ico") {
          res.writeHead(204, { "Cache-Control": "public, max-age=86400" });
          return void res.end();
        }
        if (file) {
          res.writeHead(200, {
            "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
            "Cache-Control": pathname.startsWith("/assets/")
              ? "public, max-age=31536000, immutable"
              : "public, max-age=3600",
            "X-Content-Type-Options": "nosniff",
          });
          if (req.method === "HEAD") return void res.end();
          createReadStream(file).pipe(res);
          return;
        }
      }
      await send(res, await handle(toRequest(req, res)));
    } catch (e) {
      console.error("[http] request failed:", (e as Error).message);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("Internal Server Error");
    }
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  return {
    server,
    url: `http://${host === "127.0.0.1" || host === "0.0.0.0" ? "localhost" : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
