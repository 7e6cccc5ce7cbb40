/**
 * Admin API results are typed by their document (codegen, .graphqlrc.ts → app/types/admin.generated.d.ts):
 * no file of app/ that talks to the Admin API casts a result through `unknown`, and static documents
 * are sent with `request`/`mutate` without a hand-written result type (`request<…>` is refused; only
 * documents built at run time go through `requestBuilt<…>`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { appSourceFiles, rel } from "./sources";

/** Files that send Admin GraphQL documents or define them. */
const adminFiles = appSourceFiles().filter((f) => {
  if (f.includes("/app/types/")) return false;
  const src = readFileSync(f, "utf8");
  return /\bAdminGraphql\b|#graphql|\.graphql\(/.test(src);
});

function offending(pattern: RegExp): string[] {
  return adminFiles.flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .flatMap((line, i) => (pattern.test(line) ? [`${rel(f)}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe("typed Admin API results", () => {
  it("finds the files that talk to the Admin API", () => {
    expect(adminFiles.map(rel)).toEqual(
      expect.arrayContaining(["app/sync/reconcile.server.ts", "app/actions/segments.server.ts"]),
    );
  });

  it("no `as unknown as` in them", () => {
    expect(offending(/\bas unknown as\b/)).toEqual([]);
  });

  it("static documents are typed by codegen, not by a type argument", () => {
    expect(offending(/\.(request|mutate)</)).toEqual([]);
  });

  it("the check can fail", () => {
    expect(/\bas unknown as\b/.test("const x = data as unknown as Foo;")).toBe(true);
    expect(/\.(request|mutate)</.test("await admin.request<{ a: 1 }>(Q)")).toBe(true);
  });
});
