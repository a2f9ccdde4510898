/**
 * The users of `grantRead()` and `grantReadWrite()` against the real MinIO server and the real mc
 * (tools/programs/build.js): the bucket Job's script, as synthesized, runs in bash with mc on PATH,
 * and each user's keys are then tried with mc on what its policy allows and on what it denies.
 */
import { execFile } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { MinioServer, startMinio } from '../../../tools/testing/minio';
import { Minio, MinioUser } from '../src';
import { Json, only } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node.js script, shared with .ci/run
const programs = require('../../../tools/programs/build.js') as { programPath(name: string): string };

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }
interface Keys { readonly accessKey: string; readonly secretKey: string }

let minio: MinioServer;
let dir: string;
/** The Secret values of the run, by `<secret>/<key>`: random, so no credential lives in the repository. */
const secrets = new Map<string, string>();
const keys = (prefix: string): Keys => ({ accessKey: `${prefix}-${randomBytes(4).toString('hex')}`, secretKey: randomBytes(16).toString('hex') });
const reader = keys('reader');
const writer = keys('writer');
const pruner = keys('pruner');

beforeAll(async () => {
  minio = await startMinio();
  dir = mkdtempSync(join(tmpdir(), 'minio-users-'));
  mkdirSync(join(dir, 'bin'));
  symlinkSync(programs.programPath('mc'), join(dir, 'bin', 'mc'));
  for (const [secret, k] of [['s3www-minio', reader], ['seeder-minio', writer], ['pruner-minio', pruner]] as const) {
    secrets.set(`${secret}/accessKey`, k.accessKey);
    secrets.set(`${secret}/secretKey`, k.secretKey);
  }
});

afterAll(async () => {
  await minio?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The bucket Job of a Minio with the buckets `site` and `logs` and three users: its container as synthesized. */
function bucketJob(): { container: Json; users: MinioUser[] } {
  const chart = Testing.chart();
  const m = new Minio(chart, 'Minio', { credentials: { secretName: 'minio-root' }, name: 'minio', namespace: 'storage', buckets: [{ name: 'site' }, { name: 'logs' }] });
  const users = [
    m.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www-minio' } }),
    m.grantReadWrite('Seeder', { bucket: 'site', credentials: { secretName: 'seeder-minio' } }),
    m.grantReadWrite('Pruner', { bucket: 'logs', credentials: { secretName: 'pruner-minio' }, allowDelete: true }),
  ];
  return { container: only(Testing.synth(chart), 'Job').spec.template.spec.containers[0], users };
}

/** Runs a program to its end. */
function run(argv: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { env, cwd: dir, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * Runs the Job's script as its pod would, with the MinIO of the test: the environment of the
 * container, Secret keys from the run's values, the Service's address replaced by the server's.
 */
function runJob(container: Json): Promise<Run> {
  const url = new URL(minio.endpoint);
  const env: Record<string, string> = {};
  for (const e of container.env as Json[]) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref?.name === 'minio-root') env[e.name] = ref.key === 'accessKey' ? minio.accessKey : minio.secretKey;
    else if (ref) env[e.name] = secrets.get(`${ref.name}/${ref.key}`)!;
    else env[e.name] = e.value;
  }
  Object.assign(env, {
    MINIO_HOST: url.hostname,
    MINIO_PORT: url.port,
    READY_INTERVAL_SECONDS: '1',
    MC_CONFIG_DIR: join(dir, 'job-mc'),
    HOME: dir,
    PATH: `${join(dir, 'bin')}:/usr/bin:/bin`,
  });
  return run(container.command, env);
}

/** mc as a user (alias `t`), its keys in the environment only. */
function mc(as: Keys, ...args: string[]): Promise<Run> {
  const url = new URL(minio.endpoint);
  url.username = as.accessKey;
  url.password = as.secretKey;
  mkdirSync(join(dir, 'mc'), { recursive: true });
  return run([programs.programPath('mc'), '--no-color', ...args], {
    PATH: '/usr/bin:/bin', HOME: dir, MC_CONFIG_DIR: join(dir, 'mc'), MC_HOST_t: url.href.replace(/\/$/, ''),
  });
}

const root = (): Keys => ({ accessKey: minio.accessKey, secretKey: minio.secretKey });
const file = (name: string, bytes: Buffer | string): string => {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
};
/** The outcome of a call, as a client sees it: allowed, or MinIO's reason for refusing it. */
async function outcome(call: Promise<Run>): Promise<string> {
  const { code, stderr } = await call;
  if (code === 0) return 'allowed';
  return /Access Denied|Insufficient permissions/.test(stderr) ? 'denied' : `failed: ${stderr.trim()}`;
}

describe('the users of the bucket Job, on the real MinIO', () => {
  let job: { container: Json; users: MinioUser[] };
  let first: Run;
  let second: Run;

  beforeAll(async () => {
    job = bucketJob();
    first = await runJob(job.container);
    second = await runJob(job.container);
    // Content the reader may read, and an object in the bucket nobody but the pruner may use.
    expect((await mc(root(), 'cp', '--quiet', file('index.html', '<h1>site</h1>'), 't/site/index.html')).code).toBe(0);
    expect((await mc(root(), 'cp', '--quiet', file('old.log', 'old'), 't/logs/old.log')).code).toBe(0);
  });

  test('the Job creates every user, runs again without changing anything, and prints no key', () => {
    for (const result of [first, second]) {
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(result.stdout).toContain('2 bucket(s) ready');
      expect(result.stdout).toContain('user of policy minio-site ready: read on bucket site (s3:ListBucket, s3:GetObject)');
      expect(result.stdout).toContain('3 user(s) ready');
      for (const value of secrets.values()) expect(result.stdout + result.stderr).not.toContain(value);
    }
  });

  test('each user has exactly its policy, as the construct wrote it', async () => {
    for (const [user, k] of [[job.users[0], reader], [job.users[1], writer], [job.users[2], pruner]] as const) {
      const info = JSON.parse((await mc(root(), 'admin', 'user', 'info', 't', k.accessKey, '--json')).stdout);
      expect({ policy: info.policyName, status: info.userStatus }).toEqual({ policy: user.policyName, status: 'enabled' });
      const policy = JSON.parse((await mc(root(), 'admin', 'policy', 'info', 't', user.policyName, '--json')).stdout).policyInfo.Policy;
      // MinIO keeps the actions of a statement as a set.
      const sorted = (statements: Json[]) => statements.map((st) => ({ ...st, Action: [...st.Action].sort() }));
      expect(sorted(policy.Statement)).toEqual(sorted(JSON.parse(user.policyDocument).Statement));
    }
  });

  test('the reader lists and reads its bucket, and is denied writing, deleting and the other bucket', async () => {
    expect(await outcome(mc(reader, 'ls', 't/site/'))).toBe('allowed');
    expect((await mc(reader, 'cat', 't/site/index.html')).stdout).toBe('<h1>site</h1>');
    expect({
      put: await outcome(mc(reader, 'cp', '--quiet', file('new.html', 'new'), 't/site/new.html')),
      delete: await outcome(mc(reader, 'rm', 't/site/index.html')),
      tag: await outcome(mc(reader, 'tag', 'set', 't/site/index.html', 'a=b')),
      listOther: await outcome(mc(reader, 'ls', 't/logs/')),
      getOther: await outcome(mc(reader, 'cat', 't/logs/old.log')),
    }).toEqual({ put: 'denied', delete: 'denied', tag: 'denied', listOther: 'denied', getOther: 'denied' });
    expect(await outcome(mc(root(), 'stat', 't/site/index.html'))).toBe('allowed');
  });

  test('the writer uploads in parts and tags, and is denied deleting and the other bucket', async () => {
    // GIVEN 20 MiB: mc uploads it in parts (16 MiB each)
    const big = file('big.bin', randomBytes(20 * 1024 * 1024));
    // WHEN / THEN
    expect(await outcome(mc(writer, 'cp', '--quiet', big, 't/site/big.bin'))).toBe('allowed');
    const stat = JSON.parse((await mc(writer, 'stat', '--json', 't/site/big.bin')).stdout);
    expect(stat.etag).toMatch(/-2$/);
    expect(await outcome(mc(writer, 'tag', 'set', 't/site/big.bin', 'seed-sha256=abc'))).toBe('allowed');
    expect((await mc(writer, 'tag', 'list', '--json', 't/site/big.bin')).stdout).toContain('seed-sha256');
    expect({
      delete: await outcome(mc(writer, 'rm', 't/site/big.bin')),
      listOther: await outcome(mc(writer, 'ls', 't/logs/')),
      putOther: await outcome(mc(writer, 'cp', '--quiet', file('x.log', 'x'), 't/logs/x.log')),
      getOther: await outcome(mc(writer, 'cat', 't/logs/old.log')),
    }).toEqual({ delete: 'denied', listOther: 'denied', putOther: 'denied', getOther: 'denied' });
    expect(await outcome(mc(root(), 'stat', 't/site/big.bin'))).toBe('allowed');
  });

  test('with allowDelete the user may delete in its bucket, and still nothing in another', async () => {
    expect(await outcome(mc(pruner, 'rm', 't/logs/old.log'))).toBe('allowed');
    expect(await outcome(mc(pruner, 'rm', 't/site/index.html'))).toBe('denied');
  });

  test('a rerun takes a policy attached by hand away and sets the new secret key of a rotated Secret', async () => {
    // GIVEN someone attached the built-in readwrite policy to the reader, and its Secret was rotated
    expect((await mc(root(), 'admin', 'policy', 'attach', 't', 'readwrite', '--user', reader.accessKey)).code).toBe(0);
    const rotated = randomBytes(16).toString('hex');
    secrets.set('s3www-minio/secretKey', rotated);
    // WHEN
    const rerun = await runJob(job.container);
    // THEN
    expect({ code: rerun.code, stderr: rerun.stderr }).toEqual({ code: 0, stderr: '' });
    const info = JSON.parse((await mc(root(), 'admin', 'user', 'info', 't', reader.accessKey, '--json')).stdout);
    expect(info.policyName).toBe('minio-site');
    expect(await outcome(mc({ accessKey: reader.accessKey, secretKey: rotated }, 'cat', 't/site/index.html'))).toBe('allowed');
    expect(await outcome(mc({ accessKey: reader.accessKey, secretKey: rotated }, 'rm', 't/site/index.html'))).toBe('denied');
    expect((await mc(reader, 'ls', 't/site/')).stderr).toMatch(/signature we calculated does not match|SignatureDoesNotMatch/i);
  });
});
