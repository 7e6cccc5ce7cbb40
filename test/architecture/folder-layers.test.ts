/**
 * The top-level folders of app/ are layers: no two of them depend on each other in both directions
 * (docs/decisions/0012-folder-layers.md gives the order). A node is a top-level folder
 * (app/pages/shared/x.ts belongs to "app/pages"); a file directly under app/ (app/root.tsx,
 * app/db.server.ts, app/shopify.server.ts, …) is a node of its own, since those files are unrelated
 * entry points and singletons, not one concern. Edges are the runtime imports read by `importsOf`:
 * static imports and dynamic `import()` alike (a dynamic import hides a dependency, it does not
 * remove it); `import type` is erased by the compiler and ignored. Test files are left out: a test
 * may drive its folder through a higher layer (app/training/cli-train.test.ts runs the CLI), which is
 * no dependency of the shipped code. File-level cycles are import-graph.test.ts's business.
 */
import { describe, expect, it } from "vitest";
import { appSourceFiles, importsOf, rel } from "./sources";

/**
 * Pairs of folders allowed to depend on each other both ways ("app/a ⇄ app/b", sorted): none. An
 * entry added here must say why; the test fails when an entry is no longer two-way, so the list can
 * only shrink.
 */
const KNOWN_TWO_WAY_PAIRS = new Map<string, string>([]);

/** One import between two different nodes. */
interface FolderEdge {
  from: string;
  to: string;
  /** "app/x/y.ts:12 → app/z/w.ts" */
  site: string;
}

/** The node of a repository-relative path under app/: "app/<folder>", or the file itself when directly under app/. */
function nodeOf(relPath: string): string {
  const parts = relPath.split("/");
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : relPath;
}

/** Every pair of nodes with edges both ways, each with the import sites of both directions. */
function twoWayPairs(edges: FolderEdge[]): Array<{ pair: string; sites: string[] }> {
  const sites = new Map<string, string[]>();
  for (const e of edges) {
    if (e.from === e.to) continue;
    const key = `${e.from}\u0000${e.to}`;
    sites.set(key, [...(sites.get(key) ?? []), e.site]);
  }
  const out: Array<{ pair: string; sites: string[] }> = [];
  for (const [key, ab] of sites) {
    const [a, b] = key.split("\u0000") as [string, string];
    const ba = sites.get(`${b}\u0000${a}`);
    if (a < b && ba) out.push({ pair: `${a} ⇄ ${b}`, sites: [...ab, ...ba].sort() });
  }
  return out.sort((x, y) => x.pair.localeCompare(y.pair));
}

function folderEdges(): FolderEdge[] {
  return appSourceFiles().flatMap((file) =>
    importsOf(file).map((e) => ({
      from: nodeOf(rel(file)),
      to: nodeOf(rel(e.to)),
      site: `${rel(file)}:${e.line} → ${rel(e.to)}${e.dynamic ? " (import())" : ""}`,
    })),
  );
}

describe("folder layers of app/", () => {
  it("the pair finder reports each two-way pair once, with the sites of both directions", () => {
    const e = (from: string, to: string, line: number): FolderEdge => ({ from, to, site: `${from}:${line}` });
    const edges = [
      e("app/a", "app/b", 1),
      e("app/a", "app/b", 2),
      e("app/b", "app/a", 3),
      e("app/b", "app/c", 4), // one-way
      e("app/c", "app/d", 5),
      e("app/d", "app/e", 6),
      e("app/e", "app/c", 7), // a longer cycle is no pair
      e("app/c", "app/c", 8), // inside one folder
      e("app/root.tsx", "app/c", 9),
      e("app/c", "app/root.tsx", 10),
    ];
    expect(twoWayPairs(edges)).toEqual([
      { pair: "app/a ⇄ app/b", sites: ["app/a:1", "app/a:2", "app/b:3"] },
      { pair: "app/c ⇄ app/root.tsx", sites: ["app/c:10", "app/root.tsx:9"] },
    ]);
  });

  it("maps files to nodes: a top-level folder, or a file directly under app/", () => {
    expect(nodeOf("app/pages/shared/x.server.ts")).toBe("app/pages");
    expect(nodeOf("app/training/load.server.ts")).toBe("app/training");
    expect(nodeOf("app/root.tsx")).toBe("app/root.tsx");
  });

  it("reads dynamic import() as an edge and ignores import type", () => {
    const edges = folderEdges();
    const has = (from: string, to: string) => edges.some((x) => x.from === from && x.to === to);
    // app/demo/run.server.ts: `await import("~/jobs/db-queue.server")`
    expect(
      edges.some((x) =>
        /^app\/demo\/run\.server\.ts:\d+ → app\/jobs\/db-queue\.server\.ts \(import\(\)\)$/.test(x.site),
      ),
    ).toBe(true);
    // app/components/JobProgress.tsx imports only types from app/lifecycle/job-progress.server.ts
    expect(has("app/components", "app/lifecycle")).toBe(false);
  });

  it("has no two-way folder dependency outside the known, shrinking list", () => {
    const pairs = twoWayPairs(folderEdges());
    const unexpected = pairs.filter((p) => !KNOWN_TWO_WAY_PAIRS.has(p.pair));
    expect(
      unexpected,
      "two-way folder dependencies: move the code to the lower folder (never hide an edge behind import())",
    ).toEqual([]);
    const stale = [...KNOWN_TWO_WAY_PAIRS.keys()].filter((k) => !pairs.some((p) => p.pair === k));
    expect(stale, "no longer two-way: remove from KNOWN_TWO_WAY_PAIRS").toEqual([]);
  });
});
