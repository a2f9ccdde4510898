// Runs StrykerJS in the current package (`npx projen mutation:<target>` at the root), with every
// temporary file of the run in the root's .stryker-tmp/ and nothing left behind: the tests' own
// TMPDIR folders and jest's caches go to .stryker-tmp/run-<pid>, which is removed at the end
// whatever the outcome (StrykerJS removes its sandbox itself; its test workers may be killed on a
// timeout before jest cleans up). Arguments are passed on to `stryker run`.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const tempRoot = join(root, '.stryker-tmp');
const temp = join(tempRoot, `run-${process.pid}`);
mkdirSync(temp, { recursive: true });
// StrykerJS removes its sandbox when a run ends, but not when the run is interrupted (Ctrl-C): then
// the sandboxes that appeared in .stryker-tmp since this run started are removed below (two runs
// in one checkout at once are not supported: an interrupted one could remove the other's).
const before = new Set(readdirSync(tempRoot));

const stryker = join(dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');
const started = Date.now();
const child = spawn(process.execPath, [stryker, 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: temp },
});
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
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
  process.exit(code ?? (signal ? 1 : 0));
});
