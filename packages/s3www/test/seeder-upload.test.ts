/**
 * The seeder's upload of one source (seeder/upload.ts) and its multipart uploader
 * (seeder/multipart.ts) in process, against an S3 kept in memory that records every call: what is
 * asked of the source, what is written, what is recorded for the next run, and what is left when a
 * step fails. The bundled program against moto and MinIO is tested in seeder.test.ts and
 * seeder-minio.test.ts; here each decision is checked on its own, in milliseconds.
 */
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectTaggingCommand,
  HeadObjectCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client, Tag, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { SeederConfig, SeedSource } from '../seeder/config';
import { ExitCode } from '../seeder/errors';
import { uploadStream } from '../seeder/multipart';
import * as sourceModule from '../seeder/source';
import { seedSource } from '../seeder/upload';
import { logsOf } from './support/seeder-logs';
import { sha256, SourceServer } from './support/source-server';

const MIB = 1024 * 1024;

interface StoredObject {
  body: Buffer;
  contentType?: string;
  metadata: Record<string, string>;
  tags: Tag[];
}

/** An error as the SDK throws it for an HTTP status. */
function s3Error(status: number, name: string, message = ''): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

type Command = { input: any };

/** S3 in memory: objects, multipart uploads, and every command in the order it came. */
class FakeS3 {
  readonly objects = new Map<string, StoredObject>();
  readonly calls: Array<{ name: string; input: any }> = [];
  /** Makes the named command fail: the returned error is thrown (undefined lets it pass). */
  readonly failures = new Map<string, (input: any) => Error | undefined>();
  private readonly uploads = new Map<string, { input: any; parts: Map<number, Buffer> }>();
  private nextUpload = 0;

  readonly client = { send: (command: Command) => this.send(command) } as unknown as S3Client;

  put(key: string, object: Partial<StoredObject> & { body: Buffer | string }): void {
    this.objects.set(key, { metadata: {}, tags: [], ...object, body: Buffer.from(object.body) });
  }

  names(): string[] {
    return this.calls.map((c) => c.name);
  }

  inputsOf(name: string): any[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }

  private async send(command: Command): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    const input = command.input;
    // The part bodies are buffers the uploader reuses: keep a copy of what was sent.
    this.calls.push({ name, input: input.Body ? { ...input, Body: Buffer.from(input.Body) } : input });
    await Promise.resolve();
    const failure = this.failures.get(name)?.(input);
    if (failure) throw failure;
    const stored = this.objects.get(input.Key);
    if (command instanceof HeadObjectCommand) {
      if (!stored) throw s3Error(404, 'NotFound');
      return { ContentType: stored.contentType, ContentLength: stored.body.length, Metadata: stored.metadata };
    }
    if (command instanceof GetObjectTaggingCommand) return { TagSet: stored?.tags ?? [] };
    if (command instanceof PutObjectTaggingCommand) {
      stored!.tags = input.Tagging.TagSet;
      return {};
    }
    if (command instanceof PutObjectCommand) {
      this.put(input.Key, { body: Buffer.from(input.Body), contentType: input.ContentType, metadata: input.Metadata });
      return { ETag: '"put"' };
    }
    if (command instanceof CreateMultipartUploadCommand) {
      const id = `upload-${++this.nextUpload}`;
      this.uploads.set(id, { input, parts: new Map() });
      return { UploadId: id };
    }
    if (command instanceof UploadPartCommand) {
      this.uploads.get(input.UploadId)!.parts.set(input.PartNumber, Buffer.from(input.Body));
      return { ETag: `"part-${input.PartNumber}"`, ChecksumCRC32: 'crc' };
    }
    if (command instanceof CompleteMultipartUploadCommand) {
      const upload = this.uploads.get(input.UploadId)!;
      const body = Buffer.concat(input.MultipartUpload.Parts.map((p: { PartNumber: number }) => upload.parts.get(p.PartNumber)!));
      this.put(input.Key, { body, contentType: upload.input.ContentType, metadata: upload.input.Metadata });
      this.uploads.delete(input.UploadId);
      return {};
    }
    if (command instanceof AbortMultipartUploadCommand) {
      this.uploads.delete(input.UploadId);
      return {};
    }
    throw new Error(`the fake S3 does not know ${name}`);
  }

  /** Multipart uploads neither completed nor aborted. */
  get openUploads(): number {
    return this.uploads.size;
  }
}


// The fake S3 takes parts of any size; the seeder's own minimum (5 MiB) is checked by parseConfig.
const CONFIG: SeederConfig = {
  bucket: 'site',
  region: 'us-east-1',
  sources: [],
  maxAttempts: 1,
  retryDelayMs: 1,
  idleTimeoutMs: 2000,
  backendTimeoutMs: 1000,
  partSizeBytes: MIB,
  queueSize: 2,
};

const seedOf = (url: string, fields: Partial<SeedSource> = {}): SeedSource => ({
  url: new URL(url), key: new URL(url).pathname.split('/').pop()!, label: `SEED_SOURCES[0] (${url})`, ...fields,
});

let source: SourceServer;

beforeAll(async () => {
  source = await SourceServer.start();
});

afterAll(async () => {
  await source?.close();
});

describe('seedSource', () => {
  let s3: FakeS3;

  beforeEach(() => {
    s3 = new FakeS3();
  });

  test('a new object: one PutObject with the bytes, the content type and what recognises it on the next run', async () => {
    // GIVEN a source with an ETag and a Last-Modified
    const url = source.route('/new/page.html', (_req, res) => res.writeHead(200, {
      'content-length': 5, 'etag': '"v1"', 'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT',
    }).end('hello'));
    // WHEN
    const outcome = await seedSource(s3.client, CONFIG, seedOf(url));
    // THEN
    expect(outcome).toEqual({ action: 'uploaded', bytes: 5, sha256: sha256('hello'), contentType: 'text/html; charset=utf-8' });
    expect(s3.names()).toEqual(['HeadObject', 'PutObject']);
    expect(s3.objects.get('page.html')).toEqual({
      body: Buffer.from('hello'),
      contentType: 'text/html; charset=utf-8',
      metadata: {
        'seed-source': sha256(url),
        'seed-source-etag': '"v1"',
        'seed-source-last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT',
        'seed-sha256': sha256('hello'),
      },
      tags: [],
    });
  });

  test('a source without Content-Length (chunked) is stored whole', async () => {
    const url = source.route('/chunked/notes.txt', (_req, res) => {
      res.writeHead(200);
      res.write('part one, ');
      res.end('part two');
    });
    const outcome = await seedSource(s3.client, CONFIG, seedOf(url));
    expect(outcome).toMatchObject({ action: 'uploaded', bytes: 18 });
    expect(s3.objects.get('notes.txt')?.body.toString()).toBe('part one, part two');
  });

  test('header values S3 metadata cannot carry (not printable ASCII) are not recorded', async () => {
    const url = source.route('/odd/a.txt', (_req, res) => res.writeHead(200, {
      'etag': '\u00e9"v1"', 'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT\u00e9',
    }).end('odd'));
    await seedSource(s3.client, CONFIG, seedOf(url));
    expect(Object.keys(s3.objects.get('a.txt')!.metadata)).toEqual(['seed-source', 'seed-sha256']);
  });

  test('a second run asks the source whether its copy changed, and a 304 skips it without writing', async () => {
    // GIVEN
    const url = source.file('/rerun/a.css', 'body{}');
    await seedSource(s3.client, CONFIG, seedOf(url));
    s3.calls.length = 0;
    // WHEN
    const outcome = await seedSource(s3.client, CONFIG, seedOf(url));
    // THEN
    expect(outcome).toEqual({ action: 'skipped', reason: 'source not modified since the stored copy (ETag)' });
    expect(s3.names()).toEqual(['HeadObject']);
    expect(source.hitsOf('/rerun/a.css')).toBe(2);
  });

  test('a source with only Last-Modified is asked with If-Modified-Since', async () => {
    const asked: Array<string | undefined> = [];
    const url = source.route('/dated/a.txt', (req, res) => {
      asked.push(req.headers['if-modified-since']);
      if (req.headers['if-modified-since']) res.writeHead(304).end();
      else res.writeHead(200, { 'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT' }).end('dated');
    });
    await seedSource(s3.client, CONFIG, seedOf(url));
    const outcome = await seedSource(s3.client, CONFIG, seedOf(url));
    expect(outcome).toEqual({ action: 'skipped', reason: 'source not modified since the stored copy (Last-Modified)' });
    expect(asked).toEqual([undefined, 'Tue, 01 Dec 2026 10:00:00 GMT']);
  });

  test('an object stored from another URL is not asked about: the new URL is downloaded and stored', async () => {
    // GIVEN two URLs whose servers use the same ETag (and answer 304 to it)
    const mirror = (path: string, body: string) => source.route(path, (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else res.writeHead(200, { etag: '"v1"' }).end(body);
    });
    const first = mirror('/mirror-a/same.txt', 'old');
    const second = mirror('/mirror-b/same.txt', 'new');
    await seedSource(s3.client, CONFIG, seedOf(first));
    // WHEN the key's source moves to the other URL
    const outcome = await seedSource(s3.client, CONFIG, seedOf(second));
    // THEN it is fetched whole, and the object now names the new source
    expect(outcome).toMatchObject({ action: 'uploaded', sha256: sha256('new') });
    expect(s3.objects.get('same.txt')?.metadata['seed-source']).toBe(sha256(second));
  });

  test('with a declared sha256 the declaration decides: the source is not asked whether it changed', async () => {
    // GIVEN an object stored from this URL with the source's ETag, and a source that answers 304 to any If-None-Match
    const asked: Array<string | undefined> = [];
    const url = source.route('/declared/a.bin', (req, res) => {
      asked.push(req.headers['if-none-match']);
      if (req.headers['if-none-match']) res.writeHead(304).end();
      else res.writeHead(200, { etag: '"same"' }).end('new bytes');
    });
    s3.put('a.bin', { body: 'old bytes', metadata: { 'seed-source': sha256(url), 'seed-source-etag': '"same"', 'seed-sha256': sha256('old bytes') } });
    // WHEN the declared checksum changes
    const outcome = await seedSource(s3.client, CONFIG, seedOf(url, { sha256: sha256('new bytes') }));
    // THEN
    expect(asked).toEqual([undefined]);
    expect(outcome).toMatchObject({ action: 'uploaded', sha256: sha256('new bytes') });
    expect(s3.objects.get('a.bin')?.body.toString()).toBe('new bytes');
  });

  test('a stored object with the declared sha256 is skipped without a download', async () => {
    const url = source.file('/kept/a.png', 'png bytes');
    s3.put('a.png', { body: 'png bytes', contentType: 'image/png', metadata: { 'seed-sha256': sha256('png bytes') } });
    const outcome = await seedSource(s3.client, CONFIG, seedOf(url, { sha256: sha256('png bytes') }));
    expect(outcome).toEqual({ action: 'skipped', reason: 'stored object has the declared sha256' });
    expect(source.hitsOf('/kept/a.png')).toBe(0);
    expect(s3.names()).toEqual(['HeadObject']);
  });

  test('the declared sha256 under a new declared content type is written again', async () => {
    const url = source.file('/retyped/page', '<p>hi</p>');
    s3.put('page', { body: '<p>hi</p>', contentType: 'text/plain', metadata: { 'seed-sha256': sha256('<p>hi</p>') } });
    const outcome = await seedSource(s3.client, CONFIG, seedOf(url, { sha256: sha256('<p>hi</p>'), contentType: 'text/html' }));
    expect(outcome).toMatchObject({ action: 'uploaded', contentType: 'text/html' });
    expect(s3.objects.get('page')?.contentType).toBe('text/html');
  });

  test('bytes larger than a part go up in parts, and their sha256 is recorded as the object\'s tag after completion', async () => {
    // GIVEN 2.5 parts
    const bytes = Buffer.alloc(MIB * 2.5, 'b');
    const url = source.file('/big/data.bin', bytes);
    // WHEN
    const outcome = await seedSource(s3.client, CONFIG, seedOf(url));
    // THEN
    expect(outcome).toMatchObject({ action: 'uploaded', bytes: bytes.length, sha256: sha256(bytes) });
    expect(s3.names()).toEqual(['HeadObject', 'CreateMultipartUpload', 'UploadPart', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload', 'PutObjectTagging']);
    expect(s3.inputsOf('UploadPart').map((p) => p.ContentLength)).toEqual([MIB, MIB, MIB / 2]);
    expect(s3.objects.get('data.bin')?.body.equals(bytes)).toBe(true);
    expect(s3.objects.get('data.bin')?.tags).toEqual([{ Key: 'seed-sha256', Value: sha256(bytes) }]);
  });

  test('a declared sha256 is in the metadata from the start: a multipart upload needs no tag', async () => {
    const bytes = Buffer.alloc(MIB * 2, 'd');
    const url = source.file('/big/declared.bin', bytes);
    await seedSource(s3.client, CONFIG, seedOf(url, { sha256: sha256(bytes) }));
    expect(s3.names()).not.toContain('PutObjectTagging');
    expect(s3.objects.get('declared.bin')?.metadata['seed-sha256']).toBe(sha256(bytes));
  });

  test('the same bytes as the tag of a multipart object records: aborted before they become visible', async () => {
    // GIVEN an object whose sha256 is in its tags, among others
    const bytes = Buffer.alloc(MIB * 2, 't');
    const url = source.route('/tagged/data.bin', (_req, res) => res.writeHead(200).end(bytes));
    s3.put('data.bin', {
      body: bytes,
      contentType: 'application/octet-stream',
      tags: [{ Key: 'owner', Value: 'web-team' }, { Key: 'seed-sha256', Value: sha256(bytes) }],
    });
    // WHEN
    const outcome = await seedSource(s3.client, CONFIG, seedOf(url));
    // THEN
    expect(outcome).toEqual({
      action: 'skipped', reason: 'content unchanged: the stored object has the same sha256 (upload aborted before it became visible)',
    });
    expect(s3.names()).not.toContain('CompleteMultipartUpload');
    expect(s3.names().at(-1)).toBe('AbortMultipartUpload');
    expect(s3.openUploads).toBe(0);
  });

  test('tags that cannot be read count as no sha256: a warning, and the object is written again', async () => {
    // GIVEN
    const url = source.route('/untagged/a.txt', (_req, res) => res.writeHead(200).end('same'));
    s3.put('a.txt', { body: 'same', contentType: 'text/plain; charset=utf-8' });
    s3.failures.set('GetObjectTagging', () => s3Error(403, 'AccessDenied', 'no tags for you'));
    // WHEN
    const { result, logs } = await logsOf(() => seedSource(s3.client, CONFIG, seedOf(url)));
    // THEN
    expect(result).toMatchObject({ action: 'uploaded', bytes: 4 });
    expect(logs).toEqual([{
      time: expect.any(String),
      level: 'warn',
      msg: 'cannot read the tags of the stored object; it is compared as if it had no sha256',
      key: 'a.txt',
      cause: 'no tags for you',
    }]);
  });

  test('a HEAD that fails other than with 404 stops the attempt before the download', async () => {
    const url = source.file('/headless/a.txt', 'x');
    s3.failures.set('HeadObject', () => s3Error(500, 'InternalError', 'boom'));
    await expect(seedSource(s3.client, CONFIG, seedOf(url))).rejects.toMatchObject({
      message: 'reading site/a.txt failed (HTTP 500 InternalError: boom)', exitCode: ExitCode.BACKEND, retryable: true,
    });
    expect(source.hitsOf('/headless/a.txt')).toBe(0);
  });

  test('a failed upload names the object', async () => {
    const url = source.file('/refused/a.txt', 'x');
    s3.failures.set('PutObject', () => s3Error(500, 'InternalError', 'boom'));
    await expect(seedSource(s3.client, CONFIG, seedOf(url))).rejects.toMatchObject({
      message: 'uploading to site/a.txt failed (HTTP 500 InternalError: boom)', exitCode: ExitCode.BACKEND, retryable: true,
    });
  });

  test('a tag that cannot be recorded fails the attempt, naming the tag', async () => {
    const url = source.file('/big/tagless.bin', Buffer.alloc(MIB + 1));
    s3.failures.set('PutObjectTagging', () => s3Error(501, 'NotImplemented', 'no tagging'));
    await expect(seedSource(s3.client, CONFIG, seedOf(url))).rejects.toMatchObject({
      message: 'recording the sha256 of site/tagless.bin (tag seed-sha256) failed (HTTP 501 NotImplemented: no tagging)',
      exitCode: ExitCode.BACKEND,
    });
  });

  describe('a source that announces one size and sends another', () => {
    afterEach(() => jest.restoreAllMocks());

    /** A source that announces `contentLength` bytes and sends `sent`, in 256 KiB chunks. */
    function announcing(contentLength: number, sent: number) {
      const close = jest.fn();
      jest.spyOn(sourceModule, 'openSource').mockResolvedValue({
        contentLength,
        close,
        pipeTo: async (write) => {
          for (let offset = 0; offset < sent; offset += 256 * 1024) await write(Buffer.alloc(Math.min(256 * 1024, sent - offset), 's'));
        },
      });
      return close;
    }

    test('is a retryable source failure that leaves nothing visible', async () => {
      const close = announcing(10, 4);
      await expect(seedSource(s3.client, CONFIG, seedOf('http://127.0.0.1:9/short.bin'))).rejects.toMatchObject({
        message: 'size mismatch: Content-Length was 10 bytes, received 4', exitCode: ExitCode.SOURCE, retryable: true,
      });
      expect(s3.objects.size).toBe(0);
      expect(close).toHaveBeenCalled();
    });

    test('a size beyond 10,000 parts gets parts large enough, in whole MiB', async () => {
      // GIVEN 1 MiB parts configured and an announced size one byte over 10,000 of them
      announcing(10_000 * MIB + 1, 3 * MIB);
      // WHEN (the source then sends only 3 MiB)
      await expect(seedSource(s3.client, CONFIG, seedOf('http://127.0.0.1:9/huge.bin'))).rejects.toMatchObject({ message: expect.stringMatching(/^size mismatch/) });
      // THEN the parts were 2 MiB, and the upload was aborted
      expect(s3.inputsOf('UploadPart').map((p) => p.ContentLength)).toEqual([2 * MIB, MIB]);
      expect(s3.openUploads).toBe(0);
    });
  });
});

describe('uploadStream', () => {
  const params = { Bucket: 'site', Key: 'parts.bin', ContentType: 'application/octet-stream', Metadata: { 'seed-source': 'x' } };
  const options = (fields: { queueSize?: number; beforeVisible?: () => Record<string, string> | void } = {}) => ({
    partSize: MIB, queueSize: 2, beforeVisible: () => undefined, ...fields,
  });
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
  let s3: FakeS3;

  beforeEach(() => {
    s3 = new FakeS3();
  });

  test('a body of exactly two parts sends two parts, none empty', async () => {
    const stored = await uploadStream(s3.client, params, async (write) => {
      await write(Buffer.alloc(2 * MIB, 'e'));
    }, options());
    expect(stored).toEqual({ multipart: true });
    expect(s3.inputsOf('UploadPart').map((p) => p.ContentLength)).toEqual([MIB, MIB]);
    expect(s3.objects.get('parts.bin')?.body.length).toBe(2 * MIB);
  });

  test('the metadata beforeVisible returns goes with a single PutObject', async () => {
    const stored = await uploadStream(s3.client, params, async (write) => {
      await write(Buffer.from('small'));
    }, options({ beforeVisible: () => ({ 'seed-sha256': 'abc' }) }));
    expect(stored).toEqual({ multipart: false });
    expect(s3.objects.get('parts.bin')?.metadata).toEqual({ 'seed-source': 'x', 'seed-sha256': 'abc' });
  });

  test('while there is room for another part, the body is not paused', async () => {
    const waits: Array<Promise<void> | undefined> = [];
    await uploadStream(s3.client, params, async (write) => {
      const first = write(Buffer.alloc(MIB));
      waits.push(first);
      await first;
      waits.push(write(Buffer.alloc(MIB)));
      await tick();
    }, options({ queueSize: 2 }));
    // The first part waits for the upload to be created; the second finds room at once.
    expect(waits[0]).toBeInstanceOf(Promise);
    expect(waits[1]).toBeUndefined();
    expect(s3.inputsOf('UploadPart')).toHaveLength(2);
  });

  test('each full part asks for a minor garbage collection when node offers one (--expose-gc)', async () => {
    const gc = jest.fn();
    (globalThis as { gc?: unknown }).gc = gc;
    try {
      await uploadStream(s3.client, params, async (write) => {
        await write(Buffer.alloc(2 * MIB + 1));
      }, options());
    } finally {
      delete (globalThis as { gc?: unknown }).gc;
    }
    expect(gc.mock.calls).toEqual([[{ type: 'minor' }], [{ type: 'minor' }]]);
  });

  test('after a part failed, every write fails with its error and no further part starts; the upload is aborted', async () => {
    // GIVEN the first part fails
    s3.failures.set('UploadPart', (input) => input.PartNumber === 1 ? s3Error(500, 'InternalError', 'part lost') : undefined);
    const writes: string[] = [];
    // WHEN the body goes on writing after the failure: a few bytes, then enough to fill the next part
    const upload = uploadStream(s3.client, params, async (write) => {
      await write(Buffer.alloc(MIB, 1));
      await tick();
      let failure: unknown;
      for (const size of [10, MIB]) {
        try {
          await write(Buffer.alloc(size, 2));
          writes.push('accepted');
        } catch (err) {
          writes.push((err as Error).message);
          failure = err;
        }
      }
      if (failure) throw failure;
    }, options());
    // THEN
    await expect(upload).rejects.toThrow('part lost');
    expect(writes).toEqual(['part lost', 'part lost']);
    expect(s3.inputsOf('UploadPart')).toHaveLength(1);
    expect(s3.names()).not.toContain('CompleteMultipartUpload');
    expect(s3.names().at(-1)).toBe('AbortMultipartUpload');
  });

  test('a part that fails after the last byte was read fails the upload, which is never completed', async () => {
    s3.failures.set('UploadPart', (input) => input.PartNumber === 2 ? s3Error(400, 'InvalidPart', 'the last part') : undefined);
    const visible = jest.fn();
    await expect(uploadStream(s3.client, params, async (write) => {
      await write(Buffer.alloc(MIB + 10));
    }, options({ beforeVisible: visible }))).rejects.toThrow('the last part');
    expect(visible).not.toHaveBeenCalled();
    expect(s3.names()).not.toContain('CompleteMultipartUpload');
    expect(s3.openUploads).toBe(0);
  });

  test('an abort that fails is logged, and the upload fails with its own error', async () => {
    // GIVEN
    s3.failures.set('AbortMultipartUpload', () => s3Error(503, 'ServiceUnavailable', 'try later'));
    const cause = new Error('checksum mismatch');
    // WHEN
    const { error, logs } = await logsOf(() => uploadStream(s3.client, params, async (write) => {
      await write(Buffer.alloc(MIB + 1));
    }, options({
      beforeVisible: () => {
        throw cause;
      },
    })));
    // THEN
    expect(error).toBe(cause);
    expect(logs).toEqual([{ time: expect.any(String), level: 'warn', msg: 'could not abort the multipart upload', key: 'parts.bin', cause: 'try later' }]);
  });
});
