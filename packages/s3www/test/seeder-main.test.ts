/**
 * The seeder's run in process: the program (seeder/main.ts) against an S3 client kept in memory,
 * with what an operator reads from it (the log lines, the one line on stderr, the exit code), and
 * the start-up wait for the bucket (checkBucket) with a clock of its own. The bundled program as a
 * child process is tested in seeder.test.ts; here the timing of each wait and the fields of each
 * line are checked exactly, in milliseconds.
 */
import { ServerResponse } from 'http';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { checkBucket } from '../seeder/backend';
import { SeederConfig } from '../seeder/config';
import { ExitCode } from '../seeder/errors';
import * as retry from '../seeder/retry';
import { sha256, SourceServer } from './support/source-server';

const MIB = 1024 * 1024;

/** An error as the SDK throws it. */
function s3Error(fields: { name: string; Code?: string; status?: number }, message = ''): Error {
  const { status, ...rest } = fields;
  return Object.assign(new Error(message), rest, status ? { $metadata: { httpStatusCode: status } } : {});
}

interface Captured {
  logs: Array<Record<string, unknown>>;
  stderr: string;
}

/** Captures stdout (JSON lines) and stderr until `stop`. */
function capture(): Captured & { stop: () => void } {
  const out: string[] = [];
  const captured = { logs: [] as Array<Record<string, unknown>>, stderr: '' };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    captured.logs.push(JSON.parse(String(chunk)));
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    captured.stderr += String(chunk);
    return true;
  });
  return Object.assign(captured, {
    stop: () => {
      stdout.mockRestore();
      stderr.mockRestore();
    },
  });
}

describe('checkBucket', () => {
  const CONFIG: SeederConfig = {
    bucket: 'site',
    region: 'us-east-1',
    sources: [],
    maxAttempts: 1,
    retryDelayMs: 1000,
    idleTimeoutMs: 1000,
    backendTimeoutMs: 7000,
    partSizeBytes: 8 * MIB,
    queueSize: 3,
  };
  let now: number;
  let sleeps: number[];

  beforeEach(() => {
    // A clock that moves only when the wait sleeps.
    now = 1_000_000;
    sleeps = [];
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    jest.spyOn(retry, 'sleep').mockImplementation(async (ms) => {
      sleeps.push(ms);
      now += ms;
    });
  });

  afterEach(() => jest.restoreAllMocks());

  /** A client whose ListObjectsV2 answers with each of `answers` in turn (an Error is thrown), then succeeds. */
  function listing(answers: Error[]) {
    const send = jest.fn(async (command: unknown) => {
      expect(command).toBeInstanceOf(ListObjectsV2Command);
      const answer = answers.shift();
      if (answer) throw answer;
      return {};
    });
    return { client: { send } as unknown as S3Client, send };
  }

  async function check(answers: Error[], config: Partial<SeederConfig> = {}) {
    const { client, send } = listing(answers);
    const out = capture();
    try {
      await checkBucket(client, { ...CONFIG, ...config });
      return { logs: out.logs, send, error: undefined };
    } catch (error) {
      return { logs: out.logs, send, error: error as Error & { exitCode?: ExitCode; retryable?: boolean } };
    } finally {
      out.stop();
    }
  }

  test('a bucket that lists is reported and nothing is waited for', async () => {
    const { logs, send, error } = await check([]);
    expect(error).toBeUndefined();
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0][0]).toMatchObject({ input: { Bucket: 'site', MaxKeys: 1 } });
    expect(logs).toEqual([{ time: expect.any(String), level: 'info', msg: 'bucket exists', bucket: 'site' }]);
    expect(sleeps).toEqual([]);
  });

  test('each kind of wait is logged with its attempt, its delay and its cause; the delay doubles', async () => {
    // GIVEN a backend that refuses the connection, then has no bucket, then does not know the key yet
    const { logs, error } = await check([
      s3Error({ name: 'Error' }, 'connect ECONNREFUSED 127.0.0.1:9000'),
      s3Error({ name: 'NoSuchBucket', status: 404 }, 'The specified bucket does not exist'),
      s3Error({ name: 'S3ServiceException', Code: 'NoSuchBucket', status: 404 }, 'The specified bucket does not exist'),
      s3Error({ name: 'InvalidAccessKeyId', status: 403 }, 'The Access Key Id you provided does not exist in our records.'),
      s3Error({ name: 'AccessDenied', status: 403 }, 'Access Denied.'),
    ], { backendTimeoutMs: 60_000 });
    // THEN
    expect(error).toBeUndefined();
    expect(logs.map(({ level, msg, attempt, retryInMs, cause }) => ({ level, msg, attempt, retryInMs, cause }))).toEqual([
      { level: 'warn', msg: 'backend not ready, waiting', attempt: 1, retryInMs: 1000, cause: 'reaching bucket site failed (Error: connect ECONNREFUSED 127.0.0.1:9000)' },
      { level: 'warn', msg: 'bucket missing, waiting', attempt: 2, retryInMs: 2000, cause: 'bucket site does not exist' },
      { level: 'warn', msg: 'bucket missing, waiting', attempt: 3, retryInMs: 4000, cause: 'bucket site does not exist' },
      {
        level: 'warn',
        msg: 'access refused, waiting for the user and its policy',
        attempt: 4,
        retryInMs: 5000,
        cause: 'reaching bucket site was refused (HTTP 403 InvalidAccessKeyId: The Access Key Id you provided does not exist in our records.); check the credentials and their permissions',
      },
      {
        level: 'warn',
        msg: 'access refused, waiting for the user and its policy',
        attempt: 5,
        retryInMs: 5000,
        cause: 'reaching bucket site was refused (HTTP 403 AccessDenied: Access Denied.); check the credentials and their permissions',
      },
      { level: 'info', msg: 'bucket exists', attempt: undefined, retryInMs: undefined, cause: undefined },
    ]);
    expect(sleeps).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  test('the first wait is the retry delay, at most a second', async () => {
    await check([s3Error({ name: 'Error' }, 'down'), s3Error({ name: 'Error' }, 'down')], { retryDelayMs: 10 });
    expect(sleeps).toEqual([10, 20]);
    sleeps.length = 0;
    await check([s3Error({ name: 'Error' }, 'down')], { retryDelayMs: 3000 });
    expect(sleeps).toEqual([1000]);
  });

  test('a last attempt that would come at the deadline is still made; one after it is not', async () => {
    // GIVEN a 7 s wait: attempts at 0, 1, 3 and 7 s
    const down = () => s3Error({ name: 'ServiceUnavailable', status: 503 }, 'starting');
    // WHEN
    const { error, send } = await check([down(), down(), down(), down(), down()], { endpoint: 'http://minio:9000' });
    // THEN
    expect(send).toHaveBeenCalledTimes(4);
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(error).toMatchObject({
      message: 'backend http://minio:9000 did not answer within 7s: reaching bucket site failed (HTTP 503 ServiceUnavailable: starting)',
      exitCode: ExitCode.BACKEND,
      retryable: false,
    });
  });

  test.each([
    ['backend', s3Error({ name: 'Error' }, 'getaddrinfo ENOTFOUND s3.amazonaws.com'),
      'backend AWS S3 did not answer within 7s: reaching bucket site failed (Error: getaddrinfo ENOTFOUND s3.amazonaws.com)'],
    ['bucket', s3Error({ name: 'NoSuchBucket', status: 404 }),
      'bucket site does not exist on AWS S3 after 7s; the seeder never creates buckets: create it first (with @s3www-eks/minio, its \'buckets\')'],
    ['grant', s3Error({ name: 'AccessDenied', status: 403 }, 'Access Denied.'),
      'reaching bucket site was refused (HTTP 403 AccessDenied: Access Denied.); check the credentials and their permissions, still after 7s: the access key must belong to a user that may list site (with @s3www-eks/minio, minio.grantReadWrite() for this Secret; MinIO\'s bucket Job creates the user)'],
  ])('waiting for the %s ends with a final failure that says what is missing', async (_, err, message) => {
    const { error } = await check(Array.from({ length: 10 }, () => err));
    expect(error).toMatchObject({ message, exitCode: ExitCode.BACKEND, retryable: false });
  });

  test('a wrong secret for a known key is not waited for', async () => {
    const { error, send } = await check([s3Error({ name: 'SignatureDoesNotMatch', status: 403 }, 'no')]);
    expect(send).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ exitCode: ExitCode.BACKEND, retryable: false, message: expect.stringContaining('SignatureDoesNotMatch') });
  });
});

describe('the seeder program', () => {
  let source: SourceServer;
  const env = process.env;
  const warningListeners = process.listeners('warning');

  beforeAll(async () => {
    source = await SourceServer.start();
  });

  afterAll(async () => {
    await source?.close();
  });

  /** An S3 in memory that has the bucket and stores what is put. */
  function fakeS3(fail?: Error) {
    const stored = new Map<string, Buffer>();
    const destroy = jest.fn();
    const send = jest.fn(async (command: { constructor: { name: string }; input: any }) => {
      const name = command.constructor.name;
      if (name === 'ListObjectsV2Command') return {};
      if (name === 'HeadObjectCommand') throw s3Error({ name: 'NotFound', status: 404 });
      if (name === 'PutObjectCommand') {
        if (fail) throw fail;
        stored.set(command.input.Key, Buffer.from(command.input.Body));
        return {};
      }
      throw new Error(`unexpected ${name}`);
    });
    return { client: { send, destroy } as unknown as S3Client, stored, destroy };
  }

  /**
   * Loads seeder/main.ts as node would run it, with `vars` as its environment and `client` as the
   * client it creates. process.exit only records its code, so `exit(n)` waits for the n-th call;
   * `finish` puts the process back as it was (call it once the program has really ended).
   */
  function startMain(vars: Record<string, string>, client: S3Client) {
    const out = capture();
    const before = {
      uncaughtException: process.listeners('uncaughtException'),
      unhandledRejection: process.listeners('unhandledRejection'),
    };
    const codes: number[] = [];
    const waiters: Array<() => void> = [];
    const exitSpy = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      codes.push(code);
      waiters.splice(0).forEach((wake) => wake());
    }) as never);
    // One attempt and a short idle timeout bound every run, so that no run outlives the test that started it.
    process.env = { SEED_MAX_ATTEMPTS: '1', SEED_IDLE_TIMEOUT_SECONDS: '2', ...vars };
    try {
      jest.isolateModules(() => {
        jest.doMock('../seeder/backend', () => ({ ...jest.requireActual('../seeder/backend'), createClient: () => client }));
        jest.requireActual('../seeder/main');
      });
    } finally {
      process.env = env;
    }
    const added = {
      uncaughtException: process.listeners('uncaughtException').filter((l) => !before.uncaughtException.includes(l)),
      unhandledRejection: process.listeners('unhandledRejection').filter((l) => !before.unhandledRejection.includes(l)),
      warning: process.listeners('warning'),
    };
    const exit = async (n: number) => {
      const deadline = Date.now() + 10_000;
      while (codes.length < n && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return codes[n - 1];
    };
    const finish = () => {
      exitSpy.mockRestore();
      out.stop();
      for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
        for (const listener of added[event]) process.removeListener(event, listener);
      }
      process.removeAllListeners('warning');
      for (const listener of warningListeners) process.on('warning', listener);
    };
    return { out, added, codes, exit, finish };
  }

  /** Runs the program to its end. */
  async function runMain(vars: Record<string, string>, client: S3Client) {
    const main = startMain(vars, client);
    try {
      const code = await main.exit(1);
      return { code, logs: main.out.logs, stderr: main.out.stderr };
    } finally {
      main.finish();
    }
  }

  const sourcesOf = (...urls: string[]) => JSON.stringify(urls.map((url) => ({ url })));

  test('seeds each source and says so: what it starts with, each upload with its rate, and the end', async () => {
    // GIVEN a source that takes a quarter of a second to send 4 MiB, and one that is quick
    const slow = Buffer.alloc(4 * MIB, 's');
    const slowUrl = source.route('/slow.bin', (_req, res) => {
      res.writeHead(200, { 'content-length': slow.length });
      setTimeout(() => res.end(slow), 250);
    });
    const quickUrl = source.file('/quick.txt', 'quick');
    const s3 = fakeS3();
    // WHEN
    const run = await runMain({ S3_BUCKET: 'site', SEED_SOURCES: sourcesOf(slowUrl, quickUrl), SEED_PART_SIZE_MIB: '8' }, s3.client);
    // THEN it exits 0, with every object stored and the client closed
    expect(run.code).toBe(ExitCode.OK);
    expect(run.stderr).toBe('');
    expect(s3.stored.get('slow.bin')?.equals(slow)).toBe(true);
    expect(s3.stored.get('quick.txt')?.toString()).toBe('quick');
    expect(s3.destroy).toHaveBeenCalled();
    // AND the operator reads what it did
    expect(run.logs.map((l) => l.msg)).toEqual(['seeder starting', 'bucket exists', 'uploaded', 'uploaded', 'seeding complete']);
    expect(run.logs[0]).toEqual({
      time: expect.any(String),
      level: 'info',
      msg: 'seeder starting',
      endpoint: 'AWS S3',
      bucket: 'site',
      region: 'us-east-1',
      credentials: 'AWS credential chain',
      sources: 2,
      partSizeMiB: 8,
      queueSize: 3,
    });
    const uploaded = run.logs[2];
    expect(uploaded).toMatchObject({
      source: `SEED_SOURCES[0] (${slowUrl})`, key: 'slow.bin', bytes: slow.length, sha256: sha256(slow), contentType: 'application/octet-stream',
    });
    const seconds = uploaded.seconds as number;
    expect(seconds).toBeGreaterThanOrEqual(0.2);
    expect(seconds).toBeLessThan(5);
    expect(Math.abs((uploaded.mibPerSecond as number) - 4 / seconds)).toBeLessThanOrEqual(0.051);
    expect(run.logs[4]).toEqual({ time: expect.any(String), level: 'info', msg: 'seeding complete', bucket: 'site', objects: 2 });
  });

  test('a failure ends the run with one line on stderr naming the source, and the exit code of its kind', async () => {
    const url = source.file('/refused.txt', 'x');
    const s3 = fakeS3(s3Error({ name: 'NoSuchBucket', status: 404 }, 'gone'));
    const run = await runMain({ S3_BUCKET: 'site', SEED_SOURCES: sourcesOf(url), S3_ENDPOINT: 'http://minio:9000' }, s3.client);
    const line = `SEED_SOURCES[0] (${url}) -> site/refused.txt: uploading to site/refused.txt failed (HTTP 404 NoSuchBucket: gone)`;
    expect(run.code).toBe(ExitCode.BACKEND);
    expect(run.stderr).toBe(`seeder: ${line}\n`);
    expect(run.logs[0]).toMatchObject({ endpoint: 'http://minio:9000' });
    expect(run.logs.at(-1)).toMatchObject({ level: 'error', msg: 'seeding failed', exitCode: ExitCode.BACKEND, cause: line });
    expect(s3.destroy).toHaveBeenCalled();
  });

  describe('an error that escapes elsewhere is a bug: exit 4, and the line says it was unexpected', () => {
    test.each([
      ['an exception', 'uncaughtException', new TypeError('x is not a function'), 'x is not a function'],
      ['a rejection', 'unhandledRejection', 'lost promise', 'lost promise'],
    ] as const)('%s nobody handled', async (_, event, thrown, text) => {
      // GIVEN a run that waits for a source
      let held: ServerResponse | undefined;
      const url = source.route(`/held-${event}.txt`, (_req, res) => {
        held = res;
      });
      const s3 = fakeS3();
      const main = startMain({ S3_BUCKET: 'site', SEED_SOURCES: sourcesOf(url) }, s3.client);
      try {
        while (!held) await new Promise((resolve) => setTimeout(resolve, 10));
        // WHEN the process gets an error nobody handled
        expect(main.added[event]).toHaveLength(1);
        process.listeners(event).at(-1)!(thrown as never, Promise.resolve() as never);
        // THEN
        expect(await main.exit(1)).toBe(ExitCode.INTERNAL);
        expect(main.out.stderr).toBe(`seeder: unexpected error: ${text}\n`);
        expect(main.out.logs.at(-1)).toMatchObject({ level: 'error', msg: 'seeding failed', exitCode: ExitCode.INTERNAL, cause: text });
      } finally {
        // The run itself then ends as it would have.
        held?.writeHead(200).end('late');
        await main.exit(2);
        main.finish();
      }
    });
  });

  test('runtime warnings go to stdout as log lines, never to stderr', async () => {
    let held: ServerResponse | undefined;
    const url = source.route('/warned.txt', (_req, res) => {
      held = res;
    });
    const main = startMain({ S3_BUCKET: 'site', SEED_SOURCES: sourcesOf(url) }, fakeS3().client);
    try {
      while (!held) await new Promise((resolve) => setTimeout(resolve, 10));
      const logged = main.out.logs.length;
      process.emit('warning', Object.assign(new Error('Buffer() is deprecated'), { name: 'DeprecationWarning' }));
      expect(main.out.logs.slice(logged)).toEqual([{ time: expect.any(String), level: 'warn', msg: 'runtime warning', cause: 'Buffer() is deprecated' }]);
      expect(main.out.stderr).toBe('');
    } finally {
      held?.writeHead(200).end('late');
      await main.exit(1);
      main.finish();
    }
  });
});
