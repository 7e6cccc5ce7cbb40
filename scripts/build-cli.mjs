#!/usr/bin/env node
// Compiles the CLI (app/cli/main.ts and what it imports from app/) to plain JavaScript in dist/cli/
// with esbuild, so `npx horizon-clv` starts without compiling TypeScript (bin/horizon-clv.mjs).
// npm dependencies stay external (resolved from node_modules at run time); the subcommands stay
// separate chunks loaded on demand, so `--help` loads almost nothing. Also writes dist/cli/inputs.json
// (the app/ sources the build came from) so the bin can tell when the build is older than the sources.
// Run by `npm install` (prepare) and `npm run build`; `npm run build:cli` by hand.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// esbuild is a devDependency: an install without dev dependencies (production) skips the build and
// the bin runs the sources through tsx instead.
let build;
try {
  ({ build } = await import("esbuild"));
} catch {
  console.log("horizon-clv: esbuild is not installed (dev dependencies omitted); the CLI will run through tsx");
  process.exit(0);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// --outdir DIR (relative to the project) builds elsewhere (tests); default dist/cli.
const at = process.argv.indexOf("--outdir");
const outdir = path.resolve(root, at > 0 ? process.argv[at + 1] : path.join("dist", "cli"));
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const started = Date.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: ["app/cli/main.ts"],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  tsconfig: "tsconfig.json",
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
});
const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes("node_modules"));
writeFileSync(path.join(outdir, "inputs.json"), JSON.stringify({ builtAt: Date.now(), inputs }) + "\n");
console.log(
  `horizon-clv: built ${path.relative(root, outdir)} from ${inputs.length} sources in ${Date.now() - started} ms`,
);
