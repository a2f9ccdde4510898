/**
 * The data path through the real s3www, by hand (not a test), and the serving benchmark.
 *
 * s3www v1.0.0 cannot be built here (the Go module proxy refuses github.com/harshavardhana/s3www),
 * so this needs a binary you built yourself: `S3WWW_BINARY=/path/to/s3www`. It synthesizes an
 * environment, runs it on loopback with the data-path harness (tools/testing/data-path) and:
 *
 * 1. checks s3www's HTTP answers: the gif (bytes, Content-Type), a missing key, the site root,
 *    directories with and without index.html, a 404.html in the bucket; in prod also with one MinIO
 *    pod killed and with the zone that holds two pods lost;
 * 2. measures requests per second and p99 latency of the gif with `wrk` (Debian package) through
 *    one and two s3www processes, against a direct GET from MinIO (a presigned URL) as the ceiling,
 *    and s3www's peak RSS (VmHWM) under that load, set against the memory limit of the environment.
 *
 *   S3WWW_BINARY=/path/to/s3www npx projen benchmark:serving [-- --env dev|prod] [--duration 10] [--connections 16] [--json]
 */
import { execFileSync, spawn } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { LocalProcess, LocalStack, presignGet } from '../../../tools/testing/data-path';
import { EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';
import { GIF, localEnvironment } from '../test/support/local-stack';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const ENV = option('env', 'dev') as EnvironmentName;
const DURATION = Number(option('duration', '10'));
const CONNECTIONS = Number(option('connections', '16'));
const JSON_OUTPUT = args.includes('--json');

interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly errors: number;
}

const checks: Check[] = [];
const check = (what: string, ok: boolean, detail: string) => {
  checks.push({ what, ok, detail });
  if (!JSON_OUTPUT) console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: ${detail}`);
};

async function get(url: string): Promise<{ status: number; type: string | null; location: string | null; body: Buffer }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, type: res.headers.get('content-type'), location: res.headers.get('location'), body: Buffer.from(await res.arrayBuffer()) };
}

/** Starts one wrk per URL in parallel and parses their reports. */
async function wrkParallel(urls: string[]): Promise<WrkResult> {
  const outputs = await Promise.all(urls.map((url) => new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${Math.max(1, Math.floor(CONNECTIONS / urls.length))}`, `-d${DURATION}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.on('error', (err) => reject(new Error(`wrk could not be started (${err.message}): apt-get install wrk`)));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}: ${out}`))));
  })));
  const parse = (out: string) => {
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
    const p99Ms = p99 ? Number(p99[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[p99[2]] : NaN;
    const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors:.*timeout (\d+)/.exec(out)?.[1] ?? 0);
    return { rps, p99Ms, errors };
  };
  const parsed = outputs.map(parse);
  return {
    requestsPerSecond: Math.round(parsed.reduce((n, p) => n + p.rps, 0)),
    p99Ms: Math.round(Math.max(...parsed.map((p) => p.p99Ms)) * 100) / 100,
    errors: parsed.reduce((n, p) => n + p.errors, 0),
  };
}

/** CPU time (user + system) of processes so far, in milliseconds. */
function cpuMs(processes: LocalProcess[]): number {
  const tick = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return processes.reduce((sum, p) => {
    const fields = readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return sum + (Number(fields[11]) + Number(fields[12])) * tick;
  }, 0);
}

/** Runs wrk and adds the CPU time s3www and MinIO spent per request. */
async function measured(stack: LocalStack, urls: string[]): Promise<WrkResult & { s3wwwCpuMsPerRequest: number; minioCpuMsPerRequest: number }> {
  const before = [cpuMs(stack.s3wwwProcesses), cpuMs(stack.minioProcesses)];
  const result = await wrkParallel(urls);
  const requests = result.requestsPerSecond * DURATION;
  const per = (ms: number) => Math.round((ms / requests) * 1000) / 1000;
  return {
    ...result,
    s3wwwCpuMsPerRequest: per(cpuMs(stack.s3wwwProcesses) - before[0]),
    minioCpuMsPerRequest: per(cpuMs(stack.minioProcesses) - before[1]),
  };
}

/** Peak resident set (VmHWM) of processes, in MiB. */
function peakRssMiB(processes: LocalProcess[]): number[] {
  return processes.map((p) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
}

async function httpChecks(stack: LocalStack, site: string): Promise<void> {
  const gif = await get(`${site}/giphy.gif`);
  check('GET /giphy.gif', gif.status === 200 && gif.type === 'image/gif' && gif.body.equals(GIF),
    `${gif.status} ${gif.type}, ${gif.body.length} bytes, ${gif.body.equals(GIF) ? 'identical to the source' : 'DIFFERENT from the source'}`);
  const missing = await get(`${site}/missing.gif`);
  check('GET /missing.gif', missing.status === 404, `${missing.status} ${missing.type} "${missing.body.toString().trim()}"`);
  const root = await get(`${site}/`);
  check('GET / (no index.html)', root.status === 200 && root.body.toString().includes('href="giphy.gif"'),
    `${root.status} ${root.type}, a listing of the bucket: ${JSON.stringify(root.body.toString().replace(/\s+/g, ' ').slice(0, 160))}`);

  // Directories: put a folder with an index.html and one without, and a 404.html, then remove them.
  const admin = stack.minioRoot;
  const file = join(stack.root, 'page.html');
  writeFileSync(file, '<!doctype html><title>docs</title>');
  for (const key of ['docs/index.html', 'notes/a.txt']) await stack.mc(['cp', '--quiet', file, `t/site/${key}`], admin);
  const docs = await get(`${site}/docs`);
  check('GET /docs (a folder)', docs.status === 301 && docs.location === 'docs/', `${docs.status} Location: ${docs.location}`);
  const docsIndex = await get(`${site}/docs/`);
  check('GET /docs/ (with index.html)', docsIndex.status === 200 && docsIndex.body.toString().includes('<title>docs</title>'), `${docsIndex.status} ${docsIndex.type}, the index.html`);
  const notes = await get(`${site}/notes/`);
  check('GET /notes/ (no index.html)', notes.status === 200,
    `${notes.status} ${notes.type}, listing ${notes.body.toString().includes('a.txt') ? 'shows' : 'does NOT show'} notes/a.txt: ${JSON.stringify(notes.body.toString().replace(/\s+/g, ' ').slice(0, 120))}`);
  writeFileSync(file, 'custom not found page');
  await stack.mc(['cp', '--quiet', file, 't/site/404.html'], admin);
  const custom = await get(`${site}/still-missing.gif`);
  check('GET /still-missing.gif with a 404.html in the bucket', custom.body.toString() === 'custom not found page',
    `${custom.status} ${custom.type}: s3www serves 404.html ${custom.status === 200 ? 'with status 200' : `with status ${custom.status}`}`);
  for (const key of ['docs/index.html', 'notes/a.txt', '404.html']) await stack.mc(['rm', '--quiet', `t/site/${key}`], admin);
}

/** GETs the gif `times` times through s3www and reports the statuses seen. */
async function serveThrough(site: string, what: string, times: number): Promise<void> {
  const statuses: Record<string, number> = {};
  const started = Date.now();
  for (let i = 0; i < times; i++) {
    const res = await get(`${site}/giphy.gif`);
    const key = `${res.status}${res.status === 200 && !res.body.equals(GIF) ? ' (wrong bytes)' : ''}${res.location ? ` -> ${res.location}` : ''}`;
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  check(what, Object.keys(statuses).length === 1 && statuses['200'] === times,
    `${times} GETs of /giphy.gif in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(statuses)}`);
}

async function main(): Promise<void> {
  if (!process.env.S3WWW_BINARY) {
    throw new Error('set S3WWW_BINARY to an s3www v1.0.0 binary (the Go module proxy refuses github.com/harshavardhana/s3www, so nothing here builds it)');
  }
  const config = ENVIRONMENTS[ENV];
  // In dev the MinIO Service has one pod: its name resolves straight to it, as through kube-proxy,
  // so that the harness's forwarder (a Node.js process) is not what is measured.
  const env = await localEnvironment(ENV, ENVIRONMENTS[ENV].minio.topology.replicas === 1 ? { directServices: ['minio'] } : {});
  const { stack } = env;
  try {
    stack.startMinio();
    await stack.waitForMinio('cluster', { ordinals: Array.from({ length: stack.workload.minio.replicas }, (_, i) => i) });
    const [buckets, seeder] = await Promise.all([stack.runJob('buckets'), stack.runJob('seeder')]);
    if (!buckets.succeeded || !seeder.succeeded) throw new Error(`the Jobs failed: ${buckets.pods.at(-1)?.stderr} ${seeder.pods.at(-1)?.stderr}`);
    stack.startS3www(1);
    await stack.waitForS3www(1);
    const site = stack.serviceUrl(stack.workload.s3www.name);
    await httpChecks(stack, site);

    if (stack.workload.minio.replicas > 1) {
      const all = Array.from({ length: stack.workload.minio.replicas }, (_, i) => i);
      await stack.killMinio([1]);
      await serveThrough(site, 'one MinIO pod killed', 50);
      stack.startMinio([1]);
      await stack.waitForMinio('cluster?maintenance=true', { ordinals: all });
      const zone = stack.largestZone;
      await stack.killMinio(zone);
      await serveThrough(site, `zone with MinIO pods ${zone.join(', ')} lost`, 50);
      stack.startMinio(zone);
      await stack.waitForMinio('cluster?maintenance=true', { ordinals: all });
    }

    // Benchmark: each wrk goes straight to an s3www pod (its loopback address), so the harness's
    // Service forwarder, a Node.js process, is not measured. s3www reaches MinIO by the Service's
    // name: straight to the pod in dev, through the forwarder in prod (four pods).
    const podUrl = (p: LocalProcess) => {
      const run = stack.runs.find((r) => r.pod === p.label)!;
      const address = run.argv[run.argv.indexOf('-address') + 1];
      return `http://${address}/giphy.gif`;
    };
    const one = await measured(stack, [podUrl(stack.s3wwwProcesses[0])]);
    const rssOne = peakRssMiB(stack.s3wwwProcesses);
    stack.startS3www(1);
    await stack.waitForS3www(2);
    const two = await measured(stack, stack.s3wwwProcesses.map(podUrl));
    const rssTwo = peakRssMiB(stack.s3wwwProcesses);
    const presigned = presignGet({ ...stack.minioRoot, endpoint: stack.minioPodUrl(0) }, 'site', 'giphy.gif');
    const probeGet = await get(presigned);
    check('GET of the presigned MinIO URL', probeGet.status === 200 && probeGet.body.equals(GIF), `${probeGet.status} ${probeGet.type} ${probeGet.status === 200 ? '' : probeGet.body.toString().slice(0, 600).replace(/\s+/g, ' ')}`);
    const direct = await measured(stack, [presigned]);
    const limit = config.s3www.resources?.memory?.limit?.toMebibytes();
    const result = {
      date: new Date().toISOString(),
      environment: ENV,
      cpus: execFileSync('nproc', { encoding: 'utf8' }).trim(),
      durationSeconds: DURATION,
      connections: CONNECTIONS,
      s3wwwOne: one,
      s3wwwTwo: two,
      minioDirect: direct,
      s3wwwPeakRssMiB: Math.round(Math.max(...rssOne, ...rssTwo) * 10) / 10,
      s3wwwMemoryLimitMiB: limit,
      checks,
    };
    if (JSON_OUTPUT) {
      console.log(JSON.stringify(result));
    } else {
      console.log(`\nwrk, ${CONNECTIONS} connections, ${DURATION} s, ${result.cpus} CPUs shared by wrk, s3www, MinIO and this process:`);
      const line = (r: typeof one) => `${r.requestsPerSecond} req/s, p99 ${r.p99Ms} ms, ${r.errors} errors; CPU per request: s3www ${r.s3wwwCpuMsPerRequest} ms, MinIO ${r.minioCpuMsPerRequest} ms`;
      console.log(`  s3www × 1: ${line(one)}`);
      console.log(`  s3www × 2: ${line(two)}`);
      console.log(`  MinIO GET (presigned, the ceiling): ${line(direct)}`);
      console.log(`  s3www peak RSS ${result.s3wwwPeakRssMiB} MiB; ${ENV} limits it to ${limit} MiB`);
    }
    if (checks.some((c) => !c.ok)) process.exitCode = 1;
  } finally {
    await env.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
