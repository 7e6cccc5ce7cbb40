/**
 * Names that say what a thing is (ADR 0011): no catch-all folder or file names under app/, and
 * every folder under app/ and every top-level folder of the repository has a row in the README's
 * layout table.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./sources";

/** Files git tracks or would track (ignored generated output such as build/ or node_modules/ left out). */
function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  })
    .split("\n")
    .filter(Boolean);
}

/** Folder paths below `top` ("app/pages/shared") that hold a file, and their parents up to `top`. */
function foldersUnder(files: string[], top: string): string[] {
  const out = new Set<string>();
  for (const f of files) {
    if (!f.startsWith(`${top}/`)) continue;
    for (let d = path.posix.dirname(f); d !== top && d !== "."; d = path.posix.dirname(d)) out.add(d);
  }
  return [...out].sort();
}

/** The backticked paths of the README's "Layout" table. */
function layoutPaths(): Set<string> {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## Layout$/m)[1]?.split(/^## /m)[0] ?? "";
  const out = new Set<string>();
  for (const line of section.split("\n")) {
    if (!line.startsWith("| `")) continue;
    const first = line.split(" | ")[0];
    for (const m of first.matchAll(/`([^`]+)`/g)) out.add(m[1].replace(/\/$/, ""));
  }
  return out;
}

const CATCH_ALL = /^(jobs|handlers?|workers?|services?|utils?|helpers?|misc)$/;

describe("names", () => {
  const files = trackedFiles();

  it("the README's layout table has a row for every folder under app/ and every top-level folder", () => {
    const listed = layoutPaths();
    expect(listed.size).toBeGreaterThan(20);
    const topLevel = [...new Set(files.filter((f) => f.includes("/")).map((f) => f.split("/")[0]))];
    // A folder under app/ needs its own row; a top-level folder is covered by a row for it or below it.
    const missing = [
      ...foldersUnder(files, "app").filter((d) => !listed.has(d)),
      ...topLevel.filter((d) => ![...listed].some((p) => p === d || p.startsWith(`${d}/`))),
    ];
    expect(missing).toEqual([]);
  });

  it("no catch-all folder or file names under app/ (jobs, handlers, worker, services, utils, helpers)", () => {
    const offenders: string[] = [];
    for (const d of foldersUnder(files, "app"))
      if (CATCH_ALL.test(path.posix.basename(d)) && d !== "app/jobs") offenders.push(d);
    for (const f of files.filter((x) => x.startsWith("app/"))) {
      const stem = path.posix.basename(f).split(".")[0];
      if (CATCH_ALL.test(stem)) offenders.push(f);
    }
    expect(offenders).toEqual([]);
  });
});
