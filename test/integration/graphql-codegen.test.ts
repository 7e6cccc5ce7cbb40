/**
 * Typed Admin API operations (Shopify's template: .graphqlrc.ts + @shopify/api-codegen-preset): every
 * `#graphql` document in app/ has its generated types in app/types/admin.generated.d.ts, and nothing
 * generated is left from a document that changed or is gone. Regenerate with `npm run graphql-codegen`
 * (offline, from the vendored schema).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === "types" ? [] : sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

/**
 * The `#graphql` operations of app/, with `${FRAGMENT}` interpolations resolved the way codegen does
 * (the interpolated constant must itself be a `#graphql` literal: a fragment).
 */
function taggedDocuments(): Array<{ file: string; text: string }> {
  const literals = sources(path.join(root, "app")).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/(?:(\w+)\s*=\s*)?`(#graphql(?:[^`\\]|\\.)*)`/g)].map((m) => ({
      file: path.relative(root, file),
      name: m[1],
      text: m[2]!,
    })),
  );
  const byName = new Map(literals.filter((l) => l.name).map((l) => [l.name!, l.text]));
  const resolve = (text: string, file: string): string =>
    text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const part = byName.get(name);
      if (part === undefined) throw new Error(`${file}: \${${name}} is not a #graphql constant of app/`);
      return resolve(part, file);
    });
  return literals
    .map((l) => ({ file: l.file, text: resolve(l.text, l.file) }))
    .filter((d) => /^#graphql\s*(query|mutation)\b/.test(d.text));
}

const generated = readFileSync(path.join(root, "app", "types", "admin.generated.d.ts"), "utf8");
const generatedKeys = [...generated.matchAll(/^\s*("#graphql(?:[^"\\]|\\.)*"): \{return:/gm)].map(
  (m) => JSON.parse(m[1]!) as string,
);

describe("generated Admin API operation types", () => {
  const docs = taggedDocuments();

  it("the app has typed documents", () => {
    expect(docs.length).toBeGreaterThan(0);
  });

  it.each(docs.map((d) => [d.file, d.text.split("\n")[1]!.trim(), d.text] as const))(
    "%s: %s has generated types",
    (_file, _head, text) => {
      expect(generatedKeys).toContain(text);
    },
  );

  it("no generated type is left from a document that is gone", () => {
    const texts = new Set(docs.map((d) => d.text));
    expect(generatedKeys.filter((k) => !texts.has(k))).toEqual([]);
  });
});
