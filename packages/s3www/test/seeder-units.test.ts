/**
 * The seeder's modules in process, where a test can see what the bundled program (test/seeder.test.ts)
 * shows only through its exit code and logs: the back-off between attempts, the content type of each
 * extension, the classification of S3 errors, the redaction of URLs.
 */
import { createServer, IncomingHttpHeaders } from 'http';
import { AddressInfo } from 'net';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createClient, fromS3Error } from '../seeder/backend';
import { parseConfig } from '../seeder/config';
import { contentTypeFor, GENERIC_CONTENT_TYPE } from '../seeder/content-type';
import { ExitCode, oneLine, SeedError, sourceError } from '../seeder/errors';
import { log, redactUrl } from '../seeder/log';
import { Measure } from '../seeder/measure';
import { withRetry } from '../seeder/retry';
import { ChunkWriter, openSource } from '../seeder/source';
import { logsOf } from './support/seeder-logs';
import { sha256, SourceServer } from './support/source-server';


describe('withRetry', () => {
  const failing = (errors: unknown[]) => {
    let calls = 0;
    const step = jest.fn(async (attempt: number) => {
      calls++;
      if (calls <= errors.length) throw errors[calls - 1];
      return `done on attempt ${attempt}`;
    });
    return step;
  };

  test('doubles the delay after each failed attempt, up to the maximum, and logs each retry', async () => {
    // GIVEN a step that fails four times with a retryable error
    const step = failing([1, 2, 3, 4].map((n) => sourceError(`flaky ${n}`, true)));
    // WHEN it gets five attempts, 2 ms first, at most 5 ms
    const { result, logs } = await logsOf(() => withRetry({ attempts: 5, delayMs: 2, maxDelayMs: 5 }, { key: 'k' }, step));
    // THEN
    expect(result).toBe('done on attempt 5');
    expect(step.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(logs.map(({ level, msg, key, attempt, of, retryInMs, cause }) => ({ level, msg, key, attempt, of, retryInMs, cause }))).toEqual([
      { level: 'warn', msg: 'attempt failed, retrying', key: 'k', attempt: 1, of: 5, retryInMs: 2, cause: 'flaky 1' },
      { level: 'warn', msg: 'attempt failed, retrying', key: 'k', attempt: 2, of: 5, retryInMs: 4, cause: 'flaky 2' },
      { level: 'warn', msg: 'attempt failed, retrying', key: 'k', attempt: 3, of: 5, retryInMs: 5, cause: 'flaky 3' },
      { level: 'warn', msg: 'attempt failed, retrying', key: 'k', attempt: 4, of: 5, retryInMs: 5, cause: 'flaky 4' },
    ]);
  });

  test('waits the logged delay before the next attempt', async () => {
    // GIVEN
    const step = failing([sourceError('slow', true)]);
    const started = Date.now();
    // WHEN
    await logsOf(() => withRetry({ attempts: 2, delayMs: 200, maxDelayMs: 1000 }, {}, step));
    // THEN
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  test('throws the last error as it was once the attempts are spent', async () => {
    // GIVEN
    const last = sourceError('still down', true);
    const step = failing([sourceError('down', true), last, sourceError('never reached', true)]);
    // WHEN
    const { error, logs } = await logsOf(() => withRetry({ attempts: 2, delayMs: 1, maxDelayMs: 1 }, {}, step));
    // THEN
    expect(error).toBe(last);
    expect(step).toHaveBeenCalledTimes(2);
    expect(logs).toHaveLength(1);
  });

  test.each([
    ['a final seeder error', sourceError('404', false)],
    ['any other error (a bug)', new Error('bug')],
  ])('does not retry %s', async (_, thrown) => {
    // GIVEN
    const step = failing([thrown]);
    // WHEN
    const { error, logs } = await logsOf(() => withRetry({ attempts: 5, delayMs: 1, maxDelayMs: 1 }, {}, step));
    // THEN
    expect(error).toBe(thrown);
    expect(step).toHaveBeenCalledTimes(1);
    expect(logs).toEqual([]);
  });

  test('one attempt means no retry', async () => {
    const step = failing([sourceError('once', true)]);
    const { error } = await logsOf(() => withRetry({ attempts: 1, delayMs: 1, maxDelayMs: 1 }, {}, step));
    expect(error).toBeInstanceOf(SeedError);
    expect(step).toHaveBeenCalledTimes(1);
  });
});

describe('contentTypeFor', () => {
  // What browsers need from a static site: scripts and modules as JavaScript, styles as text/css
  // (both refused otherwise under X-Content-Type-Options: nosniff), WebAssembly as application/wasm
  // (streaming compilation), text with its charset, media by their registered types.
  test.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['page.htm', 'text/html; charset=utf-8'],
    ['app.js', 'text/javascript; charset=utf-8'],
    ['app.mjs', 'text/javascript; charset=utf-8'],
    ['app.js.map', 'application/json'],
    ['site.css', 'text/css; charset=utf-8'],
    ['data.json', 'application/json'],
    ['feed.xml', 'application/xml'],
    ['notes.txt', 'text/plain; charset=utf-8'],
    ['README.md', 'text/markdown; charset=utf-8'],
    ['table.csv', 'text/csv; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['logo.png', 'image/png'],
    ['photo.jpg', 'image/jpeg'],
    ['photo.jpeg', 'image/jpeg'],
    ['anim.gif', 'image/gif'],
    ['photo.webp', 'image/webp'],
    ['photo.avif', 'image/avif'],
    ['favicon.ico', 'image/x-icon'],
    ['font.woff', 'font/woff'],
    ['font.woff2', 'font/woff2'],
    ['module.wasm', 'application/wasm'],
    ['clip.mp4', 'video/mp4'],
    ['clip.webm', 'video/webm'],
    ['paper.pdf', 'application/pdf'],
    ['bundle.zip', 'application/zip'],
    ['bundle.tar', 'application/x-tar'],
    ['bundle.tar.gz', 'application/gzip'],
  ])('%s is served as %s', (key, type) => {
    expect(contentTypeFor(key)).toBe(type);
  });

  test('the extension is the last one of the file name, in any case; folders do not count', () => {
    expect(contentTypeFor('img/Logo.PNG')).toBe('image/png');
    expect(contentTypeFor('v1.2/notes')).toBe(GENERIC_CONTENT_TYPE);
    expect(contentTypeFor('dir.css/file')).toBe(GENERIC_CONTENT_TYPE);
  });

  test('a dot file has no extension, and neither has a name without a dot', () => {
    expect(contentTypeFor('.css')).toBe(GENERIC_CONTENT_TYPE);
    expect(contentTypeFor('styles/.css')).toBe(GENERIC_CONTENT_TYPE);
    expect(contentTypeFor('conf/.htaccess')).toBe(GENERIC_CONTENT_TYPE);
    expect(contentTypeFor('LICENSE')).toBe(GENERIC_CONTENT_TYPE);
    expect(contentTypeFor('unknown.xyz')).toBe(GENERIC_CONTENT_TYPE);
  });

  test('the declared type wins, then the server\'s unless it is the generic one, then the extension', () => {
    expect(contentTypeFor('a.css', 'text/x-declared', 'text/x-server')).toBe('text/x-declared');
    expect(contentTypeFor('a.css', undefined, 'text/x-server')).toBe('text/x-server');
    expect(contentTypeFor('a.css', undefined, 'application/octet-stream')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.css', undefined, 'Application/Octet-Stream; charset=binary')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.css', undefined, null)).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.css', '', '')).toBe('text/css; charset=utf-8');
  });
});

describe('fromS3Error', () => {
  /** An error as the SDK throws it. */
  const sdkError = (fields: Record<string, unknown>, message = '') => Object.assign(new Error(message), fields);
  const status = (code: number) => ({ $metadata: { httpStatusCode: code } });

  test.each([
    ['a 5xx', sdkError({ name: 'InternalError', ...status(500) }, 'We encountered an internal error.'), 'HTTP 500 InternalError: We encountered an internal error.'],
    ['a 503', sdkError({ name: 'ServiceUnavailable', ...status(503) }, 'Reduce your request rate.'), 'HTTP 503 ServiceUnavailable: Reduce your request rate.'],
    ['429', sdkError({ name: 'TooManyRequests', ...status(429) }, 'slow down'), 'HTTP 429 TooManyRequests: slow down'],
    ['SlowDown, whatever its status', sdkError({ Code: 'SlowDown', name: 'S3ServiceException', ...status(400) }, 'Please reduce your request rate.'), 'HTTP 400 SlowDown: Please reduce your request rate.'],
    ['a socket error (no status)', sdkError({ code: 'ECONNREFUSED' }, 'connect ECONNREFUSED 127.0.0.1:9'), 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9'],
  ])('%s may pass: a retryable backend failure', (_, err, text) => {
    const failure = fromS3Error(err, 'uploading to site/a.txt');
    expect(failure).toMatchObject({ exitCode: ExitCode.BACKEND, retryable: true, message: `uploading to site/a.txt failed (${text})` });
  });

  test.each([
    ['a 404', sdkError({ name: 'NoSuchKey', ...status(404) }, 'The specified key does not exist.'), 'HTTP 404 NoSuchKey: The specified key does not exist.'],
    ['a 400', sdkError({ name: 'InvalidPart', ...status(400) }, 'One or more of the specified parts could not be found.'), 'HTTP 400 InvalidPart: One or more of the specified parts could not be found.'],
    ['a 409', sdkError({ name: 'Conflict', ...status(409) }), 'HTTP 409 Conflict'],
  ])('%s is final', (_, err, text) => {
    const failure = fromS3Error(err, 'uploading to site/a.txt');
    expect(failure).toMatchObject({ exitCode: ExitCode.BACKEND, retryable: false, message: `uploading to site/a.txt failed (${text})` });
  });

  test.each(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'InvalidToken', 'ExpiredToken', 'CredentialsProviderError'])(
    '%s is a refusal: final, and the message points at the credentials', (name) => {
      const failure = fromS3Error(sdkError({ name }, 'no'), 'reaching bucket site');
      expect(failure).toMatchObject({
        exitCode: ExitCode.BACKEND,
        retryable: false,
        message: `reaching bucket site was refused (${name}: no); check the credentials and their permissions`,
      });
    });

  test.each([401, 403])('HTTP %i is a refusal whatever the error code', (code) => {
    const failure = fromS3Error(sdkError({ name: 'UnknownError', ...status(code) }, 'denied'), 'reaching bucket site');
    expect(failure).toMatchObject({
      retryable: false,
      message: `reaching bucket site was refused (HTTP ${code} UnknownError: denied); check the credentials and their permissions`,
    });
  });

  test('the code is S3\'s Code, else the error\'s name (unless plain "Error"), else the socket\'s code', () => {
    expect(fromS3Error(sdkError({ Code: 'NoSuchUpload', name: 'S3ServiceException', code: 'EX', ...status(404) }, 'gone'), 'x').message)
      .toBe('x failed (HTTP 404 NoSuchUpload: gone)');
    expect(fromS3Error(sdkError({ code: 'ECONNRESET' }, 'socket hang up'), 'x').message).toBe('x failed (ECONNRESET: socket hang up)');
    expect(fromS3Error(sdkError({}, 'odd'), 'x').message).toBe('x failed (Error: odd)');
    expect(fromS3Error(sdkError({ name: 'TimeoutError' }, 'TimeoutError'), 'x').message).toBe('x failed (TimeoutError)');
    expect(fromS3Error('a string', 'x').message).toBe('x failed (Error: a string)');
  });

  test('a seeder error passes through as it was', () => {
    const err = sourceError('sha256 mismatch', false);
    expect(fromS3Error(err, 'uploading')).toBe(err);
  });
});

describe('errors and logs', () => {
  test('oneLine: the message, else the name, else the value, on one line', () => {
    expect(oneLine(new Error('  first\n  second\tthird  '))).toBe('first second third');
    expect(oneLine(Object.assign(new Error(''), { name: 'AbortError' }))).toBe('AbortError');
    expect(oneLine('plain\nstring')).toBe('plain string');
    expect(oneLine(42)).toBe('42');
  });

  test('seeder errors carry the exit code of the contract, final unless said otherwise', () => {
    expect(new SeedError('x', ExitCode.CONFIG)).toMatchObject({ name: 'SeedError', exitCode: 2, retryable: false, message: 'x' });
    expect(sourceError('y', true)).toMatchObject({ exitCode: 1, retryable: true });
    expect([ExitCode.OK, ExitCode.SOURCE, ExitCode.CONFIG, ExitCode.BACKEND, ExitCode.INTERNAL]).toEqual([0, 1, 2, 3, 4]);
  });

  test('a log line is one JSON object: time, level, message, then the fields', async () => {
    const before = Date.now();
    const { logs } = await logsOf(async () => log('warn', 'something', { key: 'a.txt', bytes: 3, done: false }));
    expect(logs).toEqual([{ time: expect.any(String), level: 'warn', msg: 'something', key: 'a.txt', bytes: 3, done: false }]);
    expect(Object.keys(logs[0])).toEqual(['time', 'level', 'msg', 'key', 'bytes', 'done']);
    expect(Date.parse(logs[0].time as string)).toBeGreaterThanOrEqual(before - 1);
    expect(logs[0].time).toBe(new Date(Date.parse(logs[0].time as string)).toISOString());
  });

  test('each log line ends with a newline', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      log('info', 'one');
      expect(String(write.mock.calls[0][0])).toMatch(/^\{.*"msg":"one"\}\n$/);
    } finally {
      write.mockRestore();
    }
  });

  test.each([
    ['https://example.com/a/b.txt', 'https://example.com/a/b.txt'],
    ['https://user:pass@example.com:8443/a.txt', 'https://(redacted)@example.com:8443/a.txt'],
    ['https://user@example.com/a.txt', 'https://(redacted)@example.com/a.txt'],
    ['https://:pass@example.com/a.txt', 'https://(redacted)@example.com/a.txt'],
    ['https://example.com/a.txt?X-Amz-Signature=secret&x=1', 'https://example.com/a.txt?(redacted)'],
    ['https://example.com/a.txt#part', 'https://example.com/a.txt'],
    ['not a url', '(unparseable URL)'],
  ])('redactUrl(%s) is %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
    if (redacted !== '(unparseable URL)') expect(redactUrl(new URL(url))).toBe(redacted);
  });
});

describe('Measure', () => {
  test('counts and hashes every chunk on its way to the next writer; the result exists once the last one went by', () => {
    // GIVEN
    const measure = new Measure();
    const passed: string[] = [];
    const write = measure.wrap((chunk) => {
      passed.push(chunk.toString());
      return undefined;
    });
    // WHEN
    void write(Buffer.from('hello '));
    expect(measure.result).toBeUndefined();
    void write(Buffer.from('world'));
    measure.end();
    measure.end();
    // THEN
    expect(passed).toEqual(['hello ', 'world']);
    expect(measure.result).toEqual({ bytes: 11, sha256: sha256('hello world') });
  });

  test('passes on what the next writer returns (its wait)', () => {
    const wait = Promise.resolve();
    expect(new Measure().wrap(() => wait)(Buffer.from('x'))).toBe(wait);
  });
});

describe('the S3 client', () => {
  let requests: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }>;
  let server: ReturnType<typeof createServer>;
  let endpoint: string;

  beforeAll(async () => {
    requests = [];
    server = createServer((req, res) => {
      requests.push({ method: req.method, url: req.url, headers: req.headers });
      req.resume();
      req.on('end', () => {
        if (req.method === 'PUT') res.writeHead(200, { etag: '"e"' }).end();
        else res.writeHead(200, { 'content-type': 'application/xml' }).end('<ListBucketResult><Name>site</Name><KeyCount>0</KeyCount></ListBucketResult>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const config = (env: Record<string, string> = {}) => parseConfig({
    S3_BUCKET: 'site', SEED_SOURCES: '[]', S3_ENDPOINT: endpoint, AWS_REGION: 'eu-west-1', ...env,
  });

  test('addresses the bucket by path at an endpoint, and leaves part bodies out of the signature, without 100-continue', async () => {
    // GIVEN
    const client = createClient(config());
    client.config.credentials = async () => ({ accessKeyId: 'unit', secretAccessKey: 'unit-secret' });
    requests.length = 0;
    // WHEN a body larger than the SDK's 100-continue threshold goes out, and a listing
    await client.send(new PutObjectCommand({ Bucket: 'site', Key: 'big.bin', Body: new Uint8Array(2 * 1024 * 1024) }));
    await client.send(new ListObjectsV2Command({ Bucket: 'site', MaxKeys: 1 }));
    // A backend that accepts the connection and never answers fails the request instead of hanging the Job.
    const handler = client.config.requestHandler as unknown as { httpHandlerConfigs(): Record<string, unknown> };
    expect(handler.httpHandlerConfigs()).toMatchObject({ connectionTimeout: 5_000, requestTimeout: 120_000 });
    client.destroy();
    // THEN
    const [put, list] = requests;
    expect(put).toMatchObject({ method: 'PUT', url: expect.stringMatching(/^\/site\/big\.bin(\?|$)/) });
    expect(put.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(put.headers.expect).toBeUndefined();
    expect(put.headers.authorization).toMatch(/Credential=unit\/\d{8}\/eu-west-1\/s3\/aws4_request/);
    // Requests without a byte body keep the SDK's signed payload hash (of the empty body).
    expect(list).toMatchObject({ method: 'GET', url: expect.stringMatching(/^\/site\/?\?list-type=2/) });
    expect(list.headers['x-amz-content-sha256']).toBe(sha256(''));
  });

  test('AWS S3 (no endpoint) is addressed by virtual host in the configured region', async () => {
    const client = createClient(parseConfig({ S3_BUCKET: 'site', SEED_SOURCES: '[]', AWS_REGION: 'eu-west-1' }));
    expect(await client.config.forcePathStyle).toBe(false);
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.maxAttempts()).toBe(3);
    client.destroy();
  });
});

describe('openSource', () => {
  let source: SourceServer;

  beforeAll(async () => {
    source = await SourceServer.start();
  });

  afterAll(async () => {
    await source?.close();
  });

  const open = (url: string, options: { idleTimeoutMs?: number; ifNoneMatch?: string; ifModifiedSince?: string } = {}) =>
    openSource(new URL(url), { idleTimeoutMs: 2000, ...options });

  /** The whole body, through a writer that keeps every chunk. */
  async function read(url: string, write?: ChunkWriter): Promise<string> {
    const opened = await open(url);
    const chunks: Buffer[] = [];
    await opened.pipeTo!((chunk) => {
      chunks.push(chunk);
      return write?.(chunk);
    });
    return Buffer.concat(chunks).toString();
  }

  test('a 200 gives the body and the headers that decide what is stored', async () => {
    const url = source.route('/meta.txt', (_req, res) => res.writeHead(200, {
      'content-type': 'text/plain', 'content-length': 5, 'etag': '"v1"', 'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT',
    }).end('hello'));
    const opened = await open(url);
    expect(opened).toMatchObject({ contentType: 'text/plain', contentLength: 5, etag: '"v1"', lastModified: 'Tue, 01 Dec 2026 10:00:00 GMT' });
    expect(await read(url)).toBe('hello');
    opened.close();
  });

  test('a Content-Length that is not a plain number counts as none', async () => {
    const url = source.route('/chunked.txt', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('no length');
    });
    const opened = await open(url);
    expect(opened.contentLength).toBeUndefined();
    opened.close();
  });

  test('asks with If-None-Match and If-Modified-Since when given, and a 304 has no body', async () => {
    const asked: Array<[string | undefined, string | undefined]> = [];
    const url = source.route('/conditional.txt', (req, res) => {
      asked.push([req.headers['if-none-match'], req.headers['if-modified-since']]);
      res.writeHead(304).end();
    });
    const opened = await open(url, { ifNoneMatch: '"v1"', ifModifiedSince: 'Tue, 01 Dec 2026 10:00:00 GMT' });
    expect(opened.pipeTo).toBeUndefined();
    await open(url);
    expect(asked).toEqual([['"v1"', 'Tue, 01 Dec 2026 10:00:00 GMT'], [undefined, undefined]]);
  });

  test.each([301, 302, 303, 307, 308])('follows a %i redirect, relative to the URL it came from', async (status) => {
    source.route(`/moved-${status}/target.txt`, (_req, res) => res.writeHead(200).end(`moved ${status}`));
    const url = source.route(`/moved-${status}/from.txt`, (_req, res) => res.writeHead(status, { location: 'target.txt' }).end());
    expect(await read(url)).toBe(`moved ${status}`);
  });

  test('a redirect status without a Location is an error of its own status', async () => {
    const url = source.route('/nowhere.txt', (_req, res) => res.writeHead(302).end());
    await expect(open(url)).rejects.toMatchObject({ message: 'HTTP 302 Found', retryable: false });
  });

  test('follows five redirects, not six', async () => {
    for (let i = 0; i < 6; i++) source.route(`/hop-${i}`, (_req, res) => res.writeHead(302, { location: `/hop-${i + 1}` }).end());
    source.route('/hop-6', (_req, res) => res.writeHead(200).end('arrived'));
    source.route('/five-0', (_req, res) => res.writeHead(302, { location: '/hop-2' }).end());
    expect(await read(source.url('/five-0'))).toBe('arrived');
    await expect(open(source.url('/hop-0'))).rejects.toMatchObject({ message: 'more than 5 redirects', retryable: false, exitCode: ExitCode.SOURCE });
  });

  test('follows redirects to http and https only', async () => {
    const url = source.route('/to-ftp', (_req, res) => res.writeHead(301, { location: 'ftp://files.example.com/a.txt' }).end());
    await expect(open(url)).rejects.toMatchObject({ message: 'redirected to a ftp URL, only http and https are followed', retryable: false });
  });

  test.each([
    [500, true], [502, true], [503, true], [408, true], [429, true],
    [400, false], [401, false], [403, false], [404, false], [410, false], [300, false], [305, false],
  ])('HTTP %i fails, retryable: %s', async (status, retryable) => {
    const url = source.route(`/status-${status}`, (_req, res) => res.writeHead(status).end());
    await expect(open(url)).rejects.toMatchObject({ exitCode: ExitCode.SOURCE, retryable });
  });

  test('the failure names the status and its text', async () => {
    const url = source.route('/teapot', (_req, res) => res.writeHead(418, 'I\'m a teapot').end());
    await expect(open(url)).rejects.toMatchObject({ message: 'HTTP 418 I\'m a teapot' });
    const bare = source.route('/bare', (_req, res) => res.writeHead(299, '').end());
    expect((await open(bare)).pipeTo).toBeDefined();
  });

  test('a server that sends no headers within the idle timeout is a retryable stall', async () => {
    const url = source.route('/silent', () => undefined);
    const started = Date.now();
    await expect(open(url, { idleTimeoutMs: 300 })).rejects.toMatchObject({ message: 'no data for 0.3s (idle timeout)', retryable: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  test('a refused connection is a retryable source failure naming the cause', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    await expect(open(`http://127.0.0.1:${port}/a`)).rejects.toMatchObject({
      message: `request failed: connect ECONNREFUSED 127.0.0.1:${port}`, retryable: true, exitCode: ExitCode.SOURCE,
    });
  });

  test('a body that stops arriving is a retryable stall, but waiting for the writer is not', async () => {
    // GIVEN a body that sends half, then nothing
    const stalls = source.route('/half', (_req, res) => {
      res.writeHead(200, { 'content-length': 10 });
      res.write('01234');
    });
    // THEN the idle timer fires while the writer is idle
    const opened = await open(stalls, { idleTimeoutMs: 300 });
    await expect(opened.pipeTo!(() => undefined)).rejects.toMatchObject({ message: 'no data for 0.3s (idle timeout)', retryable: true });
    // AND a writer that holds each chunk longer than the idle timeout does not trip it
    const steady = source.route('/steady', (_req, res) => {
      res.writeHead(200, { 'content-length': 6 });
      res.write('ab');
      setTimeout(() => res.write('cd'), 50);
      setTimeout(() => res.end('ef'), 100);
    });
    const slowWriter = () => new Promise<void>((resolve) => setTimeout(resolve, 500));
    const body = await openSource(new URL(steady), { idleTimeoutMs: 300 });
    const chunks: string[] = [];
    await body.pipeTo!((chunk) => {
      chunks.push(chunk.toString());
      return slowWriter();
    });
    expect(chunks.join('')).toBe('abcdef');
  });

  test('the body is paused while the writer waits, and the end waits for the writer', async () => {
    const url = source.route('/paced', (_req, res) => {
      res.writeHead(200, { 'content-length': 3 });
      res.write('a');
      setTimeout(() => res.write('b'), 20);
      setTimeout(() => res.end('c'), 40);
    });
    const events: string[] = [];
    const opened = await open(url);
    await opened.pipeTo!((chunk) => {
      events.push(`start ${chunk}`);
      return new Promise<void>((resolve) => setTimeout(() => {
        events.push(`end ${chunk}`);
        resolve();
      }, 100));
    });
    events.push('done');
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c', 'done']);
  });

  test('a writer\'s error ends the download with that error, thrown or rejected', async () => {
    const url = source.route('/ten', (_req, res) => res.writeHead(200, { 'content-length': 10 }).end('0123456789'));
    const thrown = new Error('disk full');
    await expect((await open(url)).pipeTo!(() => {
      throw thrown;
    })).rejects.toBe(thrown);
    const rejected = new Error('upload failed');
    await expect((await open(url)).pipeTo!(() => Promise.reject(rejected))).rejects.toBe(rejected);
  });

  test('a Content-Length of several digits is the announced size', async () => {
    const url = source.route('/ten.txt', (_req, res) => res.writeHead(200, { 'content-length': 12 }).end('twelve bytes'));
    const opened = await open(url);
    expect(opened.contentLength).toBe(12);
    opened.close();
  });

  test('a failure whose status comes without text names the status alone', async () => {
    const url = source.route('/teapot-bare', (_req, res) => res.writeHead(418, '').end());
    await expect(open(url)).rejects.toMatchObject({ message: 'HTTP 418', retryable: false });
  });

  test('close() drops the connection of a body nobody reads', async () => {
    // GIVEN a source that sends part of its body, then waits
    let dropped!: () => void;
    const closed = new Promise<void>((resolve) => {
      dropped = resolve;
    });
    const url = source.route('/unread', (_req, res) => {
      res.writeHead(200, { 'content-length': 10 });
      res.write('0123');
      res.once('close', dropped);
    });
    const opened = await open(url);
    // WHEN
    opened.close();
    // THEN the server sees the connection go
    await expect(Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still open'), 2000))])).resolves.toBe('closed');
  });

  test('https URLs, and redirects to them, go out over TLS', async () => {
    // GIVEN a port nobody listens on
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const refused = { message: `request failed: connect ECONNREFUSED 127.0.0.1:${port}`, retryable: true, exitCode: ExitCode.SOURCE };
    // THEN the https request is made (and refused), directly and after a redirect from http
    await expect(open(`https://127.0.0.1:${port}/a.txt`)).rejects.toMatchObject(refused);
    const url = source.route('/to-https', (_req, res) => res.writeHead(302, { location: `https://127.0.0.1:${port}/a.txt` }).end());
    await expect(open(url)).rejects.toMatchObject(refused);
  });

  test('a body that keeps coming, however slowly, never hits the idle timeout', async () => {
    // GIVEN a chunk every 50 ms for half a second, longer than the idle timeout of 300 ms
    const url = source.route('/trickle', (_req, res) => {
      res.writeHead(200, { 'content-length': 10 });
      let sent = 0;
      const next = () => {
        sent++;
        if (sent === 10) {
          res.end('x');
        } else {
          res.write('x');
          setTimeout(next, 50);
        }
      };
      next();
    });
    // WHEN it is read by a writer that never waits
    const opened = await open(url, { idleTimeoutMs: 300 });
    const chunks: string[] = [];
    await opened.pipeTo!((chunk) => {
      chunks.push(chunk.toString());
      return undefined;
    });
    // THEN
    expect(chunks.join('')).toBe('x'.repeat(10));
  });

  test('a body that stops is given up the idle timeout after its last byte, not later', async () => {
    // GIVEN a body that sends a byte at once and one 200 ms later, then nothing, and an idle timeout of 400 ms
    const url = source.route('/late-stall', (_req, res) => {
      res.writeHead(200, { 'content-length': 10 });
      res.write('a');
      setTimeout(() => res.write('b'), 200);
    });
    const opened = await open(url, { idleTimeoutMs: 400 });
    const started = Date.now();
    // WHEN
    await expect(opened.pipeTo!(() => undefined)).rejects.toMatchObject({ message: 'no data for 0.4s (idle timeout)', retryable: true });
    // THEN it failed about 600 ms in (200 ms + 400 ms), not at the next full timeout period
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(Date.now() - started).toBeLessThan(900);
  });

  test('a connection closed before the whole body arrived is a retryable failure', async () => {
    const url = source.route('/cut', (_req, res) => {
      res.writeHead(200, { 'content-length': 10 });
      res.write('0123');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await expect((await open(url)).pipeTo!(() => undefined)).rejects.toMatchObject({ exitCode: ExitCode.SOURCE, retryable: true, message: expect.stringMatching(/^download failed: /) });
  });
});
