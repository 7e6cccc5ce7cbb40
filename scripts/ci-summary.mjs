// Prints the closing line "N passed, N failed" from vitest's JSON report (skipped tests on the line before).
import { readFileSync, existsSync } from "node:fs";
const file = process.argv[2] ?? "test-results.json";
if (!existsSync(file)) {
  console.log("0 passed, 1 failed");
  console.error(`[ci] no test report at ${file}: the test runner did not finish`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, "utf8"));
const passed = r.numPassedTests ?? 0;
// A file that failed without a failed test (import error, hook failure) counts as one failure.
let brokenFiles = 0;
for (const suite of r.testResults ?? []) {
  if (suite.status === "failed" && !(suite.assertionResults ?? []).some((a) => a.status === "failed")) {
    brokenFiles++;
    console.error(`[ci] test file failed outside its tests: ${suite.name}: ${String(suite.message).slice(0, 500)}`);
  }
}
const failed = (r.numFailedTests ?? 0) + brokenFiles;
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
if (skipped) console.log(`[ci] ${skipped} skipped (provider-specific tests run in their own provider's suite)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
