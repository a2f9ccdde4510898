import { execFile } from 'child_process';
import { randomBytes } from 'crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo, createServer as createNetServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { bucketScript } from '../src/bucket-script';

/**
 * Runs the job's script with the real bash against a local HTTP server that plays
 * /minio/health/ready, and a stand-in `mc` on PATH that records its arguments and stdin.
 */
describe('bucket script', () => {
  // Random per run: the test needs values to look for, and no credential lives in the repository.
  const user = `user-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64');
  let dir: string;
  let server: Server;
  let port: number;
  let readyAfter: number;
  let requests: string[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(requests.length > readyAfter ? 200 : 503, { Connection: 'close' });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    requests = [];
    dir = mkdtempSync(join(tmpdir(), 'mc-'));
    // Records one line per call: the arguments, then what came on stdin (only for alias set).
    writeFileSync(join(dir, 'mc'), [
      '#!/bin/bash',
      'echo "ARGS $*" >> "$MC_LOG"',
      'if [ "$1 $2" = "alias set" ]; then while IFS= read -r line; do echo "STDIN $line" >> "$MC_LOG"; done; fi',
    ].join('\n'));
    chmodSync(join(dir, 'mc'), 0o755);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function run(
    script: string, attempts: number, extraEnv: Record<string, string> = {},
  ): Promise<{ code: number; stdout: string; stderr: string; log: string[] }> {
    return new Promise((resolve) => {
      execFile('/bin/bash', ['-c', script], {
        env: {
          PATH: `${dir}:/usr/bin:/bin`,
          // bash reads ~/.bashrc when its stdin is a socket, as Node.js gives it: not the machine's.
          HOME: dir,
          MC_LOG: join(dir, 'log'),
          MINIO_HOST: '127.0.0.1',
          MINIO_PORT: String(port),
          READY_ATTEMPTS: String(attempts),
          READY_INTERVAL_SECONDS: '0.05',
          READY_TIMEOUT_SECONDS: '1',
          MINIO_ROOT_USER: user,
          MINIO_ROOT_PASSWORD: password,
          ...extraEnv,
        },
      }, (err, stdout, stderr) => {
        let log: string[] = [];
        try {
          log = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n');
        } catch {
          log = [];
        }
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr, log });
      });
    });
  }

  test('waits for readiness, then creates the buckets and turns versioning on where asked', async () => {
    // GIVEN MinIO answers 503 twice before it is ready
    readyAfter = 2;
    // WHEN
    const result = await run(bucketScript([{ name: 'site', versioning: true }, { name: 'logs', versioning: false }]), 10);
    // THEN
    expect(result.code).toBe(0);
    expect(requests).toEqual(Array(3).fill('GET /minio/health/ready'));
    expect(result.stdout).toContain('(attempt 2 of 10)');
    expect(result.log).toEqual([
      `ARGS alias set --api s3v4 minio http://127.0.0.1:${port}`,
      `STDIN ${user}`,
      `STDIN ${password}`,
      'ARGS mb --ignore-existing minio/site',
      'ARGS version enable minio/site',
      'ARGS mb --ignore-existing minio/logs',
    ]);
  });

  test('never passes the credentials as arguments', async () => {
    readyAfter = 0;
    const result = await run(bucketScript([{ name: 'site', versioning: false }]), 1);
    expect(result.code).toBe(0);
    const args = result.log.filter((line) => line.startsWith('ARGS'));
    expect(args.join('\n')).not.toContain(password);
    expect(args.join('\n')).not.toContain(user);
  });

  test('users: keys only on stdin, the policy attached, every other policy of the user detached', async () => {
    // GIVEN a user that already has its policy and two more (an earlier id's, one attached by hand)
    readyAfter = 0;
    const access = `access-${randomBytes(4).toString('hex')}`;
    const secret = randomBytes(18).toString('hex');
    writeFileSync(join(dir, 'mc'), [
      '#!/bin/bash',
      'echo "ARGS $*" >> "$MC_LOG"',
      'case "$1 $2 $3" in',
      '  "alias set --api"|"admin user add"|"admin policy create") while IFS= read -r line || [ -n "$line" ]; do echo "STDIN $line" >> "$MC_LOG"; done ;;',
      '  "admin user info") echo \'{"status":"success","policyName":"minio-old,minio-site,readwrite","userStatus":"enabled"}\' ;;',
      'esac',
    ].join('\n'));
    const script = bucketScript([{ name: 'site', versioning: false }], [{
      policyName: 'minio-site', policyDocument: '{"Version":"2012-10-17"}', accessKeyVariable: 'USER_0_ACCESS_KEY', secretKeyVariable: 'USER_0_SECRET_KEY', summary: 'read',
    }]);
    // WHEN
    const result = await run(script, 1, { USER_0_ACCESS_KEY: access, USER_0_SECRET_KEY: secret });
    // THEN
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('user of policy minio-site ready: read\n1 user(s) ready\n');
    expect(result.log.slice(4)).toEqual([
      'ARGS admin policy create minio minio-site /dev/stdin',
      'STDIN {"Version":"2012-10-17"}',
      'ARGS admin user add minio',
      `STDIN ${access}`,
      `STDIN ${secret}`,
      `ARGS admin policy attach minio minio-site --user ${access}`,
      `ARGS admin user info minio ${access} --json`,
      `ARGS admin policy detach minio minio-old --user ${access}`,
      `ARGS admin policy detach minio readwrite --user ${access}`,
    ]);
    expect(result.log.filter((line) => line.startsWith('ARGS')).join('\n')).not.toContain(secret);
  });

  test('a user without keys fails the script, saying which', async () => {
    readyAfter = 0;
    const script = bucketScript([{ name: 'site', versioning: false }], [{
      policyName: 'minio-site', policyDocument: '{}', accessKeyVariable: 'USER_0_ACCESS_KEY', secretKeyVariable: 'USER_0_SECRET_KEY', summary: 'read',
    }]);
    const result = await run(script, 1);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe('the user of policy minio-site has no keys: USER_0_ACCESS_KEY and USER_0_SECRET_KEY must hold the access key and secret key of its Secret\n');
    expect(result.log.filter((l) => l.startsWith('ARGS admin'))).toEqual([]);
  });

  test('gives up after the bounded number of attempts', async () => {
    // GIVEN MinIO never becomes ready
    readyAfter = Number.MAX_SAFE_INTEGER;
    // WHEN
    const result = await run(bucketScript([{ name: 'site', versioning: false }]), 3);
    // THEN
    expect(result.code).toBe(1);
    expect(requests).toHaveLength(3);
    expect(result.stderr).toContain(`MinIO at 127.0.0.1:${port} is not ready after 3 attempts`);
    expect(result.log).toEqual([]);
  });

  test('fails when mc fails', async () => {
    readyAfter = 0;
    writeFileSync(join(dir, 'mc'), '#!/bin/bash\ncat >/dev/null\nexit 3\n');
    const result = await run(bucketScript([{ name: 'site', versioning: false }]), 1);
    expect(result.code).toBe(3);
  });

  test('bounds each probe: a server that never answers counts as not ready', async () => {
    // GIVEN a port that accepts connections and never answers
    const sockets: Array<{ destroy(): void }> = [];
    const silent = createNetServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as AddressInfo).port;
    const script = bucketScript([{ name: 'site', versioning: false }]).replace(/\$\{MINIO_PORT\}/g, String(silentPort));
    // WHEN
    const started = Date.now();
    const result = await run(script, 2);
    // THEN two probes of at most 1 second each, not a hang
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not ready after 2 attempts');
    expect(Date.now() - started).toBeLessThan(10_000);
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  test('treats a closed port as not ready', async () => {
    readyAfter = 0;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const script = bucketScript([{ name: 'site', versioning: false }]).replace(/\$\{MINIO_PORT\}/g, String(closedPort));
    const result = await run(script, 2);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not ready after 2 attempts');
  });
});
