/**
 * `npm run bench`: runs every bench/*.bench.ts suite, prints a table and writes
 * bench/results/latest.json. BENCHMARKS.md quotes these figures with command, machine and date.
 * Usage: npm run bench [-- <suite-name-substring> ...]
 */
import { readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The goal, e.g. "<= 1000 ms". */
  goal?: string;
  /** Whether the goal is met (undefined when no goal). */
  pass?: boolean;
  note?: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const suites = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

const all: Array<BenchResult & { suite: string }> = [];
for (const file of suites) {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { run: () => Promise<BenchResult[]> };
  const suite = file.replace(/\.bench\.ts$/, "");
  console.log(`\n## ${suite}`);
  for (const r of await mod.run()) {
    all.push({ suite, ...r });
    const flag = r.pass === undefined ? "" : r.pass ? "  PASS" : "  MISS";
    console.log(
      `${r.name.padEnd(60)} ${String(round(r.value)).padStart(12)} ${r.unit.padEnd(8)} ${r.goal ?? ""}${flag}${r.note ? `  (${r.note})` : ""}`,
    );
  }
}
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
mkdirSync(path.join(here, "results"), { recursive: true });
writeFileSync(
  path.join(here, "results", "latest.json"),
  JSON.stringify({ date: new Date().toISOString(), machine, results: all }, null, 2),
);
console.log(`\nmachine: ${JSON.stringify(machine)}`);

function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000;
}
