#!/usr/bin/env node
// Benchmark of the content seeder (not a test): seeds a generated 1 GiB source from a loopback
// HTTP server into moto_server, measuring the seeder's peak RSS (VmHWM) and throughput, then
// uploads the same bytes with `aws s3 cp` to the same moto_server, and prints the ratio. One untimed
// run of each warms moto up (its first upload after a start is 10-20% slower); then each round runs
// the seeder as the Job does, `aws s3 cp` of a file and `curl | aws s3 cp -`, in an order that
// rotates from round to round; medians are reported.
//
//   [SEED_QUEUE_SIZE=n SEED_PART_SIZE_MIB=n BENCH_NODE_FLAGS=...] node benchmark/seeder.mjs [--size-mib 1024] [--rounds 1] [--json]
//
// Needs moto_server and awscli (v1) on PATH and a built package (npx projen compile).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

const here = dirname(fileURLToPath(import.meta.url));
// The seeder runs with the Node.js flags of the Job (SEEDER_NODE_FLAGS in src/seeder-job.ts);
// BENCH_NODE_FLAGS replaces them to compare others.
const JOB_NODE_FLAGS = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean)
  ?? createRequire(import.meta.url)('../lib/seeder-job.js').SEEDER_NODE_FLAGS;
const SEEDER = join(here, '..', 'assets', 'seeder', 'index.js');
const MIB = 1024 * 1024;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SIZE = option('size-mib', 1024) * MIB;
const ROUNDS = option('rounds', 1);
const JSON_OUTPUT = args.includes('--json');

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

function sha256Of(size) {
  const hash = createHash('sha256');
  for (const chunk of chunks(size)) hash.update(chunk);
  return hash.digest('hex');
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

async function startMoto() {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://localhost:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${endpoint}/moto-api/data.json`)).ok) return { endpoint, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('moto_server did not start');
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

/** The part size and queue size the seeder used, from its first log line. */
function multipartSettings(stdout) {
  const starting = JSON.parse(stdout.split('\n').find((line) => line.includes('"msg":"seeder starting"')));
  return { seederPartSizeMiB: starting.partSizeMiB, seederQueueSize: starting.queueSize };
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
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      peakKib = Math.max(peakKib, kib);
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
  const sha256 = sha256Of(SIZE);
  const moto = await startMoto();
  const source = await startSource(SIZE);
  const dir = mkdtempSync(join(tmpdir(), 's3www-bench-'));
  const file = join(dir, 'bench.bin');
  const out = createWriteStream(file);
  for (const chunk of chunks(SIZE)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');

  const baseEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME ?? '/root',
    AWS_ACCESS_KEY_ID: 'benchmark', AWS_SECRET_ACCESS_KEY: 'benchmark', AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true',
    // SEED_PART_SIZE_MIB and SEED_QUEUE_SIZE pass through, to compare settings.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('SEED_'))),
  };
  const rounds = [];
  try {
    // moto keeps every object in its process: a reset before each run keeps one run's leftovers
    // from slowing the next, and the order rotates so that no contender always goes first.
    const fresh = () => fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
    const seed = async (flags) => {
      await fresh();
      const run = await measure(process.execPath, [...flags, SEEDER], {
        ...baseEnv, S3_ENDPOINT: moto.endpoint, S3_BUCKET: 'bench',
        SEED_SOURCES: JSON.stringify([{ url: source.url, key: 'bench.bin', sha256 }]),
      });
      if (!run.stdout.includes('"msg":"uploaded"')) throw new Error(`the seeder did not upload: ${run.stdout}`);
      return run;
    };
    const copy = async () => {
      await fresh();
      await measure('aws', ['--endpoint-url', moto.endpoint, 's3', 'mb', 's3://bench'], baseEnv);
      return measure('aws', ['--endpoint-url', moto.endpoint, 's3', 'cp', '--only-show-errors', file, 's3://bench/bench.bin'], baseEnv);
    };
    // The seeder downloads and uploads; `aws s3 cp` of a file only uploads. The same download piped
    // into `aws s3 cp -` is the like-for-like comparison (time only: the RSS would be the shell's).
    const pipe = async () => {
      await fresh();
      await measure('aws', ['--endpoint-url', moto.endpoint, 's3', 'mb', 's3://bench'], baseEnv);
      return measure('sh', ['-c', `curl -sSf ${source.url} | aws --endpoint-url ${moto.endpoint} s3 cp --only-show-errors --expected-size ${SIZE} - s3://bench/bench.bin`], baseEnv);
    };
    await seed(JOB_NODE_FLAGS);
    await copy();
    for (let round = 1; round <= ROUNDS; round++) {
      const runs = [['seeder', () => seed(JOB_NODE_FLAGS)], ['aws', copy], ['piped', pipe]];
      const shift = (round - 1) % runs.length;
      const results = {};
      for (const [name, run] of [...runs.slice(shift), ...runs.slice(0, shift)]) results[name] = await run();
      const { seeder, aws, piped } = results;
      rounds.push({ round, seeder, aws, piped });
      if (!JSON_OUTPUT) {
        console.log(`round ${round}: seeder ${seeder.seconds.toFixed(1)} s, peak RSS ${seeder.peakMib.toFixed(1)} MiB; `
          + `aws s3 cp ${aws.seconds.toFixed(1)} s, peak RSS ${aws.peakMib.toFixed(1)} MiB; `
          + `curl | aws s3 cp - ${piped.seconds.toFixed(1)} s`);
      }
    }
  } finally {
    moto.child.kill('SIGTERM');
    source.server.closeAllConnections();
    source.server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const mib = SIZE / MIB;
  const seederSeconds = median(rounds.map((r) => r.seeder.seconds));
  const awsSeconds = median(rounds.map((r) => r.aws.seconds));
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    sizeMiB: mib,
    rounds: ROUNDS,
    seederPeakRssMiB: Math.round(Math.max(...rounds.map((r) => r.seeder.peakMib)) * 10) / 10,
    seederMiBps: Math.round((mib / seederSeconds) * 10) / 10,
    seederNodeFlags: JOB_NODE_FLAGS.join(' '),
    ...multipartSettings(rounds[0].seeder.stdout),
    awsPeakRssMiB: Math.round(Math.max(...rounds.map((r) => r.aws.peakMib)) * 10) / 10,
    awsMiBps: Math.round((mib / awsSeconds) * 10) / 10,
    throughputRatio: Math.round((awsSeconds / seederSeconds) * 100) / 100,
    roundRatios: rounds.map((r) => Math.round((r.aws.seconds / r.seeder.seconds) * 100) / 100),
    pipedAwsMiBps: Math.round((mib / median(rounds.map((r) => r.piped.seconds))) * 10) / 10,
    pipedThroughputRatio: Math.round((median(rounds.map((r) => r.piped.seconds)) / seederSeconds) * 100) / 100,
  };
  const goals = { peakRss: result.seederPeakRssMiB <= 128, ratio: result.throughputRatio >= 1.0 };
  if (JSON_OUTPUT) {
    console.log(JSON.stringify({ ...result, goals }));
  } else {
    console.log(`seeder (node ${result.seederNodeFlags}, parts of ${result.seederPartSizeMiB} MiB, ${result.seederQueueSize} in flight): ${result.seederMiBps} MiB/s, peak RSS ${result.seederPeakRssMiB} MiB (goal <= 128: ${goals.peakRss ? 'met' : 'MISSED'})`);
    console.log(`aws s3 cp:  ${result.awsMiBps} MiB/s, peak RSS ${result.awsPeakRssMiB} MiB`);
    console.log(`ratio seeder/aws throughput: ${result.throughputRatio} of medians (goal >= 1.0: ${goals.ratio ? 'met' : 'MISSED'}); per round ${result.roundRatios.join(', ')}`);
    console.log(`curl | aws s3 cp - (download and upload, like the seeder): ${result.pipedAwsMiBps} MiB/s; ratio seeder/piped ${result.pipedThroughputRatio}`);
  }
}

await main();
