/**
 * Child processes under mutation testing (StrykerJS; CONTRIBUTING.md, "Mutation testing").
 *
 * StrykerJS switches mutants on at run time: the instrumented code runs the mutant whose id is in
 * `__STRYKER_ACTIVE_MUTANT__` (the jest runner sets it in the test process for each mutant). A test
 * that runs instrumented code in a child process with an environment of its own (the seeder's
 * bundle, built from the instrumented sources in StrykerJS's sandbox) passes `strykerChild().env`
 * into that environment, so the child runs the same mutant. While StrykerJS measures which test
 * covers which mutant (its initial run), the child also writes what it executed on exit
 * (tools/stryker/child-coverage.js), and `done()` adds that to the test that started the child (a
 * child started outside a test counts as static coverage: tools/stryker/out-of-test-coverage.js
 * gives it to the tests of its file).
 * Outside StrykerJS `env` is empty and `done()` does nothing.
 */
import { existsSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';
const PRELOAD = join(__dirname, '..', 'stryker', 'child-coverage.js');

type Hits = Record<string, number>;
interface MutantCoverage {
  static: Hits;
  perTest: Record<string, Hits>;
}
interface InstrumenterContext {
  currentTestId?: string;
  mutantCoverage?: MutantCoverage;
}

export interface StrykerChild {
  /** Variables to add to the child's environment. */
  readonly env: Record<string, string>;
  /** Call once the child has exited. */
  done(): void;
}

let children = 0;

export function strykerChild(): StrykerChild {
  const mutant = process.env[ACTIVE_MUTANT];
  if (mutant !== undefined) return { env: { [ACTIVE_MUTANT]: mutant }, done: () => undefined };
  const global = globalThis as Record<string, unknown>;
  const name = global.__strykerGlobalNamespace__;
  const context = typeof name === 'string' ? global[name] as InstrumenterContext | undefined : undefined;
  if (context === undefined) return { env: {}, done: () => undefined };
  // StrykerJS's initial run: bring back what the child covered.
  const test = context.currentTestId;
  const file = join(tmpdir(), `stryker-child-${process.pid}-${++children}.json`);
  return {
    env: { STRYKER_CHILD_COVERAGE_FILE: file, NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD)}` },
    done: () => {
      if (!existsSync(file)) return;
      const child = JSON.parse(readFileSync(file, 'utf8')) as MutantCoverage;
      rmSync(file, { force: true });
      const coverage = context.mutantCoverage ??= { static: {}, perTest: {} };
      const target = test === undefined ? coverage.static : (coverage.perTest[test] ??= {});
      for (const hits of [child.static, ...Object.values(child.perTest)]) {
        for (const [id, count] of Object.entries(hits)) target[id] = (target[id] ?? 0) + count;
      }
    },
  };
}
