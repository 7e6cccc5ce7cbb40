/**
 * CLI plumbing shared by every command: output sinks (so tests run commands in-process and capture
 * output), the usage/data error types and their exit codes, and atomic file writes.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

/** Where a command writes. `main` defaults to process.stdout / process.stderr. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The process's own streams. */
export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
};

/** Exit codes: 0 ok, 1 bad input data or failed run, 2 bad usage (unknown flag, missing option). */
export const EXIT = { ok: 0, data: 1, usage: 2 } as const;

/** Wrong command line (unknown flag, missing or malformed option). Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Bad input data (missing column, unparsable value, empty file). Exit code 1. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}

/**
 * Writes `chunks` to `file` atomically: everything goes to a temporary file in the same directory,
 * which is fsync'ed and renamed over the target only when complete. On any error the temporary
 * file is removed and the target is untouched, so nothing is ever half-written.
 */
export function writeFileAtomic(file: string, chunks: Iterable<string>): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, "wx", 0o644);
    for (const c of chunks) writeSync(fd, c);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
}
