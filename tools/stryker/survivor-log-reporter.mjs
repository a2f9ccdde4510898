// StrykerJS reporter of mutation runs (tools/stryker/config.mjs): appends each mutant that survived or
// that no test covers to reports/mutation/<target>-survivors.log as soon as it is known. A run of
// the reference app takes about an hour, and StrykerJS's own reports are written only at its end: with
// this log, tests for the first survivors can be written while the run goes on. The log is started
// afresh by each run; the JSON report at the end remains the record.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { commonTokens, declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

const LEFT = new Set(['Survived', 'NoCoverage']);

class SurvivorLogReporter {
  static inject = [commonTokens.options];

  constructor(options) {
    this.file = options.jsonReporter.fileName.replace(/\.json$/, '-survivors.log');
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, '');
  }

  onMutantTested(result) {
    if (!LEFT.has(result.status)) return;
    // A reporter's location counts lines and columns from 1, as in the JSON report
    const { line, column } = result.location.start;
    const replacement = (result.replacement ?? '').replace(/\s+/g, ' ').slice(0, 120);
    appendFileSync(this.file, `${result.status} ${result.fileName}:${line}:${column} ${result.mutatorName}: ${replacement}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'survivor-log', SurvivorLogReporter)];
