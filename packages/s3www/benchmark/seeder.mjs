// Benchmark of the content seeder (not a test). A generated source (1 GiB by default) is served
// from loopback and seeded into a backend by the seeder as the Job runs it (its Node.js flags),
// and the same bytes are uploaded by the usual command-line tools to the same server, in the same
// run. Each contender writes a new object; one untimed run of each warms the server up; the order
// rotates from round to round; medians are reported with each process's peak RSS (VmHWM).
//
//   --backend minio (default): a standalone MinIO server built by tools/programs/build.js, against
//     `mc cp` and `aws s3 cp` of a file, and `curl | mc pipe` (download and upload, like the seeder).
//   --backend moto: moto_server, against `aws s3 cp` of a file and `curl | aws s3 cp -`.
//
// Usage (from packages/s3www; `npx projen benchmark -- [options]` is the same):
//   [SEED_QUEUE_SIZE=n SEED_PART_SIZE_MIB=n BENCH_NODE_FLAGS=...] node benchmark/seeder.mjs [--backend minio|moto] [--size-mib 1024] [--rounds 3] [--json]
//
// Needs a built package (npx projen compile), awscli on PATH, and `node tools/programs/build.js
// minio mc` (MinIO) or moto_server on PATH (moto).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// The seeder runs with the Node.js flags of the Job (SEEDER_NODE_FLAGS in src/seeder-job.ts);
// BENCH_NODE_FLAGS replaces them to compare others.
const JOB_NODE_FLAGS = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? require('../lib/seeder-job.js').SEEDER_NODE_FLAGS;
const SEEDER = join(here, '..', 'assets', 'seeder', 'index.js');
const MIB = 1024 * 1024;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const BACKEND = option('backend', 'minio');
const SIZE = Number(option('size-mib', 1024)) * MIB;
const ROUNDS = Number(option('rounds', 3));
const JSON_OUTPUT = args.includes('--json');

if (!['minio', 'moto'].includes(BACKEND)) throw new Error(`--backend must be minio or moto, got ${BACKEND}`);
if (!existsSync(SEEDER)) throw new Error(`${SEEDER} is missing: run "npx projen compile" first`);

/** A 1 MiB block of pseudo-random bytes, repeated: cheap to generate, not compressible per block. */
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

/** Starts a server process and waits until `ready` answers 200. */
async function startServer(name, command, commandArgs, env, endpoint, readyPath) {
  const child = spawn(command, commandArgs, { stdio: 'ignore', env });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${endpoint}${readyPath}`)).ok) return { endpoint, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start`);
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

/**
 * The backend, with the contenders that upload the same bytes to it. Each contender leaves the
 * bucket without the object first, so the seeder's unchanged-content check never applies.
 */
async function startBackend(dir, source, file) {
  const accessKey = `bench-${randomBytes(4).toString('hex')}`;
  const secretKey = randomBytes(16).toString('hex');
  const port = await freePort();
  const keys = join(dir, 'keys');
  mkdirSync(keys);
  writeFileSync(join(keys, 'accessKey'), accessKey);
  writeFileSync(join(keys, 'secretKey'), secretKey);
  const aws = { AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secretKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
  // SEED_PART_SIZE_MIB and SEED_QUEUE_SIZE pass through, to compare settings.
  const passThrough = Object.fromEntries(['SEED_PART_SIZE_MIB', 'SEED_QUEUE_SIZE'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
  const seederEnv = (endpoint) => ({
    PATH: process.env.PATH, ...passThrough, S3_ENDPOINT: endpoint, S3_BUCKET: 'bench',
    S3_ACCESS_KEY_FILE: join(keys, 'accessKey'), S3_SECRET_KEY_FILE: join(keys, 'secretKey'),
    SEED_SOURCES: JSON.stringify([{ url: source.url, key: 'bench.bin' }]),
  });

  if (BACKEND === 'moto') {
    const server = await startServer('moto_server', 'moto_server', ['-H', '127.0.0.1', '-p', String(port)], process.env, `http://localhost:${port}`, '/moto-api/data.json');
    const env = { PATH: process.env.PATH, HOME: join(dir, 'home'), ...aws };
    const awsCli = (...a) => measure('aws', ['--endpoint-url', server.endpoint, ...a], env);
    // moto keeps every object in its process: a reset before each run keeps one run's leftovers
    // from slowing the next.
    const fresh = async () => {
      await fetch(`${server.endpoint}/moto-api/reset`, { method: 'POST' });
      await awsCli('s3', 'mb', 's3://bench');
    };
    return {
      server,
      compareTo: ['aws'],
      piped: 'awsPipe',
      contenders: {
        aws: async () => { await fresh(); return awsCli('s3', 'cp', '--only-show-errors', file, 's3://bench/bench.bin'); },
        awsPipe: async () => {
          await fresh();
          return measure('sh', ['-c', `curl -sSf ${source.url} | aws --endpoint-url ${server.endpoint} s3 cp --only-show-errors --expected-size ${SIZE} - s3://bench/bench.bin`], env);
        },
      },
      prepareSeeder: fresh,
      seederEnv: seederEnv(server.endpoint),
    };
  }

  const programs = require('../../../tools/programs/build.js');
  for (const d of ['drive', 'home', 'tmp', 'mc']) mkdirSync(join(dir, 'minio', d), { recursive: true });
  const server = await startServer('MinIO', programs.programPath('minio'),
    ['server', join(dir, 'minio', 'drive'), '--address', `127.0.0.1:${port}`, '--certs-dir', join(dir, 'minio', 'home', 'certs')],
    { PATH: '/usr/bin:/bin', HOME: join(dir, 'minio', 'home'), TMPDIR: join(dir, 'minio', 'tmp'), MINIO_ROOT_USER: accessKey, MINIO_ROOT_PASSWORD: secretKey, MINIO_BROWSER: 'off' },
    `http://127.0.0.1:${port}`, '/minio/health/cluster');
  const mc = programs.programPath('mc');
  const host = new URL(server.endpoint);
  host.username = accessKey;
  host.password = secretKey;
  const mcConfig = join(dir, 'minio', 'mc');
  const env = {
    PATH: process.env.PATH, HOME: mcConfig, MC_CONFIG_DIR: mcConfig, MC_HOST_bench: host.href.replace(/\/$/, ''),
    ...aws, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  await measure(mc, ['mb', '--ignore-existing', 'bench/bench'], env);
  const remove = () => measure(mc, ['rm', '--force', 'bench/bench/bench.bin'], env).catch(() => undefined);
  return {
    server,
    compareTo: ['mc', 'aws'],
    piped: 'mcPipe',
    contenders: {
      mc: async () => { await remove(); return measure(mc, ['cp', '--quiet', file, 'bench/bench/bench.bin'], env); },
      aws: async () => { await remove(); return measure('aws', ['--endpoint-url', server.endpoint, 's3', 'cp', '--only-show-errors', file, 's3://bench/bench.bin'], env); },
      mcPipe: async () => { await remove(); return measure('sh', ['-c', `curl -sSf ${source.url} | ${mc} pipe --quiet bench/bench/bench.bin`], env); },
    },
    prepareSeeder: remove,
    seederEnv: seederEnv(server.endpoint),
  };
}

const LABELS = { seeder: 'seeder', mc: 'mc cp', aws: 'aws s3 cp', mcPipe: 'curl | mc pipe', awsPipe: 'curl | aws s3 cp -' };

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 's3www-bench-'));
  const source = await startSource(SIZE);
  const file = join(dir, 'bench.bin');
  const out = createWriteStream(file);
  for (const chunk of chunks(SIZE)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');

  const rounds = [];
  let backend;
  try {
    backend = await startBackend(dir, source, file);
    const seed = async () => {
      await backend.prepareSeeder();
      const run = await measure(process.execPath, [...JOB_NODE_FLAGS, SEEDER], backend.seederEnv);
      if (!run.stdout.includes('"msg":"uploaded"')) throw new Error(`the seeder did not upload: ${run.stdout}`);
      return run;
    };
    const runs = [['seeder', seed], ...Object.entries(backend.contenders)];
    // One untimed run of each: a server's first write of a size allocates its buffers.
    for (const [, run] of runs) await run();
    for (let round = 1; round <= ROUNDS; round++) {
      const shift = (round - 1) % runs.length;
      const results = {};
      for (const [name, run] of [...runs.slice(shift), ...runs.slice(0, shift)]) results[name] = await run();
      rounds.push(results);
      if (!JSON_OUTPUT) {
        console.log(`round ${round}: ${runs.map(([name]) => `${LABELS[name]} ${results[name].seconds.toFixed(1)} s, ${results[name].peakMib.toFixed(1)} MiB`).join('; ')}`);
      }
    }
  } finally {
    if (backend) {
      backend.server.child.kill('SIGTERM');
      await once(backend.server.child, 'exit');
    }
    source.server.closeAllConnections();
    source.server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const mib = SIZE / MIB;
  const seconds = (name) => median(rounds.map((r) => r[name].seconds));
  const rate = (name) => Math.round((mib / seconds(name)) * 10) / 10;
  const peak = (name) => Math.round(Math.max(...rounds.map((r) => r[name].peakMib)) * 10) / 10;
  const ratio = (name) => Math.round((seconds(name) / seconds('seeder')) * 100) / 100;
  const faster = backend.compareTo.reduce((a, b) => (seconds(a) <= seconds(b) ? a : b));
  const starting = JSON.parse(rounds[0].seeder.stdout.split('\n').find((line) => line.includes('"msg":"seeder starting"')));
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    backend: BACKEND,
    sizeMiB: mib,
    rounds: ROUNDS,
    seederNodeFlags: JOB_NODE_FLAGS.join(' '),
    seederPartSizeMiB: starting.partSizeMiB,
    seederQueueSize: starting.queueSize,
    miBps: Object.fromEntries(Object.keys(rounds[0]).map((name) => [name, rate(name)])),
    peakRssMiB: Object.fromEntries(Object.keys(rounds[0]).map((name) => [name, peak(name)])),
    faster,
    ratioToFaster: ratio(faster),
    roundRatiosToFaster: rounds.map((r) => Math.round((r[faster].seconds / r.seeder.seconds) * 100) / 100),
    ratios: Object.fromEntries(Object.keys(backend.contenders).map((name) => [name, ratio(name)])),
  };
  const goals = { peakRss: result.peakRssMiB.seeder <= 128, ratio: result.ratioToFaster >= 1.0 };
  if (JSON_OUTPUT) {
    console.log(JSON.stringify({ ...result, goals }));
    return;
  }
  console.log(`seeder (node ${result.seederNodeFlags}, parts of ${result.seederPartSizeMiB} MiB, ${result.seederQueueSize} in flight): ${result.miBps.seeder} MiB/s, peak RSS ${result.peakRssMiB.seeder} MiB (goal <= 128: ${goals.peakRss ? 'met' : 'MISSED'})`);
  for (const name of Object.keys(backend.contenders)) {
    // A pipe's peak RSS is the shell's, so only its time is reported.
    const memory = name.endsWith('Pipe') ? '' : `, peak RSS ${result.peakRssMiB[name]} MiB`;
    console.log(`${LABELS[name]}: ${result.miBps[name]} MiB/s${memory}; ratio seeder / it ${result.ratios[name]}`);
  }
  console.log(`ratio seeder / ${LABELS[faster]} (the faster upload of a file): ${result.ratioToFaster} of medians (goal >= 1.0: ${goals.ratio ? 'met' : 'MISSED'}); per round ${result.roundRatiosToFaster.join(', ')}`);
}

await main();
