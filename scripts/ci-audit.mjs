// Supply-chain gate: `npm audit --omit=dev`, failing on high/critical advisories that have a fix.
// When the registry's audit endpoint is unavailable (some mirrors answer 405), say so and pass:
// the gate cannot be evaluated, which is reported, not hidden.
import { spawnSync } from "node:child_process";
const res = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8", timeout: 120_000 });
let report;
try {
  report = JSON.parse(res.stdout || "{}");
} catch {
  report = {};
}
if (!report.vulnerabilities) {
  const why = (res.stderr || "").split("\n").find((l) => /error|warn/i.test(l)) ?? "no report";
  console.log(`[ci] npm audit unavailable here (${why.trim()}); supply-chain gate skipped`);
  process.exit(0);
}
const blocking = Object.entries(report.vulnerabilities).filter(
  ([, v]) => (v.severity === "high" || v.severity === "critical") && v.fixAvailable,
);
for (const [name, v] of blocking) console.log(`[ci] ${v.severity} advisory with a fix available: ${name}`);
const counts = report.metadata?.vulnerabilities ?? {};
console.log(`[ci] npm audit: ${JSON.stringify(counts)}; blocking: ${blocking.length}`);
process.exit(blocking.length > 0 ? 1 : 0);
