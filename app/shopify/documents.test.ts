/**
 * Every Admin GraphQL document in app/ validates against the vendored Admin API 2026-07 schema:
 * - every static template literal in app/ that is a GraphQL operation (found by scanning the source),
 * - the sync documents (exported constants, some built by interpolation),
 * - documents built at run time by exported builders (tag mutations, ./tag-mutations.ts), with sample input.
 * A failure names the file and the schema error, e.g. `Cannot query field "x" on type "Order"`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, validate, type DocumentNode } from "graphql";
import { describe, expect, it } from "vitest";
import { loadSchema } from "../../test/fake-admin/schema";
import { SYNC_DOCUMENTS } from "~/sync/queries";
import { tagMutationDocument } from "./tag-mutations";

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const schema = loadSchema();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    // Generated declarations (app/types/*.d.ts) hold no documents the app sends.
    return /\.(ts|tsx)$/.test(name) && !/\.(test\.tsx?|d\.ts)$/.test(name) ? [p] : [];
  });
}

/** Static template literals that look like GraphQL operations: `query …`, `mutation …` or `{ field … }`. */
function graphqlLiterals(file: string): Array<{ text: string; dynamic: boolean }> {
  const src = readFileSync(file, "utf8");
  const out: Array<{ text: string; dynamic: boolean }> = [];
  for (const m of src.matchAll(/`((?:[^`\\]|\\.)*)`/gs)) {
    const text = m[1]!;
    const head = text.replace(/^\s*#graphql\b/, "").trimStart(); // codegen marker (.graphqlrc.ts)
    if (!/^(query|mutation)\b[^`]*\{/.test(head) && !/^\{\s*\n?\s*[a-zA-Z_]\w*\s*[({]/.test(head)) continue;
    out.push({ text, dynamic: text.includes("${") });
  }
  return out;
}

function errorsOf(doc: string | DocumentNode): string[] {
  try {
    return validate(schema, typeof doc === "string" ? parse(doc) : doc).map((e) => e.message);
  } catch (e) {
    return [(e as Error).message];
  }
}

describe("GraphQL documents in app/ validate against Admin API 2026-07", () => {
  const files = sourceFiles(appDir);
  const statics = files.flatMap((f) =>
    graphqlLiterals(f)
      .filter((l) => !l.dynamic)
      .map((l) => ({ file: path.relative(appDir, f), text: l.text })),
  );

  it("finds the documents (the scan is not empty)", () => {
    expect(statics.length + Object.keys(SYNC_DOCUMENTS).length).toBeGreaterThan(5);
  });

  it.each(statics.map((s) => [`${s.file}: ${s.text.trim().split("\n")[0]!.slice(0, 60)}`, s.text]))(
    "static %s",
    (_label, text) => {
      expect(errorsOf(text)).toEqual([]);
    },
  );

  it.each(Object.entries(SYNC_DOCUMENTS))("sync %s", (_name, text) => {
    expect(errorsOf(text)).toEqual([]);
  });

  it("tag mutations built at run time", () => {
    const { query } = tagMutationDocument([
      { id: "1", add: ["clv:high"], remove: ["clv:low"] },
      { id: "2", add: ["clv:mid"], remove: [] },
    ]);
    expect(errorsOf(query)).toEqual([]);
  });

  it("rejects a document with a typo (the check can fail)", () => {
    expect(errorsOf("{ orders(first: 1) { edges { node { totalPriceSett { shopMoney { amount } } } } } }")[0]).toMatch(
      /Cannot query field "totalPriceSett" on type "Order"/,
    );
  });
});
