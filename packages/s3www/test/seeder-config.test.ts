/**
 * The seeder's configuration, parsed in process. Its defaults are the ones its README promises:
 * the Job sets none of the tuning variables, so production runs on exactly these defaults; each
 * one is read from the README's "Environment" table and compared with what the seeder parses from
 * an environment holding only the required variables. Then every variable as an operator may
 * write it (with stray blanks), and every refusal with the exact message the run would end with.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { podSpec, synthSeeder } from './support/synth';
import { parseConfig, SeederConfig } from '../seeder/config';
import { ExitCode } from '../seeder/errors';

const MIB = 1024 * 1024;
const REQUIRED = { S3_BUCKET: 'site', SEED_SOURCES: JSON.stringify([{ url: 'https://example.com/a.gif' }]) };

/** The README's Environment table: variable name(s) to the Default column. */
function documentedDefaults(): Map<string, string> {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('### Environment'), readme.indexOf('### What it does'));
  const defaults = new Map<string, string>();
  for (const line of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const [variables, , fallback] = line.split('|').slice(1, -1).map((cell) => cell.trim());
    defaults.set(variables, fallback);
  }
  return defaults;
}

/** Each tuning variable, how its default reads in the README, and the parsed value it means. */
const TUNING: Array<[string, (c: SeederConfig) => string]> = [
  ['`AWS_REGION`', (c) => `\`${c.region}\``],
  ['`SEED_MAX_ATTEMPTS`', (c) => `\`${c.maxAttempts}\``],
  ['`SEED_RETRY_DELAY_MS`', (c) => `\`${c.retryDelayMs}\``],
  ['`SEED_IDLE_TIMEOUT_SECONDS`', (c) => `\`${c.idleTimeoutMs / 1000}\``],
  ['`SEED_BACKEND_TIMEOUT_SECONDS`', (c) => `\`${c.backendTimeoutMs / 1000}\``],
  ['`SEED_PART_SIZE_MIB`, `SEED_QUEUE_SIZE`', (c) => `\`${c.partSizeBytes / MIB}\`, \`${c.queueSize}\``],
];

describe('seeder defaults', () => {
  const documented = documentedDefaults();
  // Parsed in each test, not here: a parse that throws then fails the test instead of the whole file.
  const parsed = () => parseConfig(REQUIRED);

  test('the README documents every tuning variable', () => {
    expect(TUNING.map(([variables]) => documented.has(variables))).toEqual(TUNING.map(() => true));
  });

  test.each(TUNING)('%s defaults to what the README says', (variables, actual) => {
    expect(actual(parsed())).toBe(documented.get(variables));
  });

  test('without an endpoint or key files: AWS S3 and the AWS credential chain', () => {
    expect(parsed().endpoint).toBeUndefined();
    expect(parsed().credentials).toBeUndefined();
    expect(documented.get('`S3_ENDPOINT`')).toBe('AWS S3');
  });

  test('the Job sets none of the tuning variables, so these defaults are what runs in a cluster', () => {
    const job = synthSeeder({ sources: [{ url: 'https://example.com/a.gif' }] }).one('Job');
    const names = podSpec(job).containers[0].env.map((e: { name: string }) => e.name);
    expect(names.filter((n: string) => n.startsWith('SEED_') && n !== 'SEED_SOURCES')).toEqual([]);
  });
});

/** The message and exit code parseConfig fails with, or the config it returns. */
function configFailure(env: Record<string, string | undefined>): { message: string; exitCode: ExitCode } | undefined {
  try {
    parseConfig(env);
  } catch (err) {
    return { message: (err as Error).message, exitCode: (err as { exitCode: ExitCode }).exitCode };
  }
  return undefined;
}

describe('seeder environment', () => {
  test('blanks around each value are ignored', () => {
    // WHEN every variable comes with blanks around it (a value pasted into a manifest)
    const config = parseConfig({
      ...REQUIRED,
      S3_BUCKET: ' site\n',
      S3_ENDPOINT: ' http://minio:9000 ',
      AWS_REGION: ' eu-west-1 ',
      SEED_MAX_ATTEMPTS: ' 7 ',
    });
    // THEN
    expect(config).toMatchObject({ bucket: 'site', endpoint: 'http://minio:9000', region: 'eu-west-1', maxAttempts: 7 });
  });

  test('the region is AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1; a blank one counts as unset', () => {
    expect(parseConfig({ ...REQUIRED, AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-central-1' }).region).toBe('eu-west-1');
    expect(parseConfig({ ...REQUIRED, AWS_DEFAULT_REGION: ' eu-central-1 ' }).region).toBe('eu-central-1');
    expect(parseConfig({ ...REQUIRED, AWS_REGION: '  ', AWS_DEFAULT_REGION: 'eu-central-1' }).region).toBe('eu-central-1');
    expect(parseConfig({ ...REQUIRED, AWS_REGION: '', AWS_DEFAULT_REGION: ' ' }).region).toBe('us-east-1');
  });

  test('a blank endpoint means AWS S3', () => {
    expect(parseConfig({ ...REQUIRED, S3_ENDPOINT: '  ' }).endpoint).toBeUndefined();
  });

  test('each tuning variable sets its own value', () => {
    const config = parseConfig({
      ...REQUIRED,
      SEED_MAX_ATTEMPTS: '2',
      SEED_RETRY_DELAY_MS: '250',
      SEED_IDLE_TIMEOUT_SECONDS: '30',
      SEED_BACKEND_TIMEOUT_SECONDS: '90',
      SEED_PART_SIZE_MIB: '16',
      SEED_QUEUE_SIZE: '5',
    });
    expect(config).toMatchObject({
      maxAttempts: 2, retryDelayMs: 250, idleTimeoutMs: 30_000, backendTimeoutMs: 90_000, partSizeBytes: 16 * MIB, queueSize: 5,
    });
  });

  test.each([
    ['SEED_MAX_ATTEMPTS', 1, 100, (c: SeederConfig) => c.maxAttempts],
    ['SEED_RETRY_DELAY_MS', 1, 600_000, (c: SeederConfig) => c.retryDelayMs],
    ['SEED_IDLE_TIMEOUT_SECONDS', 1, 3600, (c: SeederConfig) => c.idleTimeoutMs / 1000],
    ['SEED_BACKEND_TIMEOUT_SECONDS', 1, 86_400, (c: SeederConfig) => c.backendTimeoutMs / 1000],
    ['SEED_PART_SIZE_MIB', 5, 512, (c: SeederConfig) => c.partSizeBytes / MIB],
    ['SEED_QUEUE_SIZE', 1, 16, (c: SeederConfig) => c.queueSize],
  ])('%s accepts both ends of its range, %i and %i', (name, min, max, value) => {
    expect(value(parseConfig({ ...REQUIRED, [name]: String(min) }))).toBe(min);
    expect(value(parseConfig({ ...REQUIRED, [name]: String(max) }))).toBe(max);
  });

  test('a blank tuning variable takes the default', () => {
    expect(parseConfig({ ...REQUIRED, SEED_MAX_ATTEMPTS: '  ', SEED_QUEUE_SIZE: '' })).toMatchObject({ maxAttempts: 5, queueSize: 3 });
  });

  test.each([
    ['SEED_MAX_ATTEMPTS', '0', 'SEED_MAX_ATTEMPTS must be an integer from 1 to 100, got "0"'],
    ['SEED_MAX_ATTEMPTS', ' 101 ', 'SEED_MAX_ATTEMPTS must be an integer from 1 to 100, got "101"'],
    ['SEED_RETRY_DELAY_MS', '1.5', 'SEED_RETRY_DELAY_MS must be an integer from 1 to 600000, got "1.5"'],
    ['SEED_RETRY_DELAY_MS', '600001', 'SEED_RETRY_DELAY_MS must be an integer from 1 to 600000, got "600001"'],
    ['SEED_IDLE_TIMEOUT_SECONDS', '3601', 'SEED_IDLE_TIMEOUT_SECONDS must be an integer from 1 to 3600, got "3601"'],
    ['SEED_BACKEND_TIMEOUT_SECONDS', 'soon', 'SEED_BACKEND_TIMEOUT_SECONDS must be an integer from 1 to 86400, got "soon"'],
    ['SEED_PART_SIZE_MIB', '513', 'SEED_PART_SIZE_MIB must be an integer from 5 to 512, got "513"'],
    ['SEED_QUEUE_SIZE', '17', 'SEED_QUEUE_SIZE must be an integer from 1 to 16, got "17"'],
  ])('%s=%j is refused', (name, value, message) => {
    expect(configFailure({ ...REQUIRED, [name]: value })).toEqual({ message, exitCode: ExitCode.CONFIG });
  });

  test.each([
    [' ', 'S3_BUCKET must be set to the bucket to seed'],
    ['s3+http://minio:9000', 'S3_ENDPOINT must be an http(s) URL such as http://minio:9000, got "s3+http://minio:9000"'],
    ['minio:9000/http://x', 'S3_ENDPOINT must be an http(s) URL such as http://minio:9000, got "minio:9000/http://x"'],
    ['http:///path', 'S3_ENDPOINT must be an http(s) URL such as http://minio:9000, got "http:///path"'],
  ])('%j is refused', (value, message) => {
    const variable = message.split(' ')[0];
    expect(configFailure({ ...REQUIRED, [variable]: value })).toEqual({ message, exitCode: ExitCode.CONFIG });
  });
});

describe('seeder key files', () => {
  let dir: string;
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'seeder-config-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the keys are the files\' contents without the final newline; blanks around the paths are ignored', () => {
    const access = file('access', 'seeder\n');
    const secret = file('secret', 'secret-value\n');
    expect(parseConfig({ ...REQUIRED, S3_ACCESS_KEY_FILE: ` ${access} `, S3_SECRET_KEY_FILE: `${secret}\n` }).credentials)
      .toEqual({ accessKeyId: 'seeder', secretAccessKey: 'secret-value' });
  });

  test('blank paths mean the AWS credential chain', () => {
    expect(parseConfig({ ...REQUIRED, S3_ACCESS_KEY_FILE: ' ', S3_SECRET_KEY_FILE: '' }).credentials).toBeUndefined();
  });

  test('a file that cannot be read is named, with the variable that names it and the reason', () => {
    const access = file('access-ok', 'seeder');
    const missing = join(dir, 'missing');
    expect(configFailure({ ...REQUIRED, S3_ACCESS_KEY_FILE: access, S3_SECRET_KEY_FILE: missing }))
      .toEqual({ message: `S3_SECRET_KEY_FILE names ${missing}, which cannot be read (ENOENT)`, exitCode: ExitCode.CONFIG });
    expect(configFailure({ ...REQUIRED, S3_ACCESS_KEY_FILE: dir, S3_SECRET_KEY_FILE: access }))
      .toEqual({ message: `S3_ACCESS_KEY_FILE names ${dir}, which cannot be read (EISDIR)`, exitCode: ExitCode.CONFIG });
  });

  test('a read error without a code still says that the file cannot be read', () => {
    const access = file('access-odd', 'seeder');
    // The module object config.ts reads through (an `import * as` copy cannot be spied on).
    const read = jest.spyOn(jest.requireActual<typeof import('fs')>('fs'), 'readFileSync').mockImplementation(() => {
      throw new Error('odd');
    });
    try {
      expect(configFailure({ ...REQUIRED, S3_ACCESS_KEY_FILE: access, S3_SECRET_KEY_FILE: access })?.message)
        .toBe(`S3_ACCESS_KEY_FILE names ${access}, which cannot be read (error)`);
    } finally {
      read.mockRestore();
    }
  });

  test.each(['', ' \n'])('a key file holding %j is refused as empty', (content) => {
    const access = file('access-full', 'seeder');
    const empty = file('empty', content);
    expect(configFailure({ ...REQUIRED, S3_ACCESS_KEY_FILE: access, S3_SECRET_KEY_FILE: empty }))
      .toEqual({ message: `S3_SECRET_KEY_FILE names ${empty}, which is empty`, exitCode: ExitCode.CONFIG });
    expect(configFailure({ ...REQUIRED, S3_ACCESS_KEY_FILE: empty, S3_SECRET_KEY_FILE: access })?.message)
      .toBe(`S3_ACCESS_KEY_FILE names ${empty}, which is empty`);
  });
});

describe('SEED_SOURCES', () => {
  const sources = (value: unknown) => JSON.stringify(value);
  const refusal = (raw: string) => configFailure({ S3_BUCKET: 'site', SEED_SOURCES: raw });

  test('each source: its URL, its key (else the URL\'s file name), its sha256 in lower case, its content type, and a label', () => {
    const sha = 'AB'.repeat(32);
    const [plain, full] = parseConfig({
      S3_BUCKET: 'site',
      SEED_SOURCES: sources([
        { url: 'https://example.com/files/logo%20v2.png?sig=secret' },
        { url: 'https://example.com/dl', key: 'data/a.bin', sha256: sha, contentType: 'application/x-a; v=1' },
      ]),
    }).sources;
    expect(plain).toEqual({
      url: new URL('https://example.com/files/logo%20v2.png?sig=secret'),
      key: 'logo v2.png',
      sha256: undefined,
      contentType: undefined,
      label: 'SEED_SOURCES[0] (https://example.com/files/logo%20v2.png?(redacted))',
    });
    expect(full).toEqual({
      url: new URL('https://example.com/dl'),
      key: 'data/a.bin',
      sha256: 'ab'.repeat(32),
      contentType: 'application/x-a; v=1',
      label: 'SEED_SOURCES[1] (https://example.com/dl)',
    });
  });

  test.each([
    [undefined, 'SEED_SOURCES must be set to a JSON array of sources'],
    ['', 'SEED_SOURCES must be set to a JSON array of sources'],
    [' \n ', 'SEED_SOURCES must be set to a JSON array of sources'],
    ['{}', 'SEED_SOURCES must be a JSON array, got an object'],
    ['null', 'SEED_SOURCES must be a JSON array, got null'],
    ['"https://example.com/a.txt"', 'SEED_SOURCES must be a JSON array, got a string'],
    ['[42]', 'SEED_SOURCES[0] must be an object with a "url", got a number'],
    ['[{"url":"https://example.com/a.txt"},null]', 'SEED_SOURCES[1] must be an object with a "url", got null'],
    ['[["https://example.com/a.txt"]]', 'SEED_SOURCES[0] must be an object with a "url", got an array'],
    ['["https://example.com/a.txt"]', 'SEED_SOURCES[0] must be an object with a "url", got a string'],
    ['[{"url":42}]', 'SEED_SOURCES[0].url must be a string, got a number'],
    ['[{"url":"https://example.com/a.txt","key":["a"]}]', 'SEED_SOURCES[0].key must be a string, got an array'],
    ['[{"url":"https://example.com/a.txt","sha256":null}]', 'SEED_SOURCES[0].sha256 must be a string, got null'],
    ['[{"url":"https://example.com/a.txt","contentType":{}}]', 'SEED_SOURCES[0].contentType must be a string, got an object'],
    ['[{}]', 'SEED_SOURCES[0].url must be set'],
    ['[{"url":""}]', 'SEED_SOURCES[0].url must be set'],
    ['[{"url":"example.com/a.txt?token=secret"}]', 'SEED_SOURCES[0].url is not a URL: "(unparseable URL)"'],
    ['[{"url":"https://example.com/a.txt","key":""}]', 'SEED_SOURCES[0] (https://example.com/a.txt): key "" must not be empty'],
    ['[{"url":"https://example.com/a.txt","key":"/a.txt"}]', 'SEED_SOURCES[0] (https://example.com/a.txt): key "/a.txt" must not start with \'/\''],
    ['[{"url":"https://example.com/"}]', 'SEED_SOURCES[0] (https://example.com/): the URL has no file name to use as key; set "key"'],
    ['[{"url":"https://example.com/a.txt","contentType":"text"}]', 'SEED_SOURCES[0] (https://example.com/a.txt): contentType must look like "type/subtype", got "text"'],
  ])('%j is refused', (raw, message) => {
    expect(refusal(raw as string)).toEqual({ message, exitCode: ExitCode.CONFIG });
  });

  test('an empty array seeds nothing', () => {
    expect(parseConfig({ S3_BUCKET: 'site', SEED_SOURCES: ' [] ' }).sources).toEqual([]);
  });
});
