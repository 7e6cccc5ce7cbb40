#!/usr/bin/env node
// CLI entry. Runs the prebuilt JavaScript in dist/cli (scripts/build-cli.mjs, run by `npm install`
// and `npm run build`); falls back to the TypeScript sources through tsx in a source checkout that
// has no build, or whose app/ sources changed after the build (HORIZON_CLI_SOURCE=1 forces it).
import { existsSync, readFileSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const built = new URL("dist/cli/main.js", root);

function buildIsCurrent() {
  if (process.env.HORIZON_CLI_SOURCE === "1" || !existsSync(built)) return false;
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(new URL("dist/cli/inputs.json", root), "utf8"));
    return inputs.every((f) => statSync(new URL(f, root)).mtimeMs <= builtAt);
  } catch {
    return false; // a source was removed or the manifest is unreadable
  }
}

let main;
if (buildIsCurrent()) {
  ({ main } = await import(built.href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../app/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
