// Preloaded (node --require) into the child processes a test starts while StrykerJS measures
// coverage (tools/testing/stryker-child.ts): on exit, writes the mutants the child's instrumented
// code executed to the file the test named, for the test to add to its own coverage.
const { writeFileSync } = require('fs');

const file = process.env.STRYKER_CHILD_COVERAGE_FILE;
if (file) {
  process.on('exit', () => {
    const coverage = globalThis.__stryker__?.mutantCoverage;
    if (coverage) writeFileSync(file, JSON.stringify(coverage));
  });
}
