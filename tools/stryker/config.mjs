// The StrykerJS configuration every mutation target shares (CONTRIBUTING.md, "Mutation testing").
// A target's stryker.config.mjs names what it mutates, which test files kill its mutants, and how
// its sandbox is built; `npx projen mutation:<target>` at the root runs it through tools/stryker/run.mjs.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * @param {object} target
 * @param {string} target.name        report file name: reports/mutation/<name>.html and .json
 * @param {string[]} target.mutate    globs of the sources to mutate, relative to the package
 * @param {string[]} target.testFiles the test files that run for each mutant, relative to the package
 * @param {string[]} [target.slowTestFiles] test files that join only with STRYKER_ALL_TESTS=1, in the
 *   second pass of tools/stryker/run.mjs; the target's config exports them too, as `slowTestFiles`
 * @param {string} target.tsconfigFile the tsconfig that type-checks the mutated sources
 * @param {string} [target.buildCommand] run once in the sandbox after the sources were instrumented
 * @param {string[]} [target.ignorePatterns] package folders the sandbox does not need
 * @param {number} [target.timeoutMS] added to each mutant's expected time before it counts as a timeout
 */
export function strykerConfig(target) {
  const jest = JSON.parse(readFileSync('package.json', 'utf8')).jest;
  return {
    packageManager: 'npm',
    testRunner: 'jest',
    checkers: ['typescript'],
    tsconfigFile: target.tsconfigFile,
    mutate: target.mutate,
    buildCommand: target.buildCommand,
    // Every test that executed a mutant in the initial run, and only those, runs for it. Coverage
    // outside tests (beforeAll, describe bodies) and in child processes is counted too (see
    // jest.config below and tools/testing/stryker-child.ts).
    coverageAnalysis: 'perTest',
    // Two cores: one jest worker per core. Each worker runs jest in band.
    concurrency: 2,
    // Mutants that make a test wait for something that never comes (a hang, a retry loop) time out
    // after their tests' usual time x 1.5 plus this; the machine is shared, so it is generous.
    timeoutFactor: 1.5,
    timeoutMS: target.timeoutMS ?? 15_000,
    dryRunTimeoutMinutes: 15,
    // Sandboxes in the root's .stryker-tmp/<sandbox>: two levels below the root, like the package
    // itself, so the tests' and jest config's "../../" paths to tools/ and node_modules/ hold.
    tempDirName: '../../.stryker-tmp',
    cleanTempDir: 'always',
    ignorePatterns: ['/dist', '/lib', '/coverage', '/test-reports', '/reports', '/cdk.out', '/.jsii', '/tsconfig.tsbuildinfo', ...(target.ignorePatterns ?? [])],
    jest: {
      projectType: 'custom',
      // The mutated code is run by child processes and synthesized apps, not imported by the test
      // file that checks it: find tests by coverage, not by imports.
      enableFindRelatedTests: false,
      config: {
        ...jest,
        testMatch: [...target.testFiles, ...(process.env.STRYKER_ALL_TESTS === '1' ? target.slowTestFiles ?? [] : [])].map((file) => `<rootDir>/${file}`),
        // A mutant's run stops at its first failing test, and files that failed last, then the
        // fastest, run first (tools/stryker/first-failure-environment.js, -runner.js, sequencer.js).
        testEnvironment: join(here, 'first-failure-environment.js'),
        runner: join(here, 'first-failure-runner.js'),
        testSequencer: join(here, 'sequencer.js'),
        // Coverage of code run outside a test goes to the tests of its file, unless
        // STRYKER_STATIC_COVERAGE=1 keeps StrykerJS's default (static: every test runs for it), the
        // way each survivor is checked (tools/stryker/out-of-test-coverage.js).
        setupFilesAfterEnv: [
          ...(jest.setupFilesAfterEnv ?? []),
          ...(process.env.STRYKER_STATIC_COVERAGE === '1' ? [] : [join(here, 'out-of-test-coverage.js')]),
        ],
        // jest's caches of this run stay in its temporary folder (tools/stryker/run.mjs), not in
        // node_modules/.cache: every sandbox has new paths, so nothing in them could be reused.
        cacheDirectory: resolve(process.env.TMPDIR ?? '../../.stryker-tmp', 'jest-cache'),
      },
    },
    // Each survivor as soon as it is known (survivor-log-reporter.mjs), then the reports of the whole run.
    appendPlugins: [join(here, 'survivor-log-reporter.mjs')],
    reporters: ['clear-text', 'progress', 'html', 'json', 'survivor-log'],
    clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
    htmlReporter: { fileName: `reports/mutation/${target.name}.html` },
    jsonReporter: { fileName: `reports/mutation/${target.name}.json` },
    // The goal is 90%: a run below it fails (and so does the weekly workflow).
    // A first pass without the slow test files (tools/stryker/run.mjs) is not judged: its survivors
    // run again with them.
    thresholds: { high: 90, low: 85, break: process.env.STRYKER_ALL_TESTS === '0' ? null : 90 },
  };
}
