// Runs StrykerJS in the current package (`npx projen mutation:<target>` at the root), with every
// temporary file of the run in the root's .stryker-tmp/ and nothing left behind: the tests' own
// TMPDIR folders and jest's caches go to .stryker-tmp/run-<pid>, which is removed at the end
// whatever the outcome (StrykerJS removes its sandbox itself; its test workers may be killed on a
// timeout before jest cleans up). Arguments are passed on to `stryker run`.
//
// Every run is in StrykerJS's incremental mode, with reports/mutation/<target>-incremental.json.
// It starts from nothing, unless STRYKER_RESUME=1: then it adds to the results of the runs before
// it (StrykerJS keeps the results of files outside --mutate), reusing a result only when its rules
// allow (below). That is how a whole run too long for one sitting is made of runs of some files,
// all at one commit: StrykerJS compares the code and the tests, not the libraries the tests import.
//
// A target whose stryker.config.mjs exports `slowTestFiles` runs in two passes:
//   1. every mutant against the target's fast test files (its score is not judged);
//   2. the same mutants with the slow files too (STRYKER_ALL_TESTS=1). StrykerJS reuses a mutant's
//      result only when its rules allow (core/dist/src/mutants/incremental-differ.js): a killed mutant
//      whose killing test is unchanged, and a surviving or timed-out one that no added test covers.
//      Every other mutant, each survivor of pass 1 that a slow test covers among them, runs again
//      against all the tests that cover it. Pass 2's report is the score of the whole suite.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const tempRoot = join(root, '.stryker-tmp');
const temp = join(tempRoot, `run-${process.pid}`);
mkdirSync(temp, { recursive: true });
// StrykerJS removes its sandbox when a run ends, but not when the run is interrupted (Ctrl-C): then
// the sandboxes that appeared in .stryker-tmp since this run started are removed below (two runs
// in one checkout at once are not supported: an interrupted one could remove the other's).
const before = new Set(readdirSync(tempRoot));

const stryker = join(dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');
const target = await import(pathToFileURL(resolve('stryker.config.mjs')).href);
const config = target.default;
const incrementalFile = config.jsonReporter.fileName.replace(/\.json$/, '-incremental.json');
const passes = target.slowTestFiles?.length
  ? [
    { label: 'fast test files only', env: { STRYKER_ALL_TESTS: '0' } },
    { label: 'every test file', env: { STRYKER_ALL_TESTS: '1' } },
  ]
  : [{ label: 'every test file', env: {} }];
if (process.env.STRYKER_RESUME === '1') console.log(`mutation testing adds to the results in ${incrementalFile}`);
else rmSync(incrementalFile, { force: true });

const started = Date.now();
let child;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    child?.kill(signal);
  });
}
let code = 0;
for (const [i, pass] of passes.entries()) {
  if (passes.length > 1) console.log(`mutation testing, pass ${i + 1} of ${passes.length}: ${pass.label}`);
  child = spawn(process.execPath, [stryker, 'run', '--incremental', '--incrementalFile', incrementalFile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...pass.env, TMPDIR: temp },
  });
  const [exit, signal] = await new Promise((done) => child.on('exit', (...result) => done(result)));
  code = exit ?? (signal ? 1 : 0);
  if (interrupted || (code !== 0 && i < passes.length - 1)) break;
}

rmSync(temp, { recursive: true, force: true });
if (interrupted) {
  for (const entry of readdirSync(tempRoot)) {
    if (entry.startsWith('sandbox-') && !before.has(entry)) rmSync(join(tempRoot, entry), { recursive: true, force: true });
  }
}
try {
  if (readdirSync(tempRoot).length === 0) rmdirSync(tempRoot);
} catch {
  // another run still uses it, or it is gone already
}
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`mutation testing of ${process.cwd()} took ${minutes} min`);
process.exit(interrupted ? 1 : code);
