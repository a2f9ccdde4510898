// jest setupFilesAfterEnv of mutation test runs only (tools/stryker/config.mjs): gives the coverage of
// code that ran outside any test to the tests of the same file.
//
// StrykerJS's "perTest" coverage runs each mutant against the tests that executed it. Code that
// runs outside a test (a beforeAll that synthesizes an environment, a describe body, a child process
// started in a beforeAll) counts as "static", and StrykerJS runs a static mutant against every test
// of the run: 36 s a mutant for 606 of the seeder's 987, hours in all. But jest loads each test file
// with fresh modules, and our tests start their servers per file, so such code can only change what
// the tests of that file see: this moves it, before each test, from static to the test about to run
// (and every later test of the file). What runs after the file's last test starts stays static.
//
// It can only make a run miss a kill, never invent one: a mutant is killed only by a test that
// failed with it active. So a score is a lower bound, and each survivor is checked by a run of its
// lines alone without this file (CONTRIBUTING.md, "Mutation testing").
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
