/**
 * The content seeder as shipped (assets/seeder/index.js), run as a child process against the real
 * moto_server on loopback, with a local HTTP server as the source.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client,
} from '@aws-sdk/client-s3';
import { runSeeder, SeederRun, startSeeder } from './support/run-seeder';
import { isPartUpload, startSlowBackend } from './support/slow-backend';
import { sha256, SourceServer, streamBytes } from './support/source-server';
import { freePort, MotoServer, startMoto } from '../../../tools/testing/moto';

let moto: MotoServer;
let source: SourceServer;
let s3: S3Client;

beforeAll(async () => {
  [moto, source] = await Promise.all([startMoto(), SourceServer.start()]);
  s3 = client(moto.endpoint, 'seeder-test', 'seeder-test-secret');
});

afterAll(async () => {
  s3?.destroy();
  await Promise.all([moto?.stop(), source?.close()]);
});

function client(endpoint: string, accessKeyId: string, secretAccessKey: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
}

/** Creates the bucket unless it exists, as the component that owns buckets (MinIO's bucket Job) would. */
async function createBucket(on: S3Client, bucket: string): Promise<void> {
  try {
    await on.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw err;
  }
}

/** Seeds an existing bucket of moto (created first: the seeder never creates one). */
async function seed(bucket: string, sources: unknown, env: Record<string, string> = {}) {
  await createBucket(s3, bucket);
  return runSeeder({ S3_ENDPOINT: moto.endpoint, S3_BUCKET: bucket, SEED_SOURCES: JSON.stringify(sources), ...env });
}

async function body(bucket: string, key: string): Promise<string> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return res.Body!.transformToString();
}

async function keys(bucket: string): Promise<string[]> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (res.Contents ?? []).map((o) => o.Key!);
}

async function bucketNames(): Promise<string[]> {
  return ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
}

/** The run failed with this exit code and exactly one stderr line holding every fragment. */
function expectFailure(run: SeederRun, code: number, ...fragments: string[]): void {
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect({ code: run.code, lines: lines.length }).toEqual({ code, lines: 1 });
  expect(lines[0]).toMatch(/^seeder: /);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
  expect(run.logs.at(-1)).toMatchObject({ level: 'error', msg: 'seeding failed', exitCode: code });
}

function messages(run: SeederRun): string[] {
  return run.logs.map((l) => String(l.msg));
}

describe('happy path', () => {
  const page = '<!doctype html><title>hello</title>';
  const data = Buffer.alloc(7 * 1024 * 1024, 'x');
  let first: SeederRun;
  let urls: { page: string; data: string; css: string };
  let keyFiles: string;

  beforeAll(async () => {
    urls = {
      page: source.file('/site/index.html', page, 'text/html'),
      data: source.file('/data.bin', data),
      // octet-stream from the server is generic: the extension decides.
      css: source.file('/style.css', 'body{}', 'application/octet-stream'),
    };
    keyFiles = mkdtempSync(join(tmpdir(), 'seeder-keys-'));
    writeFileSync(join(keyFiles, 'access'), 'seeder-test\n');
    writeFileSync(join(keyFiles, 'secret'), 'file-secret-value-9f3a\n');
    // The key files win over the AWS variables; moto accepts any key, so the secret is only checked for leaks.
    first = await seed('happy', [
      { url: urls.page },
      { url: urls.data, key: 'blobs/data.bin', sha256: sha256(data), contentType: 'application/x-test' },
      { url: urls.css },
    ], {
      S3_ACCESS_KEY_FILE: join(keyFiles, 'access'),
      S3_SECRET_KEY_FILE: join(keyFiles, 'secret'),
      AWS_SECRET_ACCESS_KEY: 'env-secret-value-1c7e',
      SEED_PART_SIZE_MIB: '5',
    });
  });
  afterAll(() => rmSync(keyFiles, { recursive: true, force: true }));

  test('exits 0 with nothing on stderr and JSON lines on stdout', () => {
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(messages(first)).toEqual(expect.arrayContaining(['seeder starting', 'bucket exists', 'uploaded', 'seeding complete']));
    expect(first.logs[0]).toMatchObject({ credentials: 'key files', bucket: 'happy', sources: 3 });
  });

  test('stores every object with its content, content type and checksum', async () => {
    // WHEN
    const [index, blob, css] = await Promise.all(['index.html', 'blobs/data.bin', 'style.css']
      .map((key) => s3.send(new HeadObjectCommand({ Bucket: 'happy', Key: key }))));
    // THEN
    expect(await body('happy', 'index.html')).toBe(page);
    expect(index.ContentType).toBe('text/html');
    expect(blob).toMatchObject({ ContentLength: data.length, ContentType: 'application/x-test' });
    expect(blob.Metadata?.['seed-sha256']).toBe(sha256(data));
    expect(blob.ETag).toMatch(/-2"$/); // two 5 MiB parts: the multipart path
    expect(css.ContentType).toBe('text/css; charset=utf-8');
    const uploaded = first.logs.find((l) => l.key === 'blobs/data.bin');
    expect(uploaded).toMatchObject({ msg: 'uploaded', bytes: data.length, sha256: sha256(data), contentType: 'application/x-test' });
  });

  test('never logs a secret', () => {
    expect(first.stdout).not.toContain('file-secret-value-9f3a');
    expect(first.stdout).not.toContain('env-secret-value-1c7e');
  });

  test('a second run skips unchanged objects without downloading them again', async () => {
    // GIVEN
    const dataHits = source.hitsOf('/data.bin');
    // WHEN
    const second = await seed('happy', [{ url: urls.page }, { url: urls.data, key: 'blobs/data.bin', sha256: sha256(data), contentType: 'application/x-test' }]);
    // THEN
    expect(second.code).toBe(0);
    const skipped = second.logs.filter((l) => l.msg === 'skipped');
    expect(skipped).toEqual([
      expect.objectContaining({ key: 'index.html', reason: 'source not modified since the stored copy (ETag)' }),
      expect.objectContaining({ key: 'blobs/data.bin', reason: 'stored object has the declared sha256' }),
    ]);
    expect(source.hitsOf('/data.bin')).toBe(dataHits);
    expect(messages(second)).not.toContain('uploaded');
  });

  test('a changed source is uploaded again', async () => {
    // GIVEN
    const url = source.file('/changing.txt', 'v1');
    expect((await seed('happy', [{ url }])).code).toBe(0);
    source.file('/changing.txt', 'v2');
    // WHEN
    const run = await seed('happy', [{ url }]);
    // THEN
    expect(run.logs.find((l) => l.key === 'changing.txt')).toMatchObject({ msg: 'uploaded', bytes: 2 });
    expect(await body('happy', 'changing.txt')).toBe('v2');
  });
});

describe('faults', () => {
  test('waits for a backend that starts late', async () => {
    // GIVEN the seeder runs before anything listens on the port
    const port = await freePort();
    const url = source.file('/late.txt', 'late');
    const seeder = startSeeder({ S3_ENDPOINT: `http://localhost:${port}`, S3_BUCKET: 'late', SEED_SOURCES: JSON.stringify([{ url }]) });
    await seeder.logged('backend not ready, waiting');
    // WHEN the backend starts, and its bucket is created a moment later (MinIO's bucket Job runs beside the seeder)
    const late = await startMoto({ port });
    const lateClient = client(late.endpoint, 'x', 'y');
    try {
      await seeder.logged('bucket missing, waiting');
      await createBucket(lateClient, 'late');
      const run = await seeder.done;
      // THEN it waited for both, and created nothing itself
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(messages(run)).toEqual(expect.arrayContaining(['backend not ready, waiting', 'bucket missing, waiting', 'bucket exists', 'uploaded']));
      const got = await lateClient.send(new GetObjectCommand({ Bucket: 'late', Key: 'late.txt' }));
      expect(await got.Body!.transformToString()).toBe('late');
    } finally {
      lateClient.destroy();
      await late.stop();
    }
  });

  test('gives up on a backend that never answers', async () => {
    // GIVEN
    const port = await freePort();
    // WHEN
    const run = await runSeeder({
      S3_ENDPOINT: `http://localhost:${port}`, S3_BUCKET: 'never', SEED_SOURCES: '[]', SEED_BACKEND_TIMEOUT_SECONDS: '2',
    });
    // THEN
    expectFailure(run, 3, `backend http://localhost:${port} did not answer within 2s`, 'ECONNREFUSED');
  });

  test('fails with one line when the backend stops in the middle of a multipart upload', async () => {
    // GIVEN a backend of its own, killed once 30 MiB of a 96 MiB source went out
    const doomed = await startMoto();
    const doomedClient = client(doomed.endpoint, 'x', 'y');
    await createBucket(doomedClient, 'doomed');
    doomedClient.destroy();
    let killed = false;
    const url = source.route('/huge.bin', (_req, res) => streamBytes(res, 96 * 1024 * 1024, (sent) => {
      if (!killed && sent >= 30 * 1024 * 1024) {
        killed = true;
        doomed.kill();
      }
    }));
    try {
      // WHEN
      const run = await runSeeder({
        S3_ENDPOINT: doomed.endpoint,
        S3_BUCKET: 'doomed',
        SEED_SOURCES: JSON.stringify([{ url }]),
        SEED_PART_SIZE_MIB: '5',
        SEED_MAX_ATTEMPTS: '2',
      });
      // THEN
      expect(killed).toBe(true);
      expectFailure(run, 3, 'SEED_SOURCES[0] (http://127.0.0.1:', 'doomed/huge.bin', 'ECONNREFUSED');
    } finally {
      await doomed.stop();
    }
  });

  test('a slow backend is not mistaken for a stalled source', async () => {
    // GIVEN a proxy to moto that holds every part upload for 1.5 s, longer than the 1 s idle timeout
    const backend = await startSlowBackend(moto.endpoint, 1500);
    await createBucket(s3, 'slow-backend');
    const bytes = Buffer.alloc(12 * 1024 * 1024, 'b');
    const url = source.file('/slow-backend.bin', bytes);
    try {
      // WHEN one part at a time goes to the slow backend
      const run = await runSeeder({
        S3_ENDPOINT: backend.endpoint,
        S3_BUCKET: 'slow-backend',
        SEED_SOURCES: JSON.stringify([{ url, sha256: sha256(bytes) }]),
        SEED_IDLE_TIMEOUT_SECONDS: '1',
        SEED_PART_SIZE_MIB: '5',
        SEED_QUEUE_SIZE: '1',
        SEED_MAX_ATTEMPTS: '1',
      });
      // THEN the download waited without tripping the idle timeout
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.logs.find((l) => l.msg === 'uploaded')).toMatchObject({ bytes: bytes.length, sha256: sha256(bytes) });
      expect(backend.requests.filter(isPartUpload)).toHaveLength(3);
    } finally {
      await backend.close();
    }
  });

  test('retries a source that answers 500, then succeeds', async () => {
    // GIVEN
    const url = source.route('/flaky.txt', (_req, res, hit) => {
      if (hit === 1) res.writeHead(500).end('boom');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('steady');
    });
    // WHEN
    const run = await seed('flaky', [{ url }]);
    // THEN
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.logs.find((l) => l.msg === 'attempt failed, retrying')).toMatchObject({ attempt: 1, cause: 'HTTP 500 Internal Server Error' });
    expect(await body('flaky', 'flaky.txt')).toBe('steady');
    expect(source.hitsOf('/flaky.txt')).toBe(2);
  });

  test('fails after the attempts when a source keeps answering 503', async () => {
    // GIVEN
    const url = source.route('/down.txt', (_req, res) => res.writeHead(503).end());
    // WHEN
    const run = await seed('down', [{ url }]);
    // THEN
    expectFailure(run, 1, 'SEED_SOURCES[0]', 'down/down.txt: HTTP 503 Service Unavailable');
    expect(source.hitsOf('/down.txt')).toBe(3);
    expect(await keys('down')).toEqual([]);
  });

  test('a source that stalls mid-body hits the idle timeout and is retried', async () => {
    // GIVEN the first response sends half its body and then nothing
    const url = source.route('/stall-once.txt', (_req, res, hit) => {
      res.writeHead(200, { 'content-length': 10 });
      if (hit === 1) res.write('01234');
      else res.end('0123456789');
    });
    // WHEN
    const run = await seed('stall', [{ url }], { SEED_IDLE_TIMEOUT_SECONDS: '1' });
    // THEN
    expect(run.code).toBe(0);
    expect(run.logs.find((l) => l.msg === 'attempt failed, retrying')).toMatchObject({ cause: 'no data for 1s (idle timeout)' });
    expect(await body('stall', 'stall-once.txt')).toBe('0123456789');
  });

  test('a source that always stalls fails and leaves no object', async () => {
    // GIVEN a server that never sends its headers
    const url = source.route('/stall.txt', () => undefined);
    // WHEN
    const run = await seed('stall-forever', [{ url }], { SEED_IDLE_TIMEOUT_SECONDS: '1', SEED_MAX_ATTEMPTS: '2' });
    // THEN
    expectFailure(run, 1, 'SEED_SOURCES[0]', 'stall.txt: no data for 1s (idle timeout)');
    expect(await keys('stall-forever')).toEqual([]);
  });

  test.each([
    ['single PutObject', 1024],
    ['multipart upload', 12 * 1024 * 1024],
  ])('a checksum mismatch (%s) fails and leaves nothing behind', async (_path, size) => {
    // GIVEN
    const bytes = Buffer.alloc(size, 'a');
    const url = source.file(`/wrong-${size}.bin`, bytes);
    const bucket = `mismatch-${size}`;
    // WHEN
    const run = await seed(bucket, [{ url, sha256: sha256('something else') }], { SEED_PART_SIZE_MIB: '5' });
    // THEN
    expectFailure(run, 1, `${bucket}/wrong-${size}.bin: sha256 mismatch: expected ${sha256('something else')}, got ${sha256(bytes)}`);
    expect(await keys(bucket)).toEqual([]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
    // a mismatch is final: no second download
    expect(source.hitsOf(`/wrong-${size}.bin`)).toBe(1);
  });

  test('a connection closed mid-body is retried, then fails', async () => {
    // GIVEN a server that announces 10 bytes and closes after 4
    const url = source.route('/short.txt', (_req, res) => {
      res.writeHead(200, { 'content-length': 10 });
      res.write('0123');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    // WHEN
    const run = await seed('short', [{ url }], { SEED_MAX_ATTEMPTS: '2' });
    // THEN
    expectFailure(run, 1, 'short/short.txt: download failed: aborted (ECONNRESET)');
    expect(source.hitsOf('/short.txt')).toBe(2);
    expect(await keys('short')).toEqual([]);
  });

  test('404 fails at once and leaves the bucket as it was', async () => {
    // GIVEN
    const url = source.url('/missing.txt');
    // WHEN
    const run = await seed('notfound', [{ url }]);
    // THEN
    expectFailure(run, 1, `SEED_SOURCES[0] (${url}) -> notfound/missing.txt: HTTP 404 Not Found`);
    expect(source.hitsOf('/missing.txt')).toBe(1);
    expect(await keys('notfound')).toEqual([]);
  });

  test('a bucket that never appears is waited for, then fails; the seeder never creates one', async () => {
    // WHEN
    const run = await runSeeder({ S3_ENDPOINT: moto.endpoint, S3_BUCKET: 'never-there', SEED_SOURCES: '[]', SEED_BACKEND_TIMEOUT_SECONDS: '2' });
    // THEN
    expectFailure(run, 3, `bucket never-there does not exist on ${moto.endpoint} after 2s; the seeder never creates buckets: create it first (with @s3www-eks/minio, its 'buckets')`);
    expect(messages(run)).toContain('bucket missing, waiting');
    expect(await bucketNames()).not.toContain('never-there');
  });
});

describe('invalid configuration', () => {
  test.each([
    ['invalid JSON', '[{"url":', 'seeder: SEED_SOURCES is not valid JSON: '],
    ['not an array', '{"url":"http://x/a"}', 'seeder: SEED_SOURCES must be a JSON array, got an object'],
    ['non-http URL', '[{"url":"ftp://files.example.com/a.txt"}]',
      'seeder: SEED_SOURCES[0] (ftp://files.example.com/a.txt): url must use http or https, got "ftp"'],
    ['bad sha256', '[{"url":"http://127.0.0.1/a.txt","sha256":"abc"}]',
      'seeder: SEED_SOURCES[0] (http://127.0.0.1/a.txt): sha256 must be 64 hexadecimal characters, got "abc"'],
    ['no file name', '[{"url":"http://127.0.0.1/dir/"}]',
      'seeder: SEED_SOURCES[0] (http://127.0.0.1/dir/): the URL has no file name to use as key; set "key"'],
    ['duplicate key', '[{"url":"http://127.0.0.1/a/x.txt"},{"url":"http://127.0.0.1/b/x.txt"}]',
      'seeder: SEED_SOURCES[1] (http://127.0.0.1/b/x.txt): key "x.txt" is also the key of SEED_SOURCES[0] (http://127.0.0.1/a/x.txt)'],
    ['unknown field', '[{"url":"http://127.0.0.1/a.txt","sha":"x"}]',
      'seeder: SEED_SOURCES[0] has unknown field "sha"; allowed: url, key, sha256, contentType'],
    ['secret in the URL', '[{"url":"gopher://user:pw@127.0.0.1/a.txt?token=s3cr3t"}]',
      'seeder: SEED_SOURCES[0] (gopher://(redacted)@127.0.0.1/a.txt?(redacted)): url must use http or https, got "gopher"'],
  ])('%s exits 2 before touching the backend', async (_case, sources, message) => {
    // WHEN
    const run = await runSeeder({ S3_ENDPOINT: moto.endpoint, S3_BUCKET: 'never-created', SEED_SOURCES: sources });
    // THEN
    expectFailure(run, 2);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stdout).not.toContain('s3cr3t');
    expect(run.stderr).not.toContain('s3cr3t');
    expect(await bucketNames()).not.toContain('never-created');
  });

  test.each([
    [{ S3_BUCKET: '' }, 'seeder: S3_BUCKET must be set to the bucket to seed'],
    [{ SEED_SOURCES: undefined }, 'seeder: SEED_SOURCES must be set to a JSON array of sources'],
    [{ S3_ACCESS_KEY_FILE: '/nonexistent' }, 'seeder: S3_ACCESS_KEY_FILE and S3_SECRET_KEY_FILE must be set together, or neither for the AWS credential chain'],
    [{ S3_ACCESS_KEY_FILE: '/nonexistent/a', S3_SECRET_KEY_FILE: '/nonexistent/b' }, 'seeder: S3_ACCESS_KEY_FILE names /nonexistent/a, which cannot be read (ENOENT)'],
    [{ SEED_PART_SIZE_MIB: '4' }, 'seeder: SEED_PART_SIZE_MIB must be an integer from 5 to 512, got "4"'],
    [{ S3_ENDPOINT: 'localhost:9000' }, 'seeder: S3_ENDPOINT must be an http(s) URL such as http://minio:9000, got "localhost:9000"'],
  ])('environment %j exits 2', async (env, message) => {
    // WHEN
    const run = await runSeeder({ S3_ENDPOINT: moto.endpoint, S3_BUCKET: 'cfg', SEED_SOURCES: '[]', ...env });
    // THEN
    expectFailure(run, 2);
    expect(run.stderr).toBe(`${message}\n`);
  });
});

describe('credentials', () => {
  let secured: MotoServer;
  let key: { id: string; secret: string };

  beforeAll(async () => {
    // moto enforces IAM authentication after its first three requests, which create the seeder's user.
    secured = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: '3' } });
    const iam = async (params: Record<string, string>) => {
      const res = await fetch(secured.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          // Unsigned while authentication is off; the credential scope tells moto the service.
          'authorization': 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`IAM ${params.Action} failed: ${text}`);
      return text;
    };
    await iam({ Action: 'CreateUser', UserName: 'seeder' });
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
    await iam({ Action: 'PutUserPolicy', UserName: 'seeder', PolicyName: 's3', PolicyDocument: JSON.stringify(policy) });
    const created = await iam({ Action: 'CreateAccessKey', UserName: 'seeder' });
    key = { id: /<AccessKeyId>([^<]+)/.exec(created)![1], secret: /<SecretAccessKey>([^<]+)/.exec(created)![1] };
  });

  afterAll(async () => {
    await secured?.stop();
  });

  const seedSecured = (secret: string) => runSeeder({
    S3_ENDPOINT: secured.endpoint,
    S3_BUCKET: 'secured',
    SEED_SOURCES: JSON.stringify([{ url: source.file('/auth.txt', 'auth') }]),
    AWS_ACCESS_KEY_ID: key.id,
    AWS_SECRET_ACCESS_KEY: secret,
  });

  test('wrong credentials fail at once, naming the cause, and create nothing', async () => {
    // WHEN
    const run = await seedSecured('not-the-secret');
    // THEN
    expectFailure(run, 3, 'reaching bucket secured was refused (HTTP 403 SignatureDoesNotMatch', 'check the credentials and their permissions');
    const admin = client(secured.endpoint, key.id, key.secret);
    expect((await admin.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    admin.destroy();
  });

  test('the right credentials seed the bucket on the same server', async () => {
    // GIVEN the bucket, created by its owner
    const admin = client(secured.endpoint, key.id, key.secret);
    await createBucket(admin, 'secured');
    admin.destroy();
    // WHEN
    const run = await seedSecured(key.secret);
    // THEN
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).not.toContain(key.secret);
  });
});
