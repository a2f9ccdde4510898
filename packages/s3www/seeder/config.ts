/**
 * The seeder's contract with its environment: every variable is read and checked here, once,
 * before anything touches the network.
 */
import { readFileSync } from 'fs';
import { configError } from './errors';
import { redactUrl } from './log';
import { CONTENT_TYPE_PATTERN, keyFromUrl, keyProblem, SHA256_PATTERN } from '../src/seed-source';

/** One file to put into the bucket. */
export interface SeedSource {
  readonly url: URL;
  readonly key: string;
  /** Lower-case hex SHA-256 the bytes must have. */
  readonly sha256?: string;
  readonly contentType?: string;
  /** How errors and logs name this source: its index and redacted URL. */
  readonly label: string;
}

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SeederConfig {
  /** Absent for AWS S3. */
  readonly endpoint?: string;
  readonly bucket: string;
  readonly region: string;
  /** Absent: the standard AWS credential chain (env, web identity, Pod Identity, ...). */
  readonly credentials?: StaticCredentials;
  readonly sources: SeedSource[];
  /** Attempts per source download+upload and per backend call. */
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  /** A source that sends nothing for this long while the seeder waits for bytes has stalled. */
  readonly idleTimeoutMs: number;
  /** How long to wait for the backend to answer at start-up. */
  readonly backendTimeoutMs: number;
  readonly partSizeBytes: number;
  readonly queueSize: number;
}

type Env = Record<string, string | undefined>;

const SOURCE_FIELDS = ['url', 'key', 'sha256', 'contentType'];
const MIB = 1024 * 1024;

export function parseConfig(env: Env): SeederConfig {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) throw configError('S3_BUCKET must be set to the bucket to seed');
  const endpoint = env.S3_ENDPOINT?.trim() || undefined;
  if (endpoint && !/^https?:\/\/[^/]/.test(endpoint)) {
    throw configError(`S3_ENDPOINT must be an http(s) URL such as http://minio:9000, got "${endpoint}"`);
  }
  return {
    endpoint,
    bucket,
    region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || 'us-east-1',
    credentials: readCredentialFiles(env),
    sources: parseSources(env.SEED_SOURCES),
    maxAttempts: positiveInt(env, 'SEED_MAX_ATTEMPTS', 5, 1, 100),
    retryDelayMs: positiveInt(env, 'SEED_RETRY_DELAY_MS', 1000, 1, 600_000),
    idleTimeoutMs: positiveInt(env, 'SEED_IDLE_TIMEOUT_SECONDS', 60, 1, 3600) * 1000,
    backendTimeoutMs: positiveInt(env, 'SEED_BACKEND_TIMEOUT_SECONDS', 300, 1, 86_400) * 1000,
    // S3 accepts parts of 5 MiB to 5 GiB; the seeder holds (queue size + 1) parts in memory. The
    // defaults (8 MiB, 3 in flight: 32 MiB of buffers) are the fastest measured within 128 MiB RSS.
    partSizeBytes: positiveInt(env, 'SEED_PART_SIZE_MIB', 8, 5, 512) * MIB,
    queueSize: positiveInt(env, 'SEED_QUEUE_SIZE', 3, 1, 16),
  };
}

function readCredentialFiles(env: Env): StaticCredentials | undefined {
  const accessFile = env.S3_ACCESS_KEY_FILE?.trim();
  const secretFile = env.S3_SECRET_KEY_FILE?.trim();
  if (!accessFile && !secretFile) return undefined;
  if (!accessFile || !secretFile) {
    throw configError('S3_ACCESS_KEY_FILE and S3_SECRET_KEY_FILE must be set together, or neither for the AWS credential chain');
  }
  return { accessKeyId: readKeyFile('S3_ACCESS_KEY_FILE', accessFile), secretAccessKey: readKeyFile('S3_SECRET_KEY_FILE', secretFile) };
}

function readKeyFile(variable: string, path: string): string {
  let value: string;
  try {
    value = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw configError(`${variable} names ${path}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!value) throw configError(`${variable} names ${path}, which is empty`);
  return value;
}

function parseSources(raw: string | undefined): SeedSource[] {
  if (raw === undefined || raw.trim() === '') throw configError('SEED_SOURCES must be set to a JSON array of sources');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw configError(`SEED_SOURCES is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw configError(`SEED_SOURCES must be a JSON array, got ${typeName(parsed)}`);
  const sources = parsed.map((item, index) => parseSource(item, index));
  const seen = new Map<string, string>();
  for (const source of sources) {
    const other = seen.get(source.key);
    if (other) throw configError(`${source.label}: key "${source.key}" is also the key of ${other}`);
    seen.set(source.key, source.label);
  }
  return sources;
}

function parseSource(item: unknown, index: number): SeedSource {
  const where = `SEED_SOURCES[${index}]`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw configError(`${where} must be an object with a "url", got ${typeName(item)}`);
  }
  const fields = item as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((f) => !SOURCE_FIELDS.includes(f));
  if (unknown.length > 0) throw configError(`${where} has unknown field "${unknown[0]}"; allowed: ${SOURCE_FIELDS.join(', ')}`);
  for (const field of SOURCE_FIELDS) {
    if (fields[field] !== undefined && typeof fields[field] !== 'string') {
      throw configError(`${where}.${field} must be a string, got ${typeName(fields[field])}`);
    }
  }
  const rawUrl = fields.url as string | undefined;
  if (!rawUrl) throw configError(`${where}.url must be set`);
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw configError(`${where}.url is not a URL: "${redactUrl(rawUrl)}"`);
  }
  const label = `${where} (${redactUrl(url)})`;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(`${label}: url must use http or https, got "${url.protocol.slice(0, -1)}"`);
  }
  const key = (fields.key as string | undefined) ?? keyFromUrl(url);
  if (fields.key === undefined && !key) throw configError(`${label}: the URL has no file name to use as key; set "key"`);
  const problem = keyProblem(key);
  if (problem) throw configError(`${label}: key "${key}" ${problem}`);
  const sha256 = (fields.sha256 as string | undefined)?.toLowerCase();
  if (sha256 !== undefined && !SHA256_PATTERN.test(sha256)) {
    throw configError(`${label}: sha256 must be 64 hexadecimal characters, got "${sha256}"`);
  }
  const contentType = fields.contentType as string | undefined;
  if (contentType !== undefined && !CONTENT_TYPE_PATTERN.test(contentType)) {
    throw configError(`${label}: contentType must look like "type/subtype", got "${contentType}"`);
  }
  return { url, key, sha256, contentType, label };
}

function positiveInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw configError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
