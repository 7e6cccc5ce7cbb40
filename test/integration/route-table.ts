/**
 * Resolves a URL path to the route file that serves it under Remix's flat-routes convention (dots are
 * path segments, `_index` an index route, `$name` a parameter, a lone `$` a splat, `_name` a pathless
 * layout, `[.]` a literal dot, folders with route.tsx). Most specific match wins: static > param > splat.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export interface RouteFile {
  /** Path relative to app/routes, e.g. "app.customers.$id.tsx" or "auth.login/route.tsx". */
  file: string;
  abs: string;
  segments: string[];
  index: boolean;
}

export function routeTable(dir: string): RouteFile[] {
  const out: RouteFile[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".") || /\.test\.tsx?$/.test(name)) continue;
    const abs = path.join(dir, name);
    let id: string;
    let file: string;
    if (statSync(abs).isDirectory()) {
      const entry = ["route.tsx", "route.ts"].find((f) => existsSync(path.join(abs, f)));
      if (!entry) continue;
      id = name;
      file = `${name}/${entry}`;
    } else {
      if (!/\.tsx?$/.test(name)) continue;
      id = name.replace(/\.tsx?$/, "");
      file = name;
    }
    // "[.]" is a literal dot inside a segment: split on the other dots only.
    const parts = id.split(/(?<!\[)\.(?!\])/).map((p) => p.replace(/\[\.\]/g, "."));
    const index = parts[parts.length - 1] === "_index";
    const segments = parts.filter((p) => p !== "_index" && !(p.startsWith("_") && p.length > 1));
    out.push({ file, abs: path.join(dir, file), segments, index });
  }
  return out;
}

/** Score of a match (higher = more specific), or -1 when `route` does not serve `urlPath`. */
function score(route: RouteFile, parts: string[]): number {
  let s = 0;
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    if (seg === "$") return parts.length > i ? s + 1 : -1;
    if (i >= parts.length) return -1;
    if (seg.startsWith("$")) s += 2;
    else if (seg === parts[i]) s += 3;
    else return -1;
  }
  if (parts.length !== route.segments.length) return -1;
  // a layout without an index serves its exact path only when it has no index sibling (Remix renders the index)
  return s + (route.index ? 1 : 0);
}

export function resolveRoute(routes: RouteFile[], urlPath: string): RouteFile | undefined {
  const parts = urlPath.split("/").filter(Boolean);
  let best: RouteFile | undefined;
  let bestScore = -1;
  for (const r of routes) {
    const s = score(r, parts);
    if (s > bestScore) [best, bestScore] = [r, s];
  }
  return best;
}
