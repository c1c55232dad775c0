'use strict';
// Prints jest's totals as one plain closing line ("tests: N passed, N failed") for CI to read.
// Several result files (e.g. the main run and the scenarios run again in a later year) add up.
const fs = require('node:fs');
const files = process.argv.slice(2);
let [passed, failed, pending, total] = [0, 0, 0, 0];
for (const file of files) {
  if (!fs.existsSync(file)) {
    failed++;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
  pending += r.numPendingTests;
  if (r.numTotalTests === 0) failed++;
  total += r.numTotalTests;
}
if (files.length === 0) failed++;
const line = `tests: ${passed} passed, ${failed} failed`;
console.log(pending ? `${line}, ${pending} skipped` : line);
process.exit(failed > 0 || total === 0 ? 1 : 0);
