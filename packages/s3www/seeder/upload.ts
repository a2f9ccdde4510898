/**
 * Seeds one source: skip when the stored copy is current, else stream the download into a
 * multipart upload that is completed only after the bytes are verified, so the object is never
 * visible in part or with the wrong content.
 */
import { createHash } from 'crypto';
import { HeadObjectCommand, HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { fromS3Error } from './backend';
import { SeederConfig, SeedSource } from './config';
import { contentTypeFor } from './content-type';
import { sourceError } from './errors';
import { Measure } from './measure';
import { uploadStream } from './multipart';
import { ChunkWriter, openSource, OpenedSource } from './source';

/** User metadata the seeder keeps on each object to recognise it on the next run. */
const META_SHA256 = 'seed-sha256';
const META_SOURCE = 'seed-source';
const META_ETAG = 'seed-source-etag';

export type SeedOutcome =
  | { readonly action: 'skipped'; readonly reason: string }
  | { readonly action: 'uploaded'; readonly bytes: number; readonly sha256: string; readonly contentType: string };

/** One attempt at one source; the caller retries it when the error says so. */
export async function seedSource(client: S3Client, config: SeederConfig, source: SeedSource): Promise<SeedOutcome> {
  const stored = await headObject(client, config.bucket, source.key);
  const sourceId = digest(source.url.href);
  const metadata = stored?.Metadata ?? {};
  if (source.sha256 && metadata[META_SHA256] === source.sha256 && (!source.contentType || stored?.ContentType === source.contentType)) {
    return { action: 'skipped', reason: 'stored object has the declared sha256' };
  }
  // Without a declared checksum the source server is asked whether its copy changed since the last run.
  const etag = !source.sha256 && metadata[META_SOURCE] === sourceId ? metadata[META_ETAG] : undefined;
  const opened = await openSource(source.url, { idleTimeoutMs: config.idleTimeoutMs, ifNoneMatch: etag });
  if (!opened.pipeTo) return { action: 'skipped', reason: 'source not modified since the stored copy (ETag)' };
  const contentType = contentTypeFor(source.key, source.contentType, opened.contentType);
  const result = await upload(client, config, source, opened, contentType, {
    [META_SOURCE]: sourceId,
    ...(opened.etag && /^[\x20-\x7e]+$/.test(opened.etag) ? { [META_ETAG]: opened.etag } : {}),
    ...(source.sha256 ? { [META_SHA256]: source.sha256 } : {}),
  });
  return { action: 'uploaded', ...result, contentType };
}

async function upload(
  client: S3Client, config: SeederConfig, source: SeedSource, opened: OpenedSource, contentType: string, metadata: Record<string, string>,
): Promise<{ bytes: number; sha256: string }> {
  const measure = new Measure();
  const verify = () => verifyBytes(source, opened, measure);
  try {
    const params = { Bucket: config.bucket, Key: source.key, ContentType: contentType, Metadata: metadata };
    const body = (write: ChunkWriter) => opened.pipeTo!(measure.wrap(write)).then(() => measure.end());
    await uploadStream(client, params, body, {
      partSize: partSizeFor(config.partSizeBytes, opened.contentLength),
      queueSize: config.queueSize,
      beforeVisible: verify,
    });
  } catch (err) {
    opened.close();
    throw fromS3Error(err, `uploading to ${config.bucket}/${source.key}`);
  }
  return verify();
}

/** Declared size and checksum against what went through; a mismatch keeps the object invisible. */
function verifyBytes(source: SeedSource, opened: OpenedSource, measure: Measure): { bytes: number; sha256: string } {
  const result = measure.result;
  if (!result) throw sourceError('the download ended before its last byte', true);
  if (opened.contentLength !== undefined && result.bytes !== opened.contentLength) {
    throw sourceError(`size mismatch: Content-Length was ${opened.contentLength} bytes, received ${result.bytes}`, true);
  }
  if (source.sha256 && result.sha256 !== source.sha256) {
    throw sourceError(`sha256 mismatch: expected ${source.sha256}, got ${result.sha256}`, false);
  }
  return result;
}

/** S3 allows 10,000 parts: a larger announced size gets larger parts. */
function partSizeFor(configured: number, contentLength: number | undefined): number {
  const needed = Math.ceil((contentLength ?? 0) / 10_000);
  return Math.max(configured, Math.ceil(needed / 1048576) * 1048576);
}

async function headObject(client: S3Client, bucket: string, key: string): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw fromS3Error(err, `reading ${bucket}/${key}`);
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
