/**
 * The seeder as shipped, against the real MinIO server (tools/programs/build.js), for what
 * depends on the backend's own behaviour: an unchanged object is never written again, even when
 * its source sends neither ETag nor Last-Modified, because the SHA-256 recorded on the stored
 * object is compared before the upload becomes visible.
 */
import { execFile } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  CreateBucketCommand, GetObjectTaggingCommand, HeadObjectCommand, HeadObjectCommandOutput, ListMultipartUploadsCommand, S3Client,
} from '@aws-sdk/client-s3';
import { runSeeder, SeederRun, startSeeder } from './support/run-seeder';
import { sha256, SourceServer } from './support/source-server';
import { MinioServer, startMinio } from '../../../tools/testing/minio';

const MIB = 1024 * 1024;

let minio: MinioServer;
let source: SourceServer;
let s3: S3Client;
let keyFiles: string;

beforeAll(async () => {
  [minio, source] = await Promise.all([startMinio(), SourceServer.start()]);
  s3 = new S3Client({ endpoint: minio.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: minio.accessKey, secretAccessKey: minio.secretKey } });
  keyFiles = mkdtempSync(join(tmpdir(), 'seeder-minio-keys-'));
  writeFileSync(join(keyFiles, 'accessKey'), minio.accessKey);
  writeFileSync(join(keyFiles, 'secretKey'), minio.secretKey);
  // The bucket's owner creates it (in a cluster, MinIO's bucket Job): the seeder only checks it.
  await s3.send(new CreateBucketCommand({ Bucket: 'site' }));
});

afterAll(async () => {
  s3?.destroy();
  await Promise.all([minio?.stop(), source?.close()]);
  rmSync(keyFiles, { recursive: true, force: true });
});

/** A source that sends no ETag and no Last-Modified: every request gets the whole body. */
function plainFile(path: string, body: () => Buffer, contentType = 'application/octet-stream'): string {
  return source.route(path, (_req, res) => {
    const bytes = body();
    res.writeHead(200, { 'content-length': bytes.length, 'content-type': contentType }).end(bytes);
  });
}

function seed(sources: unknown): Promise<SeederRun> {
  return runSeeder({
    S3_ENDPOINT: minio.endpoint,
    S3_BUCKET: 'site',
    SEED_SOURCES: JSON.stringify(sources),
    S3_ACCESS_KEY_FILE: join(keyFiles, 'accessKey'),
    S3_SECRET_KEY_FILE: join(keyFiles, 'secretKey'),
  });
}

const head = (key: string): Promise<HeadObjectCommandOutput> => s3.send(new HeadObjectCommand({ Bucket: 'site', Key: key }));
const outcome = (run: SeederRun, key: string) => run.logs.find((l) => l.key === key && (l.msg === 'skipped' || l.msg === 'uploaded'));
/** The SHA-256 recorded on an object: its metadata (single PutObject) or its tag (multipart). */
async function recorded(key: string): Promise<{ metadata?: string; tag?: string }> {
  const [stored, tags] = await Promise.all([head(key), s3.send(new GetObjectTaggingCommand({ Bucket: 'site', Key: key }))]);
  return { metadata: stored.Metadata?.['seed-sha256'], tag: tags.TagSet?.find((t) => t.Key === 'seed-sha256')?.Value };
}
const pendingUploads = async () => (await s3.send(new ListMultipartUploadsCommand({ Bucket: 'site' }))).Uploads ?? [];

describe.each([
  ['a single PutObject', 300 * 1024, '', 'metadata'],
  ['a multipart upload', 20 * MIB, '-3', 'tag'],
] as const)('without ETag or Last-Modified, %s', (_, size, partsSuffix, where) => {
  const key = `plain-${size}.bin`;
  let bytes = Buffer.alloc(size, 7);
  let first: SeederRun;
  let stored: HeadObjectCommandOutput;

  beforeAll(async () => {
    const url = plainFile(`/${key}`, () => bytes);
    first = await seed([{ url, key }]);
    stored = await head(key);
  });

  test(`the first run stores the bytes with their SHA-256 recorded in the object's ${where}`, async () => {
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(outcome(first, key)).toMatchObject({ msg: 'uploaded', bytes: size, sha256: sha256(bytes) });
    expect(stored.ContentLength).toBe(size);
    // The multipart object is the one CompleteMultipartUpload made: recording its SHA-256 wrote no byte.
    expect(stored.ETag).toMatch(new RegExp(`^"[0-9a-f]{32}${partsSuffix}"$`));
    expect(await recorded(key)).toEqual({ [where]: sha256(bytes) });
  });

  test('a rerun downloads the same bytes and aborts the upload: the object is not written again', async () => {
    // GIVEN the source was asked once, unconditionally
    const hits = source.hitsOf(`/${key}`);
    // WHEN
    const second = await seed([{ url: source.url(`/${key}`), key }]);
    // THEN the source was downloaded again (it offers nothing to ask with), nothing was written
    expect(second.code).toBe(0);
    expect(source.hitsOf(`/${key}`)).toBe(hits + 1);
    expect(outcome(second, key)).toMatchObject({
      msg: 'skipped', reason: 'content unchanged: the stored object has the same sha256 (upload aborted before it became visible)',
    });
    const after = await head(key);
    expect({ etag: after.ETag, modified: after.LastModified, metadata: after.Metadata })
      .toEqual({ etag: stored.ETag, modified: stored.LastModified, metadata: stored.Metadata });
    expect(await pendingUploads()).toEqual([]);
  });

  test('changed bytes are written, with their new SHA-256', async () => {
    // GIVEN
    bytes = Buffer.alloc(size, 8);
    // WHEN
    const third = await seed([{ url: source.url(`/${key}`), key }]);
    // THEN
    expect(outcome(third, key)).toMatchObject({ msg: 'uploaded', sha256: sha256(bytes) });
    expect(await recorded(key)).toEqual({ [where]: sha256(bytes) });
    expect(await pendingUploads()).toEqual([]);
  });
});

test('the same bytes under a new content type are written again', async () => {
  // GIVEN an object stored as application/octet-stream
  const url = plainFile('/typed.dat', () => Buffer.from('same bytes'));
  expect(outcome(await seed([{ url }]), 'typed.dat')).toMatchObject({ msg: 'uploaded', contentType: 'application/octet-stream' });
  // WHEN the source list now declares a content type
  const run = await seed([{ url, contentType: 'text/plain' }]);
  // THEN
  expect(outcome(run, 'typed.dat')).toMatchObject({ msg: 'uploaded', contentType: 'text/plain' });
  expect((await head('typed.dat')).ContentType).toBe('text/plain');
});

test('a source that sends only Last-Modified is asked with If-Modified-Since, and a 304 skips it', async () => {
  // GIVEN
  const lastModified = new Date(Date.now() - 3600_000).toUTCString();
  const asked: Array<string | undefined> = [];
  const url = source.route('/dated.txt', (req, res) => {
    asked.push(req.headers['if-modified-since']);
    if (req.headers['if-modified-since'] === lastModified) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { 'last-modified': lastModified, 'content-type': 'text/plain' }).end('dated');
  });
  // WHEN
  const first = await seed([{ url }]);
  const second = await seed([{ url }]);
  // THEN
  expect(outcome(first, 'dated.txt')).toMatchObject({ msg: 'uploaded' });
  expect((await head('dated.txt')).Metadata?.['seed-source-last-modified']).toBe(lastModified);
  expect(asked).toEqual([undefined, lastModified]);
  expect(outcome(second, 'dated.txt')).toMatchObject({ msg: 'skipped', reason: 'source not modified since the stored copy (Last-Modified)' });
});

test('the seeder never creates a bucket: it waits until its owner (MinIO\'s bucket Job) has made it', async () => {
  // GIVEN a bucket nobody has created yet, and a seeder started against it
  const url = source.file('/late-bucket.txt', 'content');
  const run = startSeeder({
    S3_ENDPOINT: minio.endpoint,
    S3_BUCKET: 'late-bucket',
    SEED_SOURCES: JSON.stringify([{ url }]),
    S3_ACCESS_KEY_FILE: join(keyFiles, 'accessKey'),
    S3_SECRET_KEY_FILE: join(keyFiles, 'secretKey'),
  });
  await run.logged('bucket missing, waiting');
  // WHEN the owner creates it
  await s3.send(new CreateBucketCommand({ Bucket: 'late-bucket' }));
  const done = await run.done;
  // THEN the seeder waited, then seeded it
  expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
  expect(done.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['bucket missing, waiting', 'bucket exists', 'uploaded']));
  expect((await s3.send(new HeadObjectCommand({ Bucket: 'late-bucket', Key: 'late-bucket.txt' }))).ContentLength).toBe(7);
});

describe('a user of its own, created by its owner after the seeder started', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node.js script, shared with .ci/run
  const programs = require('../../../tools/programs/build.js') as { programPath(name: string): string };
  /** mc as MinIO's root user, its keys in the environment only. */
  const mcAsRoot = (...args: string[]): Promise<number | null> => new Promise((resolve) => {
    const url = new URL(minio.endpoint);
    url.username = minio.accessKey;
    url.password = minio.secretKey;
    execFile(programs.programPath('mc'), args, {
      env: { PATH: '/usr/bin:/bin', HOME: keyFiles, MC_CONFIG_DIR: join(keyFiles, 'mc'), MC_HOST_m: url.href.replace(/\/$/, '') },
    }, (err) => resolve(err ? Number(err.code ?? 1) : 0));
  });
  /** Key files of a user nobody has created yet. */
  const userKeys = (name: string) => {
    const dir = mkdtempSync(join(keyFiles, `${name}-`));
    const keys = { accessKey: `${name}-${randomBytes(3).toString('hex')}`, secretKey: randomBytes(16).toString('hex') };
    writeFileSync(join(dir, 'accessKey'), keys.accessKey);
    writeFileSync(join(dir, 'secretKey'), keys.secretKey);
    return { ...keys, env: { S3_ACCESS_KEY_FILE: join(dir, 'accessKey'), S3_SECRET_KEY_FILE: join(dir, 'secretKey') } };
  };

  test('an unknown access key is waited for until the user and its policy exist, then the seeder seeds', async () => {
    // GIVEN a seeder started with the keys of a user that does not exist yet
    const user = userKeys('late-user');
    const url = source.file('/late-user.txt', 'granted');
    const run = startSeeder({ S3_ENDPOINT: minio.endpoint, S3_BUCKET: 'site', SEED_SOURCES: JSON.stringify([{ url }]), ...user.env });
    await run.logged('access refused, waiting for the user and its policy');
    // WHEN its owner creates the user with a policy like @s3www-eks/minio's grantReadWrite (no delete)
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::site'] },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'], Resource: ['arn:aws:s3:::site/*'] },
      ],
    });
    writeFileSync(join(keyFiles, 'policy.json'), policy);
    expect(await mcAsRoot('admin', 'policy', 'create', 'm', 'late-writer', join(keyFiles, 'policy.json'))).toBe(0);
    expect(await mcAsRoot('admin', 'user', 'add', 'm', user.accessKey, user.secretKey)).toBe(0);
    expect(await mcAsRoot('admin', 'policy', 'attach', 'm', 'late-writer', '--user', user.accessKey)).toBe(0);
    const done = await run.done;
    // THEN it waited, said why, and seeded
    expect({ code: done.code, stderr: done.stderr }).toEqual({ code: 0, stderr: '' });
    const waited = done.logs.find((l) => l.msg === 'access refused, waiting for the user and its policy');
    expect(String(waited?.cause)).toContain('InvalidAccessKeyId');
    expect(done.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['bucket exists', 'uploaded']));
    expect((await head('late-user.txt')).ContentLength).toBe(7);
  });

  test('a key that never gets a user fails after the start-up wait, naming what is missing', async () => {
    const user = userKeys('never-user');
    const run = await runSeeder({ S3_ENDPOINT: minio.endpoint, S3_BUCKET: 'site', SEED_SOURCES: '[]', SEED_BACKEND_TIMEOUT_SECONDS: '2', ...user.env });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^seeder: reaching bucket site was refused \(HTTP 403 InvalidAccessKeyId: .*\); check the credentials and their permissions, still after 2s: the access key must belong to a user that may list site \(with @s3www-eks\/minio, minio\.grantReadWrite\(\) for this Secret; MinIO's bucket Job creates the user\)\n$/);
    expect(run.logs.map((l) => l.msg)).toContain('access refused, waiting for the user and its policy');
  });

  test('a wrong secret key for a known user is not waited for: the run fails at once', async () => {
    const run = await runSeeder({
      S3_ENDPOINT: minio.endpoint,
      S3_BUCKET: 'site',
      SEED_SOURCES: '[]',
      SEED_BACKEND_TIMEOUT_SECONDS: '20',
      ...userKeys('wrong').env,
      S3_ACCESS_KEY_FILE: join(keyFiles, 'accessKey'),
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('SignatureDoesNotMatch');
    expect(run.logs.map((l) => l.msg)).not.toContain('access refused, waiting for the user and its policy');
  });
});
