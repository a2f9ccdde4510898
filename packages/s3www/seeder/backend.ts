/**
 * The S3 side: one client for the run, the start-up wait for the backend and its bucket, and the
 * translation of SDK errors into the seeder's failures.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SeederConfig } from './config';
import { backendError, oneLine, SeedError } from './errors';
import { log } from './log';
import { sleep } from './retry';

export function createClient(config: SeederConfig): S3Client {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    // S3-compatible servers (MinIO, moto) address buckets by path; AWS S3 by virtual host.
    forcePathStyle: config.endpoint !== undefined,
    credentials: config.credentials,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
    // 100-continue costs a new connection per part (the SDK then skips keep-alive) for no gain here.
    expectContinueHeader: false,
  });
  // Part bodies are covered by their CRC32 checksum and the whole object by the seeder's SHA-256,
  // so SigV4 need not hash every byte a third time (it would over plain http).
  client.middlewareStack.add((next) => async (args) => {
    const request = args.request as { headers?: Record<string, string>; body?: unknown };
    if (request.headers && request.body instanceof Uint8Array) request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    return next(args);
  }, {
    step: 'build',
    // Stryker disable next-line StringLiteral: the name only labels the middleware in the client's stack; nothing looks it up and it is added once
    name: 'seederUnsignedPayload',
  });
  return client;
}

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

const CREDENTIAL_ERRORS = ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'InvalidToken', 'ExpiredToken', 'CredentialsProviderError'];

/** A seeder failure for an SDK error: credentials and 4xx are final, 5xx and network errors may pass. */
export function fromS3Error(err: unknown, doing: string): SeedError {
  if (err instanceof SeedError) return err;
  const e = err as SdkError;
  const status = e.$metadata?.httpStatusCode;
  // Socket errors only say what happened in `code` (ECONNREFUSED, ECONNRESET, ...).
  const code = e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code ?? 'Error';
  const detail = oneLine(err);
  const text = detail && detail !== code ? `${code}: ${detail}` : code;
  if (CREDENTIAL_ERRORS.includes(code) || status === 401 || status === 403) {
    return backendError(`${doing} was refused (${status ? `HTTP ${status} ` : ''}${text}); check the credentials and their permissions`, false);
  }
  const retryable = status === undefined || status >= 500 || status === 429 || code === 'SlowDown';
  return backendError(`${doing} failed (${status ? `HTTP ${status} ` : ''}${text})`, retryable);
}

/**
 * Refusals that mean the seeder's user or its policy may not exist yet: its owner (with
 * @s3www-eks/minio, MinIO's bucket Job, which also creates the users of its grants) may still be
 * running. A wrong secret key for a known user (SignatureDoesNotMatch) is never waited for.
 */
const NOT_YET_GRANTED = ['InvalidAccessKeyId', 'AccessDenied'];

/** What the start-up wait is waiting for. */
type Waiting = 'backend' | 'bucket' | 'grant';

/**
 * Waits until the backend answers, the bucket exists and the seeder's keys may list it. The seeder
 * never creates a bucket: exactly one component does (with @s3www-eks/minio, MinIO's bucket Job,
 * which may still be running when the seeder starts, and which also creates the seeder's user and
 * its policy), so a missing bucket, an unknown access key or a refusal is waited for like an
 * unreachable backend, then fails the run. Listing at most one key proves the address, the
 * credentials and ListBucket in one call.
 */
export async function checkBucket(client: S3Client, config: SeederConfig): Promise<void> {
  const deadline = Date.now() + config.backendTimeoutMs;
  let delay = Math.min(config.retryDelayMs, 1000);
  for (let attempt = 1; ; attempt++) {
    let failure: SeedError;
    let waiting: Waiting = 'backend';
    try {
      await client.send(new ListObjectsV2Command({ Bucket: config.bucket, MaxKeys: 1 }));
      log('info', 'bucket exists', { bucket: config.bucket });
      return;
    } catch (err) {
      const code = (err as SdkError).Code ?? (err as SdkError).name;
      if (code === 'NoSuchBucket') {
        waiting = 'bucket';
        failure = backendError(`bucket ${config.bucket} does not exist`, true);
      } else if (code !== undefined && NOT_YET_GRANTED.includes(code)) {
        waiting = 'grant';
        failure = backendError(fromS3Error(err, `reaching bucket ${config.bucket}`).message, true);
      } else {
        failure = fromS3Error(err, `reaching bucket ${config.bucket}`);
      }
    }
    if (!failure.retryable) throw failure;
    if (Date.now() + delay > deadline) {
      const wait = `${config.backendTimeoutMs / 1000}s`;
      const where = config.endpoint ?? 'AWS S3';
      throw backendError({
        bucket: `bucket ${config.bucket} does not exist on ${where} after ${wait}; the seeder never creates buckets: create it first (with @s3www-eks/minio, its 'buckets')`,
        grant: `${failure.message}, still after ${wait}: the access key must belong to a user that may list ${config.bucket} (with @s3www-eks/minio, minio.grantReadWrite() for this Secret; MinIO's bucket Job creates the user)`,
        backend: `backend ${where} did not answer within ${wait}: ${failure.message}`,
      }[waiting], false);
    }
    const message = { bucket: 'bucket missing, waiting', grant: 'access refused, waiting for the user and its policy', backend: 'backend not ready, waiting' }[waiting];
    log('warn', message, { attempt, retryInMs: delay, cause: failure.message });
    await sleep(delay);
    delay = Math.min(delay * 2, 5000);
  }
}
