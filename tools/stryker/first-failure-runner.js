// jest runner of mutation runs only (tools/stryker/config.mjs): jest's own runner, which does not even
// load a test file when none of its tests can run for the active mutant. Loading a file (its imports:
// aws-cdk-lib, the libraries) costs about half a second even when no test in it runs, and a mutant
// runs with every file of the target:
// - once a test has failed (first-failure-environment.js skips the tests not yet run), the files
//   that come after are not loaded;
// - StrykerJS runs only the tests that covered the mutant, by jest's testNamePattern. A file none of
//   whose tests the pattern matches is not loaded either. The names of each file's tests are taken
//   from StrykerJS's initial run, which runs every test with no mutant active (testNamesFile).
// Files not loaded are reported as skipped (skippedFile). Files run one at a time, as StrykerJS's
// jest runner runs them anyway (in band).
// Without an active mutant (StrykerJS's initial run, any plain jest run) this is jest's runner, and
// it only records the names of the tests it ran.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const TestRunner = require('jest-runner').default;
const { createEmptyTestResult } = require('@jest/test-result');
const { FAILED } = require('./first-failure-environment');

/** Where the initial run leaves the names of each file's tests: in the sandbox, which is the rootDir. */
function testNamesFile(globalConfig) {
  return join(globalConfig.rootDir, '.stryker-test-names.json');
}

/**
 * A file's result with one skipped test that stands for all of it. jest fails a file that reports
 * no test at all ("Your test suite must contain at least one test"), and StrykerJS counts a failed
 * file as an error, not a kill: with no test in it, a killed mutant was left out of the score.
 */
function skippedFile(testFilePath, why) {
  const title = `not run: ${why}`;
  return {
    ...createEmptyTestResult(),
    testFilePath,
    skipped: true,
    numPendingTests: 1,
    testResults: [{ ancestorTitles: [], fullName: title, title, status: 'pending', duration: 0, failureMessages: [], failureDetails: [], numPassingAsserts: 0, location: null }],
  };
}

class FirstFailureRunner extends TestRunner {
  #listeners = new Map();
  #testNames;

  on(eventName, listener) {
    this.#listeners.set(eventName, [...(this.#listeners.get(eventName) ?? []), listener]);
    return super.on(eventName, listener);
  }

  async runTests(tests, watcher, options) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutant === undefined) return this.#recordTestNames(() => super.runTests(tests, watcher, options));
    if (!options.serial) return super.runTests(tests, watcher, options);
    // A failure of an earlier run of the same mutant (StrykerJS runs a mutant again after a timeout)
    // does not stop this one.
    delete process[FAILED];
    for (const test of tests) {
      const why = this.#whyNotLoaded(test.path, mutant);
      if (why === undefined) {
        await super.runTests([test], watcher, options);
        continue;
      }
      await this.#emit('test-file-start', [test]);
      await this.#emit('test-file-success', [test, skippedFile(test.path, why)]);
    }
  }

  /** Runs the files, then writes the full names of their tests (the ones testNamePattern matches). */
  async #recordTestNames(run) {
    const names = {};
    const off = super.on('test-file-success', ([test, result]) => {
      names[test.path] = result.testResults.map((testResult) => testResult.fullName);
    });
    try {
      await run();
    } finally {
      off();
    }
    // A run that filters tests by name or ran no file does not know every name: it leaves the
    // names of the run before it (none: every file is loaded).
    if (this._globalConfig.testNamePattern || Object.keys(names).length === 0) return;
    writeFileSync(testNamesFile(this._globalConfig), JSON.stringify(names));
  }

  /** Why the file need not be loaded for the mutant, or undefined when it must be. */
  #whyNotLoaded(testPath, mutant) {
    if (process[FAILED] === mutant) return 'a test failed before this file';
    if (this.#noTestMatches(testPath)) return 'no test of this file covers the mutant';
    return undefined;
  }

  /** True when the initial run saw every test of the file and testNamePattern matches none of them. */
  #noTestMatches(testPath) {
    const pattern = this._globalConfig.testNamePattern;
    if (!pattern) return false;
    if (this.#testNames === undefined) {
      const file = testNamesFile(this._globalConfig);
      this.#testNames = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
    }
    const names = this.#testNames[testPath];
    if (names === undefined) return false;
    // jest-circus matches the pattern the same way: case-insensitive, against each test's full name.
    const matcher = new RegExp(pattern, 'i');
    return !names.some((name) => matcher.test(name));
  }

  async #emit(eventName, args) {
    for (const listener of this.#listeners.get(eventName) ?? []) await listener(args);
  }
}

module.exports = FirstFailureRunner;
