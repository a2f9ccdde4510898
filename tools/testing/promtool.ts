/**
 * Runs the real `promtool` (Prometheus' own rule parser and rule-test engine), for the alert rules
 * and dashboard queries the cdk8s libraries emit. Debian: `apt-get install prometheus`; the
 * PROMTOOL environment variable names another binary.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const BINARY = process.env.PROMTOOL ?? 'promtool';

/** Runs `promtool <args>` in `dir` and returns its output; throws with the output when it fails or is missing. */
export function promtoolIn(dir: string, ...args: string[]): string {
  const run = spawnSync(BINARY, args, { cwd: dir, encoding: 'utf8' });
  if (run.error) throw new Error(`${BINARY} is needed for this test (${run.error.message}); on Debian: apt-get install prometheus`);
  const output = run.stdout + run.stderr;
  if (run.status !== 0) throw new Error(`promtool ${args.join(' ')} exited with ${run.status}:\n${output}`);
  return output;
}

/**
 * Writes `files` (objects, as JSON, which YAML readers accept) to a fresh temporary folder, runs
 * `promtool <args>` next to them and returns its output.
 */
export function runPromtool(files: Record<string, unknown>, ...args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
    return promtoolIn(dir, ...args);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
