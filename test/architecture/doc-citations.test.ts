/**
 * Comments cite documents that are in the repository: no citation of the reference notes the
 * project started from (they were never committed; their content is in docs/reference/), every
 * cited `docs/….md` exists, and every section a citation names (`docs/reference/clv-engine.md §4.3`)
 * is a heading of that file (or, for `§6.4`, item 4 of the numbered list of section 6).
 */
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, rel } from "./sources";

/** The notes' names, spelled so this file does not match a search for them. */
const OUTSIDE_NOTES = [
  ["clv", "reference"],
  ["shopify", "notes"],
  ["stack", "notes"],
].map((p) => p.join("-"));

const DIRS = ["app", "test", "bench", "scripts", "bin"];
const SKIP = new Set(["node_modules", "types", "fixtures"]);

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) {
        if (!SKIP.has(name)) walk(p);
      } else if (/\.(tsx?|mts|mjs|cjs|js|sh)$/.test(name)) out.push(p);
    }
  };
  for (const d of DIRS) if (existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  return out.sort();
}

/** True when `doc` has section `sec` ("4.3", "2", or "6.4" as item 4 of section 6's list). */
function hasSection(doc: string, sec: string): boolean {
  const lines = doc.split("\n");
  const heading = (s: string) => lines.some((l) => new RegExp(`^#{2,4} ${s.replace(/\./g, "\\.")}[. ]`).test(l));
  if (heading(sec)) return true;
  const [major, item] = sec.split(".");
  if (item === undefined || !heading(major)) return false;
  const start = lines.findIndex((l) => new RegExp(`^#{2,4} ${major}[. ]`).test(l));
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start, end < 0 ? undefined : end).some((l) => l.startsWith(`${item}. `));
}

describe("document citations", () => {
  const files = sourceFiles();

  it("no comment cites the reference notes that are not in the repository", () => {
    const hits: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      for (const name of OUTSIDE_NOTES) if (text.includes(name)) hits.push(`${rel(f)}: ${name}`);
    }
    expect(files.length).toBeGreaterThan(100);
    expect(hits).toEqual([]);
  });

  it("every cited docs/ file and section exists", () => {
    const missing: string[] = [];
    let cited = 0;
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/\bdocs\/[\w./-]+?\.md(?: §(\d+(?:\.\d+)?))?/g)) {
        const [cite, sec] = [m[0], m[1]];
        const file = path.join(ROOT, cite.split(" ")[0]);
        if (/NNNN/.test(cite)) continue; // the ADR template's placeholder
        cited++;
        if (!existsSync(file)) missing.push(`${rel(f)}: ${cite}`);
        else if (sec && !hasSection(readFileSync(file, "utf8"), sec)) missing.push(`${rel(f)}: ${cite}`);
      }
    }
    expect(cited).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it("a file citing a bare section (§2.1) names the document it is in", () => {
    const orphans = files.filter((f) => {
      const text = readFileSync(f, "utf8");
      return /§\d/.test(text) && !/\bdocs\/[\w./-]+\.md/.test(text);
    });
    expect(orphans.map(rel)).toEqual([]);
  });
});
