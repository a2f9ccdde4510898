// jest testEnvironment of mutation runs only (tools/stryker/config.mjs): Node's environment, which
// stops a mutant's run once one of its tests has failed.
//
// StrykerJS runs every test that covers a mutant in one jest run, and jest cannot stop at the first
// failure (StrykerJS's jest runner overrides `bail`, which jest honours only between files anyway).
// One failed test kills the mutant, so what runs after it only costs time:
// - once a test has failed, the tests of this file not yet run are marked skipped;
// - every file that starts after that is skipped whole, its beforeAll hooks included (and
//   first-failure-runner.js does not even load it).
// A test is never skipped once it carries an error. An earlier version (removed in c5e6ae1) also
// skipped on a failing beforeAll: but jest records that failure on each test under the hook, and
// skipping those tests turned the failure into a pass, a killed mutant into a survivor. Here a
// failing hook only skips the files after this one; its tests report the failure.
// Without an active mutant (StrykerJS's initial run, any plain jest run) nothing is skipped.
const { TestEnvironment } = require('jest-environment-node');

// The files of one jest run share this module (jest requires the environment once per process).
// The mutant's id keeps one mutant's failure from skipping the next mutant's tests.
const FAILED = Symbol.for('s3www-eks.stryker.failedMutant');

function skipNotRun(block) {
  for (const child of block.children) {
    if (child.type === 'describeBlock') skipNotRun(child);
    else if (child.status == null && child.errors.length === 0) child.mode = 'skip';
  }
}

class FirstFailureEnvironment extends TestEnvironment {
  async handleTestEvent(event, state) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutant === undefined) return;
    if (event.name === 'hook_failure') process[FAILED] = mutant;
    if (event.name === 'test_done' && event.test.errors.length > 0) {
      process[FAILED] = mutant;
      skipNotRun(state.rootDescribeBlock);
    }
    if (event.name === 'run_start' && process[FAILED] === mutant) skipNotRun(state.rootDescribeBlock);
  }
}

module.exports = FirstFailureEnvironment;
module.exports.FAILED = FAILED;
