// Prints the closing line "N passed, N failed" from vitest's JSON reports (one per Node version run;
// each report's own line and skipped tests on the lines before).
import { readFileSync, existsSync } from "node:fs";
const files = process.argv.length > 2 ? process.argv.slice(2) : ["test-results.json"];
let passed = 0;
let failed = 0;
let emptyRun = false;
for (const file of files) {
  if (!existsSync(file)) {
    failed++;
    console.error(`[ci] no test report at ${file}: the test runner did not finish`);
    continue;
  }
  const r = JSON.parse(readFileSync(file, "utf8"));
  const p = r.numPassedTests ?? 0;
  // A file that failed without a failed test (import error, hook failure) counts as one failure.
  let brokenFiles = 0;
  for (const suite of r.testResults ?? []) {
    if (suite.status === "failed" && !(suite.assertionResults ?? []).some((a) => a.status === "failed")) {
      brokenFiles++;
      console.error(
        `[ci] ${file}: test file failed outside its tests: ${suite.name}: ${String(suite.message).slice(0, 500)}`,
      );
    }
  }
  const f = (r.numFailedTests ?? 0) + brokenFiles;
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  if (skipped)
    console.log(`[ci] ${file}: ${skipped} skipped (provider-specific tests run in their own provider's suite)`);
  if (files.length > 1) console.log(`[ci] ${file}: ${p} passed, ${f} failed`);
  if (p === 0) emptyRun = true;
  passed += p;
  failed += f;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || emptyRun ? 1 : 0);
