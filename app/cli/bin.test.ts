import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

/** End-to-end: the published bin runs the TypeScript CLI through tsx with no build step. */
describe("bin/horizon-clv.mjs", () => {
  it("runs fit as a separate process and exits 0 with one JSON object", () => {
    const r = spawnSync(
      process.execPath,
      [
        "bin/horizon-clv.mjs",
        "fit",
        "--summary",
        "test/fixtures/clv/cdnow_customers_summary.csv",
        "--model",
        "bgnbd",
        "--json",
      ],
      {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.model).toBe("bgnbd");
    expect(j.params.r).toBeCloseTo(0.242593, 5);
  });

  it("runs as `npx horizon-clv` from the project (package.json bin, no install step)", () => {
    const r = spawnSync("npx", ["--no-install", "horizon-clv", "--help"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 90_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: horizon-clv <command>/);
    expect(r.stdout).toMatch(/evaluate/);
  });

  it("exits 2 with a message on an unknown flag", () => {
    const r = spawnSync(process.execPath, ["bin/horizon-clv.mjs", "fit", "--bogus"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --bogus/);
  });
});
