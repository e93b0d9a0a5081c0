// Runs the dependency rules (scripts/check-deps.mjs, counted as one test), then the vitest
// suite, and closes with the plain line "N passed, N failed" that CI reads.
// Extra arguments are passed through to vitest (e.g. a file filter).
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

// The layer rules first: a violation is printed, counted as a failure and fails the run.
const deps = spawnSync(process.execPath, [join("scripts", "check-deps.mjs")], { stdio: "inherit" });
const depsOk = deps.status === 0;

const dir = mkdtempSync(join(tmpdir(), "glmkit-vitest-"));
const out = join(dir, "results.json");
const vitest = join("node_modules", "vitest", "vitest.mjs");
const run = spawnSync(
  process.execPath,
  [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(out, "utf8"));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
} catch (err) {
  failed = Math.max(1, failed);
  console.error(`could not read vitest results: ${err.message}`);
}
rmSync(dir, { recursive: true, force: true });
let code = run.status ?? 1;
if (code !== 0 && failed === 0) failed = 1;
if (depsOk) passed += 1;
else {
  failed += 1;
  console.error("dependency rules failed: see the violations above (npm run lint:deps)");
  if (code === 0) code = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(code);
