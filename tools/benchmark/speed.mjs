#!/usr/bin/env node
// Speed benchmark (not a test): prints, in one run, the figures CONTRIBUTING.md's "Speed" reports.
//
//   node tools/benchmark/speed.mjs            main job and edit loops (about 6 minutes on 2 cores)
//   node tools/benchmark/speed.mjs ci         also a fresh clone's .ci/run, phase by phase (15+ minutes)
//   node tools/benchmark/speed.mjs main       only the main job against plain aws-eks-v2
//
// - main: the warm main job (`npx projen main`, three environments, and `npx projen main prod`),
//   against a plain aws-cdk-lib aws-eks-v2 synthesis of the same prod workload
//   (apps/reference/benchmark/plain-eks-v2.ts), both run as compiled JavaScript; median of 3, wall
//   time and peak RSS of the whole process tree (GNU time).
// - edit: each package's `npx projen build` after a one-line change to its src/index.ts (a comment,
//   restored afterwards), the loop a contributor waits for.
// - ci: `CI=true bash .ci/run` in a fresh clone of HEAD (its own `ci phase:` lines).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP = join(ROOT, 'apps', 'reference');
const PACKAGES = ['packages/network', 'packages/cluster', 'packages/minio', 'packages/s3www'];
const sections = process.argv.slice(2);
const wants = (name) => (sections.length === 0 ? name !== 'ci' : sections.includes(name));

/** Runs a command under GNU time; wall seconds and the peak RSS (MiB) of its largest process. */
function measure(command, args, cwd, env = {}) {
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', command, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 512 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${run.stdout}\n${run.stderr}`);
  const [, seconds, kib] = run.stderr.match(/TIME ([\d.]+) (\d+)\s*$/);
  return { seconds: Number(seconds), rssMiB: Number(kib) / 1024, stdout: run.stdout };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function medianOf(runs, fn) {
  const samples = Array.from({ length: runs }, fn);
  return { seconds: median(samples.map((s) => s.seconds)), rssMiB: median(samples.map((s) => s.rssMiB)) };
}
const fmt = (m) => `${m.seconds.toFixed(1)} s, ${m.rssMiB.toFixed(0)} MiB`;

console.log(`s3www-eks speed, ${new Date().toISOString()}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log('');

if (wants('main')) {
  // Compile what changed first, so that the runs below are the warm main job.
  execFileSync('node', ['tools/compile-if-changed.js', ...PACKAGES, 'apps/reference'], { cwd: ROOT, stdio: 'inherit' });
  const all = medianOf(3, () => measure('npx', ['projen', 'main'], ROOT));
  const prod = medianOf(3, () => measure('npx', ['projen', 'main', 'prod'], ROOT));
  // The plain stack is TypeScript in the app's benchmark folder: bundled once (esbuild, packages
  // left external) so that it runs as JavaScript, like the compiled main job. The bundle sits one
  // folder below the app, where the app's sources expect their own files (cdk.context.json) and
  // Node finds the workspace's packages.
  const scratch = join(APP, '.speed-benchmark');
  rmSync(scratch, { recursive: true, force: true });
  try {
    const plainJs = join(scratch, 'synth-one.js');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'esbuild'), [join(APP, 'benchmark', 'synth-one.ts'), '--bundle', '--platform=node',
      '--packages=external', `--outfile=${plainJs}`, '--log-level=warning'], { cwd: APP, stdio: 'inherit' });
    const plain = medianOf(3, (_, i) => measure('node', [plainJs, 'plain', join(scratch, `plain-${i}-${Math.random()}`)], APP, { CDK_VALIDATION: 'false' }));
    console.log('| main job | wall time, peak RSS (median of 3) |');
    console.log('|---|---|');
    console.log(`| \`npx projen main\` (dev, staging, prod) | ${fmt(all)} |`);
    console.log(`| \`npx projen main prod\` | ${fmt(prod)} |`);
    console.log(`| plain aws-eks-v2, same prod workload, one synthesis | ${fmt(plain)} |`);
    console.log(`| ratio main job prod / plain | ${(prod.seconds / plain.seconds).toFixed(2)}x time, ${(prod.rssMiB / plain.rssMiB).toFixed(2)}x memory |`);
    console.log('');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (wants('edit')) {
  console.log('| edit loop: one-line change, then | wall time, peak RSS |');
  console.log('|---|---|');
  for (const pkg of PACKAGES) {
    const file = join(ROOT, pkg, 'src', 'index.ts');
    const original = readFileSync(file);
    try {
      appendFileSync(file, '// speed benchmark edit\n');
      console.log(`| \`cd ${pkg} && npx projen build\` | ${fmt(measure('npx', ['projen', 'build'], join(ROOT, pkg)))} |`);
    } finally {
      writeFileSync(file, original);
    }
  }
  // The restored sources differ from the last compile's record: compile once more so the
  // packages are as the benchmark found them.
  execFileSync('node', ['tools/compile-if-changed.js', ...PACKAGES], { cwd: ROOT, stdio: 'ignore' });
  console.log(`| \`cd apps/reference && npx projen test\` | ${fmt(measure('npx', ['projen', 'test'], APP))} |`);
  console.log('');
}

if (wants('ci')) {
  const scratch = mkdtempSync(join(tmpdir(), 'speed-ci-'));
  try {
    const clone = join(scratch, 'clone');
    execFileSync('git', ['clone', '-q', ROOT, clone]);
    const run = measure('bash', ['.ci/run'], clone, { CI: 'true' });
    console.log('| .ci/run phase (fresh clone of HEAD) | wall time |');
    console.log('|---|---|');
    for (const [, name, seconds] of run.stdout.matchAll(/^ci phase: (.+): (\d+) s$/gm)) console.log(`| ${name} | ${seconds} s |`);
    console.log(`| total | ${run.seconds.toFixed(0)} s (peak RSS ${run.rssMiB.toFixed(0)} MiB) |`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
