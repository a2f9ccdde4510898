/** Runs the bundled seeder, assets/seeder/index.js, as a child process the way the Job does. */
import { ChildProcess, spawn } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { strykerChild } from '../../../../tools/testing/stryker-child';

export const SEEDER = join(__dirname, '..', '..', 'assets', 'seeder', 'index.js');

export interface SeederRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed line by line; a line that is not JSON fails the run. */
  readonly logs: Array<Record<string, unknown>>;
}

export interface StartedSeeder {
  readonly child: ChildProcess;
  readonly done: Promise<SeederRun>;
  /**
   * Resolves once the seeder has logged a line with this `msg`; rejects if it exits first. Tests that
   * change the world under a running seeder wait for this instead of a fixed time, whose margin the
   * seeder's growing retry delay and a loaded machine can both eat.
   */
  logged(msg: string): Promise<void>;
}

/** Short timeouts so that failure paths finish in seconds. The test's own AWS settings never leak in. */
const BASE_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_ACCESS_KEY_ID: 'seeder-test',
  AWS_SECRET_ACCESS_KEY: 'seeder-test-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
  SEED_RETRY_DELAY_MS: '100',
  SEED_MAX_ATTEMPTS: '3',
  SEED_BACKEND_TIMEOUT_SECONDS: '20',
  SEED_IDLE_TIMEOUT_SECONDS: '2',
};

export function startSeeder(env: Record<string, string | undefined>): StartedSeeder {
  if (!existsSync(SEEDER)) throw new Error(`${SEEDER} is missing: run "npx projen compile" first`);
  // Under mutation testing the child runs the active mutant and reports its coverage (tools/testing/stryker-child.ts).
  const stryker = strykerChild();
  const vars = { ...BASE_ENV, ...env, ...stryker.env };
  const merged = Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const child = spawn(process.execPath, [SEEDER], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ msg: string; resolve: () => void }> = [];
  const seen = (msg: string) => stdout.split('\n').slice(0, -1).some((line) => line.includes(`"msg":${JSON.stringify(msg)}`));
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    for (const waiter of waiters.filter((w) => seen(w.msg))) waiter.resolve();
  });
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  const done = new Promise<SeederRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      stryker.done();
      try {
        const logs = stdout.split('\n').filter((line) => line !== '').map((line) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            throw new Error(`seeder wrote a line to stdout that is not JSON: ${line}`);
          }
        });
        resolve({ code, stdout, stderr, logs });
      } catch (err) {
        reject(err);
      }
    });
  });
  const logged = (msg: string) => new Promise<void>((resolve, reject) => {
    if (seen(msg)) return resolve();
    waiters.push({ msg, resolve });
    child.on('close', (code) => reject(new Error(`the seeder exited (${code}) before it logged "${msg}"; stdout:\n${stdout}`)));
  });
  return { child, done, logged };
}

export async function runSeeder(env: Record<string, string | undefined>): Promise<SeederRun> {
  return startSeeder(env).done;
}
