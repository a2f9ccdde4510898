// jest testEnvironment of mutation test runs only (tools/stryker/config.mjs): Node's environment that
// stops a run at its first failure while a mutant is active.
//
// StrykerJS runs every test that covers a mutant in one jest run, and jest itself cannot stop at the
// first failure (StrykerJS overrides `bail`, which jest only honours between files). One failed test
// already kills the mutant, so once a test (or a hook) fails, every test not yet run in this file
// and in the files after it is marked skipped: jest then runs none of them and none of their
// beforeAll hooks. afterAll hooks of blocks already started still run, so servers are stopped.
// Without an active mutant (the initial test run, or a plain jest run) this is Node's environment.
const { TestEnvironment } = require('jest-environment-node');

// The files of one run share this module (jest requires the environment once per process); the
// mutant's id keeps one mutant's failure from skipping the next mutant's tests.
let failedMutant;

function skipAll(block) {
  for (const child of block.children) {
    if (child.type === 'describeBlock') skipAll(child);
    else if (child.status == null) child.mode = 'skip';
  }
}

class BailOnMutantEnvironment extends TestEnvironment {
  async handleTestEvent(event, state) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    if (mutant === undefined) return;
    const failed = (event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure';
    if (failed) failedMutant = mutant;
    if (failedMutant === mutant && (failed || event.name === 'run_start')) skipAll(state.rootDescribeBlock);
  }
}

module.exports = BailOnMutantEnvironment;
