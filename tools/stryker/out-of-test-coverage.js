// jest setupFilesAfterEnv of mutation test runs only (tools/stryker/config.mjs): gives the coverage of
// code that ran outside any test to the tests of the same file.
//
// StrykerJS's "perTest" coverage runs each mutant against the tests that executed it. Code that
// runs outside a test (a beforeAll that synthesizes every environment once, a describe body, a
// child process started in a beforeAll) counts as "static", and StrykerJS runs a static mutant
// against every test of the run. But jest loads each test file with fresh modules, so such code
// can only change what the tests of that file see: this moves it, before each test, from static to
// the test about to run. What ran before this file started stays static (StrykerJS's safe default).
const namespace = globalThis[globalThis.__strykerGlobalNamespace__ ?? '__stryker__'];
const baseline = { ...namespace?.mutantCoverage?.static };
const outsideTests = new Set();

beforeEach(() => {
  const coverage = namespace?.mutantCoverage;
  const test = namespace?.currentTestId;
  if (coverage === undefined || test === undefined) return;
  for (const [id, hits] of Object.entries(coverage.static)) {
    if (hits <= (baseline[id] ?? 0)) continue;
    outsideTests.add(id);
    if (baseline[id]) coverage.static[id] = baseline[id];
    else delete coverage.static[id];
  }
  const covered = (coverage.perTest[test] ??= {});
  for (const id of outsideTests) covered[id] = (covered[id] ?? 0) + 1;
});
