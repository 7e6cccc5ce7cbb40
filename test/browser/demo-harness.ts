/**
 * Browser-test harness: starts `node bin/demo.mjs` (a smaller CDNOW subset, its own port and
 * database) and a headless Debian Chromium through playwright-core, and saves screenshots to
 * test-artifacts/browser/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium (installed by .ci/run). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = path.resolve("test-artifacts", "browser");

/** Why the browser tests cannot run here, or null. In CI they must run (never skipped). */
export function skipReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.env.CI) return null; // fail loudly in CI instead of skipping
  return `browser tests skipped: no Chromium at ${CHROMIUM} (install with apt-get install -y chromium, or set CHROMIUM_PATH)`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

/** The environment minus vitest's own variables (the demo is a separate program). */
function withoutVitest(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("VITEST") && k !== "TEST"));
}

/** A running demo. */
export interface Demo {
  url: string;
  /** The demo's SQLite database file (removed by `stop`). */
  dbFile: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts the demo and resolves when it prints "ready". */
export async function startDemo(opts: {
  customers: number;
  timeoutMs: number;
  env?: Record<string, string>;
}): Promise<Demo> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "horizon-demo-"));
  let out = "";
  const dbFile = path.join(dir, "demo.sqlite");
  const child: ChildProcess = spawn(process.execPath, ["bin/demo.mjs"], {
    env: {
      ...withoutVitest(process.env),
      NODE_ENV: "development",
      PORT: String(port),
      HORIZON_DEMO_CUSTOMERS: String(opts.customers),
      DATABASE_URL: `file:${dbFile}`,
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += String(d)));
  child.stderr!.on("data", (d) => (out += String(d)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo not ready after ${opts.timeoutMs} ms:\n${out.slice(-3000)}`)),
      opts.timeoutMs,
    );
    const check = setInterval(() => {
      // After "ready" the demo runs its actions scene (app/demo/actions-scene.server.ts): wait for it
      // so the pages are tested in a settled state.
      if (/\[demo\] ready in/.test(out) && /\[demo\] actions scene (done|failed)/.test(out)) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 250);
    child.once("exit", (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code} before ready:\n${out.slice(-3000)}`));
    });
  });
  return {
    url: `http://localhost:${port}`,
    dbFile,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => {
          const t = setTimeout(() => {
            child.kill("SIGKILL");
            r(null);
          }, 10_000);
          child.once("exit", () => (clearTimeout(t), r(null)));
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with a fresh profile. */
export async function launchBrowser(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), "horizon-chromium-"));
  mkdirSync(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as test-artifacts/browser/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A demo and a browser page shared by the tests of one file (see `useDemoSession`). */
export interface DemoSession {
  demo: Demo;
  page: Page;
  /** Page errors and console errors seen so far. */
  errors: string[];
  /** Navigates to a path of the demo and waits for the network to settle. */
  go(path: string): Promise<void>;
}

/**
 * Registers beforeAll/afterAll hooks that start a demo of `customers` customers and a browser
 * page collecting page and console errors; the returned session is filled once beforeAll ran.
 */
export function useDemoSession(opts: { customers: number; timeoutMs: number }): DemoSession {
  const session = {
    errors: [] as string[],
    async go(p: string) {
      await session.page.goto(`${session.demo.url}${p}`, { waitUntil: "networkidle" });
    },
  } as DemoSession;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  beforeAll(
    async () => {
      session.demo = await startDemo(opts);
      browser = await launchBrowser();
      session.page = browser.page;
      session.page.setDefaultTimeout(60_000);
      session.page.on("pageerror", (e) => session.errors.push(`pageerror: ${e.message}`));
      session.page.on("console", (m) => {
        if (m.type() === "error") session.errors.push(`console: ${m.text()}`);
      });
    },
    opts.timeoutMs + 5 * 60_000,
  );
  afterAll(async () => {
    await browser?.close();
    await session.demo?.stop();
  });
  return session;
}

/**
 * A describe block for a browser test file: skipped (with the reason printed) when Chromium is
 * missing outside CI, a demo session (`useDemoSession`) for `body`'s tests, and, after them, a
 * test that no page or console error was logged (favicon requests aside).
 */
export function describeDemo(
  title: string,
  opts: { customers: number; timeoutMs: number },
  body: (session: DemoSession) => void,
): void {
  const reason = skipReason();
  if (reason) console.warn(reason);
  describe.skipIf(reason !== null)(title, () => {
    const session = useDemoSession(opts);
    body(session);
    it("no page errors were logged in the browser", () => {
      expect(session.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
    });
  });
}
