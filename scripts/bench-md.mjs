// Turns bench/results/latest.json (written by `npm run bench`) into the Markdown tables quoted in
// BENCHMARKS.md. Usage: node scripts/bench-md.mjs [bench/results/latest.json]
import { readFileSync } from "node:fs";
const r = JSON.parse(readFileSync(process.argv[2] ?? "bench/results/latest.json", "utf8"));
const fmt = (v) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en-US") : String(Math.round(v * 1000) / 1000));
console.log(
  `Measured ${r.date.slice(0, 16).replace("T", " ")} UTC on ${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memGiB} GiB, Node ${r.machine.node}.\n`,
);
let suite = "";
for (const x of r.results) {
  if (x.suite !== suite) {
    suite = x.suite;
    console.log(`\n### ${suite}\n\n| measurement | value | goal | met | note |\n|---|---|---|---|---|`);
  }
  const met = x.pass === undefined ? "" : x.pass ? "yes" : "**no**";
  console.log(
    `| ${x.name} | ${fmt(x.value)} ${x.unit} | ${x.goal ?? ""} | ${met} | ${(x.note ?? "").replace(/\|/g, "/")} |`,
  );
}
