// jest testSequencer of mutation test runs only (tools/stryker/config.mjs). With the run stopping
// at its first failure (jest-environment.js), files that failed last time come first, then the
// fastest: a mutant is then usually killed by a short file before a slow one starts. (jest's own
// order runs the slowest first, to keep parallel workers busy; StrykerJS runs jest in band.)
const Sequencer = require('@jest/test-sequencer').default;

class FastestFirstSequencer extends Sequencer {
  sort(tests) {
    for (const test of tests) test.duration = this.time(test);
    return [...tests].sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      return (a.duration ?? 0) - (b.duration ?? 0);
    });
  }
}

module.exports = FastestFirstSequencer;
