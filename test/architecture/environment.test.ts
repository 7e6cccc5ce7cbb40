/**
 * app/ reads its environment through app/env.server.ts (`env()`, `databaseUrl()`), one typed,
 * validated schema — never `process.env` directly, so every variable has one default and one
 * parser, and a bad value stops the process at start.
 */
import { describe, expect, it } from "vitest";
import ts from "typescript";
import { appSourceFiles, parse, rel } from "./sources";

/** Files allowed to touch process.env, each with its reason. */
const ALLOWED = new Map([
  ["app/env.server.ts", "the schema itself"],
  ["app/db/test-db.ts", "test helper: TEST_PG_URL / REQUIRE_PG belong to the test run, not the app"],
  ["app/db.server.ts", "NODE_ENV, which the bundler replaces at build time"],
  [
    "app/training/tf.ts",
    "HORIZON_WASM_STOCK_SLICE, read in the training worker thread and the standalone CLI, which have no app environment",
  ],
]);

describe("environment", () => {
  it("no process.env outside app/env.server.ts and the listed exceptions", () => {
    const reads: string[] = [];
    for (const file of appSourceFiles()) {
      const f = rel(file);
      if (ALLOWED.has(f)) continue;
      const sf = parse(file);
      const visit = (node: ts.Node) => {
        if (
          ts.isPropertyAccessExpression(node) &&
          ts.isIdentifier(node.expression) &&
          node.expression.text === "process" &&
          node.name.text === "env"
        ) {
          reads.push(`${f}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(reads, "read these through env() from app/env.server.ts").toEqual([]);
  });
});
