#!/usr/bin/env node
// Benchmark of the content seeder against the real MinIO server (not a test): a generated source
// (1 GiB by default) served from loopback is seeded into a standalone MinIO built by
// tools/programs/build.js, with the seeder run as the Job runs it (its Node.js flags), and the same
// bytes are uploaded from a file by `mc cp` and by `aws s3 cp` to the same server, in the same run.
// Each contender writes a new object (the previous one is removed first, so the seeder's
// unchanged-content check never applies); the order rotates from round to round; medians are
// reported with each process's peak RSS (VmHWM).
//
//   [SEED_QUEUE_SIZE=n SEED_PART_SIZE_MIB=n BENCH_NODE_FLAGS=...] node benchmark/seeder-minio.mjs [--size-mib 1024] [--rounds 3] [--json]
//
// Needs `node tools/programs/build.js minio mc`, awscli on PATH and a built package (npx projen compile).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const JOB_NODE_FLAGS = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? require('../lib/seeder-job.js').SEEDER_NODE_FLAGS;
const SEEDER = join(here, '..', 'assets', 'seeder', 'index.js');
const programs = require('../../../tools/programs/build.js');
const MIB = 1024 * 1024;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SIZE = option('size-mib', 1024) * MIB;
const ROUNDS = option('rounds', 3);
const JSON_OUTPUT = args.includes('--json');

if (!existsSync(SEEDER)) throw new Error(`${SEEDER} is missing: run "npx projen compile" first`);

/** A 1 MiB block of pseudo-random bytes, repeated. */
const BLOCK = (() => {
  const block = Buffer.alloc(MIB);
  let x = 0x9e3779b9;
  for (let i = 0; i < block.length; i += 4) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    block.writeUInt32LE(x >>> 0, i);
  }
  return block;
})();

function* chunks(size) {
  for (let sent = 0; sent < size; sent += BLOCK.length) yield BLOCK.subarray(0, Math.min(BLOCK.length, size - sent));
}

async function freePort() {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

async function startMinio(dir, accessKey, secretKey) {
  const port = await freePort();
  for (const d of ['drive', 'home', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  const child = spawn(programs.programPath('minio'), ['server', join(dir, 'drive'), '--address', `127.0.0.1:${port}`, '--certs-dir', join(dir, 'home', 'certs')], {
    stdio: 'ignore',
    env: { PATH: '/usr/bin:/bin', HOME: join(dir, 'home'), TMPDIR: join(dir, 'tmp'), MINIO_ROOT_USER: accessKey, MINIO_ROOT_PASSWORD: secretKey, MINIO_BROWSER: 'off' },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${endpoint}/minio/health/cluster`)).ok) return { endpoint, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('MinIO did not start');
}

async function startSource(size) {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
    const it = chunks(size);
    const pump = () => {
      for (let next = it.next(); !next.done; next = it.next()) {
        if (!res.write(next.value)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${server.address().port}/bench.bin` };
}

/** Runs a command, sampling its peak resident set (VmHWM) from /proc until it exits. */
async function measure(command, commandArgs, env) {
  const started = process.hrtime.bigint();
  const child = spawn(command, commandArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => { stdout += c; });
  child.stderr.on('data', (c) => { stderr += c; });
  let peakKib = 0;
  const sample = () => {
    try {
      peakKib = Math.max(peakKib, Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
    } catch {
      // exited between samples
    }
  };
  const timer = setInterval(sample, 50);
  const [code] = await once(child, 'exit');
  clearInterval(timer);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${command} exited ${code}: ${stderr.slice(-2000)}`);
  return { seconds, peakMib: peakKib / 1024, stdout };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 's3www-bench-minio-'));
  const accessKey = `bench-${randomBytes(4).toString('hex')}`;
  const secretKey = randomBytes(16).toString('hex');
  const minio = await startMinio(join(dir, 'minio'), accessKey, secretKey);
  const source = await startSource(SIZE);
  const file = join(dir, 'bench.bin');
  const out = createWriteStream(file);
  for (const chunk of chunks(SIZE)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');

  const mcConfig = join(dir, 'mc');
  mkdirSync(mcConfig);
  const host = new URL(minio.endpoint);
  host.username = accessKey;
  host.password = secretKey;
  const baseEnv = {
    PATH: process.env.PATH, HOME: mcConfig, MC_CONFIG_DIR: mcConfig, MC_HOST_bench: host.href.replace(/\/$/, ''),
    AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secretKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('SEED_'))),
  };
  const mc = programs.programPath('mc');
  const keyFiles = join(dir, 'keys');
  mkdirSync(keyFiles);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(keyFiles, 'accessKey'), accessKey);
  writeFileSync(join(keyFiles, 'secretKey'), secretKey);
  const rounds = [];
  try {
    await measure(mc, ['mb', '--ignore-existing', 'bench/bench'], baseEnv);
    const remove = () => measure(mc, ['rm', '--force', 'bench/bench/bench.bin'], baseEnv).catch(() => undefined);
    const seed = async () => {
      await remove();
      const run = await measure(process.execPath, [...JOB_NODE_FLAGS, SEEDER], {
        ...baseEnv, S3_ENDPOINT: minio.endpoint, S3_BUCKET: 'bench',
        S3_ACCESS_KEY_FILE: join(keyFiles, 'accessKey'), S3_SECRET_KEY_FILE: join(keyFiles, 'secretKey'),
        SEED_SOURCES: JSON.stringify([{ url: source.url, key: 'bench.bin' }]),
      });
      if (!run.stdout.includes('"msg":"uploaded"')) throw new Error(`the seeder did not upload: ${run.stdout}`);
      return run;
    };
    const mcCopy = async () => {
      await remove();
      return measure(mc, ['cp', '--quiet', file, 'bench/bench/bench.bin'], baseEnv);
    };
    const awsCopy = async () => {
      await remove();
      return measure('aws', ['--endpoint-url', minio.endpoint, 's3', 'cp', '--only-show-errors', file, 's3://bench/bench.bin'], baseEnv);
    };
    // The same download piped into `mc pipe`: like for like with the seeder (download and upload
    // on one machine), for time only (the RSS would be the shell's).
    const mcPipe = async () => {
      await remove();
      return measure('sh', ['-c', `curl -sSf ${source.url} | ${mc} pipe --quiet bench/bench/bench.bin`], baseEnv);
    };
    // One untimed run of each: MinIO's first write of a size allocates its buffers.
    await seed();
    await mcCopy();
    await awsCopy();
    for (let round = 1; round <= ROUNDS; round++) {
      const runs = [['seeder', seed], ['mc', mcCopy], ['aws', awsCopy], ['mcPipe', mcPipe]];
      const shift = (round - 1) % runs.length;
      const results = {};
      for (const [name, run] of [...runs.slice(shift), ...runs.slice(0, shift)]) results[name] = await run();
      rounds.push({ round, ...results });
      if (!JSON_OUTPUT) {
        console.log(`round ${round}: seeder ${results.seeder.seconds.toFixed(1)} s, peak RSS ${results.seeder.peakMib.toFixed(1)} MiB; `
          + `mc cp ${results.mc.seconds.toFixed(1)} s, ${results.mc.peakMib.toFixed(1)} MiB; aws s3 cp ${results.aws.seconds.toFixed(1)} s, ${results.aws.peakMib.toFixed(1)} MiB; `
          + `curl | mc pipe ${results.mcPipe.seconds.toFixed(1)} s`);
      }
    }
  } finally {
    minio.child.kill('SIGTERM');
    await once(minio.child, 'exit');
    source.server.closeAllConnections();
    source.server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const mib = SIZE / MIB;
  const seconds = (name) => median(rounds.map((r) => r[name].seconds));
  const rate = (name) => Math.round((mib / seconds(name)) * 10) / 10;
  const peak = (name) => Math.round(Math.max(...rounds.map((r) => r[name].peakMib)) * 10) / 10;
  const faster = seconds('mc') <= seconds('aws') ? 'mc' : 'aws';
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    sizeMiB: mib,
    rounds: ROUNDS,
    seederNodeFlags: JOB_NODE_FLAGS.join(' '),
    seederMiBps: rate('seeder'),
    seederPeakRssMiB: peak('seeder'),
    mcMiBps: rate('mc'),
    mcPeakRssMiB: peak('mc'),
    awsMiBps: rate('aws'),
    awsPeakRssMiB: peak('aws'),
    faster,
    ratioToMc: Math.round((seconds('mc') / seconds('seeder')) * 100) / 100,
    ratioToAws: Math.round((seconds('aws') / seconds('seeder')) * 100) / 100,
    ratioToFaster: Math.round((seconds(faster) / seconds('seeder')) * 100) / 100,
    roundRatiosToFaster: rounds.map((r) => Math.round((r[faster].seconds / r.seeder.seconds) * 100) / 100),
    mcPipeMiBps: rate('mcPipe'),
    ratioToMcPipe: Math.round((seconds('mcPipe') / seconds('seeder')) * 100) / 100,
  };
  const goals = { peakRss: result.seederPeakRssMiB <= 128, ratio: result.ratioToFaster >= 1.0 };
  if (JSON_OUTPUT) {
    console.log(JSON.stringify({ ...result, goals }));
  } else {
    console.log(`seeder (node ${result.seederNodeFlags}): ${result.seederMiBps} MiB/s, peak RSS ${result.seederPeakRssMiB} MiB (goal <= 128: ${goals.peakRss ? 'met' : 'MISSED'})`);
    console.log(`mc cp: ${result.mcMiBps} MiB/s, peak RSS ${result.mcPeakRssMiB} MiB; aws s3 cp: ${result.awsMiBps} MiB/s, peak RSS ${result.awsPeakRssMiB} MiB`);
    console.log(`ratio seeder / ${faster} (the faster): ${result.ratioToFaster} of medians (goal >= 1.0: ${goals.ratio ? 'met' : 'MISSED'}); per round ${result.roundRatiosToFaster.join(', ')}; seeder / mc ${result.ratioToMc}, seeder / aws ${result.ratioToAws}`);
    console.log(`curl | mc pipe (download and upload, like the seeder): ${result.mcPipeMiBps} MiB/s; ratio seeder / piped mc ${result.ratioToMcPipe}`);
  }
}

await main();
