/**
 * The import graph of app/ has no cycle — static imports and dynamic `import()` alike (a dynamic
 * import hides a dependency from the compiler, it does not remove it). `import type` is ignored.
 * ESLint's import-x/no-cycle checks the same per file; this test sees whole cycles.
 */
import { describe, expect, it } from "vitest";
import { appSourceFiles, importsOf, rel } from "./sources";

/**
 * Files allowed to sit on a cycle: none. The install-hook → worker → write-back → Admin factory ⇢
 * shopify.server loop is gone since the lifecycle redesign (issue 9). An entry added here must say
 * why; the test fails when an entry is no longer on a cycle, so the list can only shrink.
 */
const KNOWN_CYCLE_FILES = new Set<string>([]);

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function findCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

function appGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of appSourceFiles({ tests: true })) {
    graph.set(
      rel(file),
      importsOf(file).map((e) => rel(e.to)),
    );
  }
  return graph;
}

describe("import graph of app/", () => {
  it("the cycle finder finds static and dynamic cycles and nothing else", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
      ["e", ["e"]],
    ]);
    expect(findCycles(g)).toEqual([["a", "b", "c"], ["e"]]);
  });

  it("reads dynamic import() as an edge and ignores import type", () => {
    const graph = appGraph();
    expect(graph.get("app/cli/main.ts")).toContain("app/cli/commands/fit.ts"); // dynamic: load: () => import("./commands/fit")
    expect(graph.size).toBeGreaterThan(100);
  });

  it("has no cycle outside the known, shrinking list", () => {
    const cycles = findCycles(appGraph());
    const unexpected = cycles.filter((scc) => scc.some((f) => !KNOWN_CYCLE_FILES.has(f)));
    expect(unexpected, "import cycles (break them; never hide one behind import())").toEqual([]);
    const onCycle = new Set(cycles.flat());
    const stale = [...KNOWN_CYCLE_FILES].filter((f) => !onCycle.has(f));
    expect(stale, "no longer on a cycle: remove from KNOWN_CYCLE_FILES and eslint.config.js").toEqual([]);
  });
});
