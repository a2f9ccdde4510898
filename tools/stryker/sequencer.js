// jest testSequencer of mutation runs only (tools/stryker/config.mjs). A mutant's run stops at its
// first failure (first-failure-environment.js), so the files that failed last come first, then the
// fastest: a mutant is then usually killed by a short file before a slow one starts. jest's own
// order runs the slowest first, to keep parallel workers busy; StrykerJS runs jest in band. The
// order changes only how soon a run stops, never what a test sees: each file has fresh modules.
const Sequencer = require('@jest/test-sequencer').default;

class FailedThenFastestSequencer extends Sequencer {
  sort(tests) {
    const known = tests.map((test) => ({ test, failed: this.hasFailed(test), duration: this.time(test) ?? 0 }));
    known.sort((a, b) => (a.failed === b.failed ? a.duration - b.duration : a.failed ? -1 : 1));
    return known.map(({ test }) => test);
  }
}

module.exports = FailedThenFastestSequencer;
