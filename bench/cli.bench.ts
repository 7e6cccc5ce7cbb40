/**
 * Whole-process start-up of the CLI as a user runs it (`node bin/horizon-clv.mjs …`, what `npx
 * horizon-clv` executes): `--help` and a CDNOW BG/NBD fit, prebuilt (dist/cli, scripts/build-cli.mjs)
 * and from the TypeScript sources through tsx (HORIZON_CLI_SOURCE=1), beside a bare `node -e 0`.
 * Median wall time of several runs. Goal: `--help` ≤ 500 ms.
 * Run: npm run bench -- cli
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./run";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FIT = ["fit", "--summary", "test/fixtures/clv/cdnow_customers_summary.csv", "--model", "bgnbd", "--json"];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time (ms) of `node <args>` run `n` times; throws if a run fails. */
function timeProcess(args: string[], n: number, env: Record<string, string> = {}): number {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  return median(times);
}

export async function run(): Promise<BenchResult[]> {
  const build = spawnSync(process.execPath, ["scripts/build-cli.mjs"], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build-cli failed: ${build.stderr}`);
  const load = () => `load avg ${loadavg()[0]!.toFixed(1)} on 2 cores`;
  const bare = timeProcess(["-e", "0"], 11);
  const help = timeProcess(["bin/horizon-clv.mjs", "--help"], 15);
  const helpNote = `median of 15; bare node -e 0: ${bare.toFixed(0)} ms; ${load()}`;
  const fit = timeProcess(["bin/horizon-clv.mjs", ...FIT], 7);
  const fitNote = `fit --model bgnbd on 2,357 customers, median of 7; ${load()}`;
  const helpTsx = timeProcess(["bin/horizon-clv.mjs", "--help"], 5, { HORIZON_CLI_SOURCE: "1" });
  const fitTsx = timeProcess(["bin/horizon-clv.mjs", ...FIT], 5, { HORIZON_CLI_SOURCE: "1" });
  return [
    {
      name: "cli: horizon-clv --help, whole process (prebuilt)",
      value: help,
      unit: "ms",
      goal: "<= 500",
      pass: help <= 500,
      note: helpNote,
    },
    { name: "cli: horizon-clv fit CDNOW BG/NBD, whole process (prebuilt)", value: fit, unit: "ms", note: fitNote },
    {
      name: "cli: --help through tsx (source checkout, no build)",
      value: helpTsx,
      unit: "ms",
      note: `median of 5; ${load()}`,
    },
    {
      name: "cli: fit CDNOW through tsx (source checkout, no build)",
      value: fitTsx,
      unit: "ms",
      note: `median of 5; ${load()}`,
    },
  ];
}
