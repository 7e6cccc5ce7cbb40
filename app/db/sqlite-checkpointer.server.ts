/**
 * WAL checkpoints of a SQLite database on a background thread (issue 11).
 *
 * better-sqlite3 runs every statement on the calling thread. By default SQLite checkpoints the WAL
 * inside the COMMIT that pushes it past 1,000 pages, on the committing connection: after the
 * 100,000-row prediction write that checkpoint (copying the WAL into the database and syncing it)
 * held the web process's event loop for ≈ 280 ms of a 350 ms commit. The app's connections turn the
 * automatic checkpoint off (`PRAGMA wal_autocheckpoint=0`) and this thread, with its own connection,
 * runs `PRAGMA wal_checkpoint(PASSIVE)` every second: a passive checkpoint never waits for readers
 * or writers, so it never blocks the app's connection, and the WAL stays as small as the automatic
 * checkpoint kept it between large writes. One thread per database file and process, shared by
 * every handle on the file, stopped when the last handle closes; it never keeps the process alive.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** How often the thread checkpoints (ms). */
export const CHECKPOINT_EVERY_MS = 1000;

/** The thread's code (CommonJS, as an eval'd worker runs): no TypeScript loader needed. */
const THREAD_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
let db = null;
let stopped = false;
function checkpoint() {
  if (stopped) return;
  try {
    if (!db) {
      db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
      db.pragma("busy_timeout = 0");
    }
    const [r] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ type: "checkpoint", log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    // SQLITE_BUSY: another checkpoint runs; the next tick tries again. A deleted file ends the thread.
    if (e && e.code === "SQLITE_CANTOPEN") stop();
  }
}
function stop() {
  stopped = true;
  clearInterval(timer);
  try { if (db) db.close(); } catch {}
  parentPort.close();
}
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on("message", (m) => { if (m === "checkpoint") checkpoint(); else if (m === "stop") stop(); });
`;

/**
 * The better-sqlite3 module Prisma's adapter uses (resolved from the adapter, so the thread loads
 * the same copy and native binary as the app's connection).
 */
export function sqliteDriverPath(): string {
  const adapter = createRequire(import.meta.url).resolve("@prisma/adapter-better-sqlite3");
  return createRequire(adapter).resolve("better-sqlite3");
}

/** One checkpointer thread of a file, with the number of open handles using it. */
interface Checkpointer {
  worker: Worker;
  users: number;
  /** Frames in the WAL and how many of them the last checkpoint copied (for tests and the bench). */
  last: { log: number; checkpointed: number } | null;
}

const byFile = new Map<string, Checkpointer>();

/**
 * Starts (or joins) the checkpointer of a database file; the returned function leaves it (the
 * thread stops when its last user leaves). The caller's connection must set
 * `PRAGMA wal_autocheckpoint=0`. `everyMs` applies when this call starts the thread.
 */
export function useSqliteCheckpointer(file: string, opts: { everyMs?: number } = {}): () => Promise<void> {
  let c = byFile.get(file);
  if (!c) {
    const driver = sqliteDriverPath();
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { file, driver, everyMs: opts.everyMs ?? CHECKPOINT_EVERY_MS },
    });
    worker.unref();
    const created: Checkpointer = { worker, users: 0, last: null };
    worker.on("message", (m: { type: string; log: number; checkpointed: number }) => {
      if (m.type === "checkpoint") created.last = { log: m.log, checkpointed: m.checkpointed };
    });
    worker.on("error", (e) => console.warn(`[db] WAL checkpointer of ${file} stopped: ${e.message}`));
    worker.on("exit", () => {
      if (byFile.get(file) === created) byFile.delete(file);
    });
    byFile.set(file, created);
    c = created;
  }
  const mine = c;
  mine.users++;
  let left = false;
  return async () => {
    if (left) return;
    left = true;
    if (--mine.users > 0) return;
    if (byFile.get(file) === mine) byFile.delete(file);
    mine.worker.postMessage("stop");
    await mine.worker.terminate();
  };
}

/** Files with a running checkpointer thread. */
export function checkpointedFiles(): string[] {
  return [...byFile.keys()];
}

/**
 * Asks the file's checkpointer to checkpoint now and resolves with the WAL's frame count and the
 * frames copied (null when no checkpointer runs for the file).
 */
export function checkpointNow(file: string): Promise<{ log: number; checkpointed: number } | null> {
  const c = byFile.get(file);
  if (!c) return Promise.resolve(null);
  return new Promise((resolve) => {
    const onMessage = (m: { type: string; log: number; checkpointed: number }) => {
      if (m.type !== "checkpoint") return;
      c.worker.off("message", onMessage);
      resolve({ log: m.log, checkpointed: m.checkpointed });
    };
    c.worker.on("message", onMessage);
    c.worker.postMessage("checkpoint");
  });
}
