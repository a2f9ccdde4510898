// jest runner of mutation runs only (tools/stryker/config.mjs): jest's own runner, which does not even
// load the test files left once a test failed while a mutant is active. first-failure-environment.js
// skips the tests not yet run; loading each file that comes after (its imports: aws-cdk-lib, the
// libraries) still cost seconds a file. Those files are reported as skipped (skippedFile). Files run
// one at a time, as StrykerJS's jest runner runs them anyway (in band).
// Without an active mutant (StrykerJS's initial run, any plain jest run) this is jest's runner.
const TestRunner = require('jest-runner').default;
const { createEmptyTestResult } = require('@jest/test-result');
const { FAILED } = require('./first-failure-environment');

/**
 * A file's result with one skipped test that stands for all of it. jest fails a file that reports
 * no test at all ("Your test suite must contain at least one test"), and StrykerJS counts a failed
 * file as an error, not a kill: with no test in it, a killed mutant was left out of the score.
 */
function skippedFile(testFilePath) {
  const title = 'not run: a test failed before this file';
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

  on(eventName, listener) {
    this.#listeners.set(eventName, [...(this.#listeners.get(eventName) ?? []), listener]);
    return super.on(eventName, listener);
  }

  async runTests(tests, watcher, options) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutant === undefined || !options.serial) return super.runTests(tests, watcher, options);
    for (const test of tests) {
      if (process[FAILED] !== mutant) {
        await super.runTests([test], watcher, options);
        continue;
      }
      await this.#emit('test-file-start', [test]);
      await this.#emit('test-file-success', [test, skippedFile(test.path)]);
    }
  }

  async #emit(eventName, args) {
    for (const listener of this.#listeners.get(eventName) ?? []) await listener(args);
  }
}

module.exports = FirstFailureRunner;
