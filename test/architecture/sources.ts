/**
 * Reads app/ for the architecture tests: every TypeScript source file, its runtime imports (static
 * `import`/`export … from` and dynamic `import("…")` with a literal specifier; `import type` is erased
 * at compile time and ignored) resolved to files, and its Prisma calls.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const APP = path.join(ROOT, "app");

/** Repository-relative path with forward slashes ("app/models/shops.server.ts"). */
export const rel = (abs: string) => path.relative(ROOT, abs).split(path.sep).join("/");

export function appSourceFiles(opts: { tests?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(name) && (opts.tests || !/\.test\.tsx?$/.test(name))) out.push(p);
    }
  };
  walk(APP);
  return out.sort();
}

const parsed = new Map<string, ts.SourceFile>();
export function parse(file: string): ts.SourceFile {
  let sf = parsed.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    parsed.set(file, sf);
  }
  return sf;
}

function resolveSpecifier(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("~/")) base = path.join(APP, spec.slice(2));
  else if (spec.startsWith("./") || spec.startsWith("../")) base = path.resolve(path.dirname(from), spec);
  else return null; // a package
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile() && /\.tsx?$/.test(c)) return c;
    } catch {
      /* next candidate */
    }
  }
  return null;
}

export interface ImportEdge {
  to: string;
  dynamic: boolean;
  line: number;
}

/** Runtime imports of one file that resolve to files inside the repository. */
export function importsOf(file: string): ImportEdge[] {
  const sf = parse(file);
  const edges: ImportEdge[] = [];
  const add = (spec: string, node: ts.Node, dynamic: boolean) => {
    const to = resolveSpecifier(file, spec);
    if (to) edges.push({ to, dynamic, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const typeOnly =
        c &&
        (c.isTypeOnly ||
          (!c.name &&
            c.namedBindings &&
            ts.isNamedImports(c.namedBindings) &&
            c.namedBindings.elements.length > 0 &&
            c.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) add(node.moduleSpecifier.text, node, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) add(node.moduleSpecifier.text, node, false);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, node, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

/** The Prisma model delegates (`db.customer`, `tx.modelRun`, …), read from prisma/schema.prisma. */
export function prismaDelegates(): Set<string> {
  const schema = readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8");
  return new Set([...schema.matchAll(/^model\s+(\w+)/gm)].map((m) => m[1][0].toLowerCase() + m[1].slice(1)));
}

const DELEGATE_METHODS = new Set([
  "findMany",
  "findFirst",
  "findFirstOrThrow",
  "findUnique",
  "findUniqueOrThrow",
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
  "count",
  "aggregate",
  "groupBy",
]);
const CLIENT_METHODS = new Set([
  "$queryRaw",
  "$queryRawUnsafe",
  "$executeRaw",
  "$executeRawUnsafe",
  "$transaction",
  "$queryRawTyped",
]);

export interface PrismaCall {
  line: number;
  text: string;
}

/**
 * Prisma calls in one file: `<anything>.<model>.<method>(…)` for a schema model and a delegate
 * method, and the client's raw/transaction methods (`$queryRaw`, `$transaction`, …) however reached.
 */
export function prismaCallsIn(file: string, delegates: Set<string>): PrismaCall[] {
  const sf = parse(file);
  const calls: PrismaCall[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAccessExpression(node)) {
      const name = node.name.text;
      const inner = node.expression;
      const isDelegateCall =
        DELEGATE_METHODS.has(name) && ts.isPropertyAccessExpression(inner) && delegates.has(inner.name.text);
      if (isDelegateCall || CLIENT_METHODS.has(name)) {
        calls.push({ line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.getText() });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return calls;
}
