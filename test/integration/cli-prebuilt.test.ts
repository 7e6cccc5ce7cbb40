/**
 * The prebuilt CLI (scripts/build-cli.mjs → plain JavaScript, what bin/horizon-clv.mjs runs after
 * `npm install`): builds, needs no TypeScript loader, answers --version and fits CDNOW like the
 * sources do. Built into a scratch directory inside the project (so node_modules resolve).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const outRel = `.tmp-cli-${process.pid}`;
const out = path.join(root, outRel);
const CDNOW_SUMMARY = "test/fixtures/clv/cdnow_customers_summary.csv";
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  version: string;
  scripts: Record<string, string>;
};

/** Runs the built main(argv) in a plain node process (no tsx). */
function runBuilt(argv: string[]) {
  const code = `const { main } = await import(${JSON.stringify(`./${outRel}/main.js`)}); process.exitCode = await main(${JSON.stringify(argv)});`;
  return spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
}

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("prebuilt CLI", () => {
  it("is built at install and build time", () => {
    expect(pkg.scripts.prepare).toBe("node scripts/build-cli.mjs");
    expect(pkg.scripts.build).toContain("node scripts/build-cli.mjs");
  });

  it("compiles app/cli to JavaScript with the subcommands as separate chunks and a source manifest", () => {
    const r = spawnSync(process.execPath, ["scripts/build-cli.mjs", "--outdir", outRel], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const files = readdirSync(out);
    expect(files).toContain("main.js");
    for (const cmd of ["fit", "evaluate", "predict", "train"])
      expect(files.some((f) => f.startsWith(`${cmd}-`))).toBe(true);
    const main = readFileSync(path.join(out, "main.js"), "utf8");
    expect(main).not.toMatch(/from\s+["'][^"']+\.ts["']/);
    const manifest = JSON.parse(readFileSync(path.join(out, "inputs.json"), "utf8")) as { inputs: string[] };
    expect(manifest.inputs).toContain("app/cli/main.ts");
    expect(manifest.inputs.every((f) => existsSync(path.join(root, f)))).toBe(true);
  });

  it("--version and --help run from the build without a TypeScript loader", () => {
    const v = runBuilt(["--version"]);
    expect(v.status).toBe(0);
    expect(v.stdout).toBe(`horizon-clv ${pkg.version}\n`);
    const h = runBuilt(["--help"]);
    expect(h.stdout).toMatch(/^Usage: horizon-clv <command>/);
  });

  it("fits CDNOW with the same parameters as the sources", () => {
    const r = runBuilt(["fit", "--summary", CDNOW_SUMMARY, "--model", "bgnbd", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).params.r).toBeCloseTo(0.242593, 5);
  });

  it("the bin falls back to the sources through tsx when asked (or without a current build)", () => {
    const r = spawnSync(process.execPath, ["bin/horizon-clv.mjs", "--version"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, HORIZON_CLI_SOURCE: "1" },
      timeout: 60_000,
    });
    expect(r.stdout).toBe(`horizon-clv ${pkg.version}\n`);
  });
});
