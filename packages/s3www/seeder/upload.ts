/**
 * Seeds one source: skip when the stored copy is current, else stream the download into a
 * multipart upload that is completed only after the bytes are verified, so the object is never
 * visible in part or with the wrong content. A download whose SHA-256 (and content type) equal
 * the ones recorded on the stored object is not written again: the upload is aborted before it
 * becomes visible, so a source without ETag or Last-Modified never rewrites an unchanged object.
 */
import { createHash } from 'crypto';
import { GetObjectTaggingCommand, HeadObjectCommand, HeadObjectCommandOutput, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { fromS3Error } from './backend';
import { SeederConfig, SeedSource } from './config';
import { contentTypeFor } from './content-type';
import { oneLine, sourceError } from './errors';
import { log } from './log';
import { Measure } from './measure';
import { ObjectParams, uploadStream } from './multipart';
import { ChunkWriter, openSource, OpenedSource } from './source';

/** User metadata the seeder keeps on each object to recognise it on the next run. */
const META_SHA256 = 'seed-sha256';
const META_SOURCE = 'seed-source';
const META_ETAG = 'seed-source-etag';
const META_LAST_MODIFIED = 'seed-source-last-modified';

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
  const sameSource = !source.sha256 && metadata[META_SOURCE] === sourceId;
  const ifNoneMatch = sameSource ? metadata[META_ETAG] : undefined;
  const ifModifiedSince = sameSource ? metadata[META_LAST_MODIFIED] : undefined;
  const opened = await openSource(source.url, { idleTimeoutMs: config.idleTimeoutMs, ifNoneMatch, ifModifiedSince });
  if (!opened.pipeTo) {
    return { action: 'skipped', reason: `source not modified since the stored copy (${ifNoneMatch ? 'ETag' : 'Last-Modified'})` };
  }
  const contentType = contentTypeFor(source.key, source.contentType, opened.contentType);
  const recorded = await recordedSha256(client, config.bucket, source.key, stored);
  const result = await upload(client, config, source, opened, {
    contentType,
    stored,
    recorded,
    metadata: {
      [META_SOURCE]: sourceId,
      ...(printable(opened.etag) ? { [META_ETAG]: opened.etag } : {}),
      ...(printable(opened.lastModified) ? { [META_LAST_MODIFIED]: opened.lastModified } : {}),
      // A declared checksum is known before the first byte (and verified before the last).
      ...(source.sha256 ? { [META_SHA256]: source.sha256 } : {}),
    },
  });
  if (result === 'unchanged') {
    return { action: 'skipped', reason: 'content unchanged: the stored object has the same sha256 (upload aborted before it became visible)' };
  }
  return { action: 'uploaded', ...result, contentType };
}

interface UploadTarget {
  readonly contentType: string;
  /** The object as it was before this attempt, if any, and the SHA-256 recorded on it. */
  readonly stored?: HeadObjectCommandOutput;
  readonly recorded?: string;
  /** Metadata known before the download; the SHA-256 is added once every byte went through. */
  readonly metadata: Record<string, string>;
}

async function upload(
  client: S3Client, config: SeederConfig, source: SeedSource, opened: OpenedSource, target: UploadTarget,
): Promise<{ bytes: number; sha256: string } | 'unchanged'> {
  const measure = new Measure();
  let unchanged = false;
  const beforeVisible = () => {
    const { sha256 } = verifyBytes(source, opened, measure);
    if (target.recorded === sha256 && target.stored?.ContentType === target.contentType) {
      unchanged = true;
      // Stryker disable next-line StringLiteral: upload() catches this error and returns 'unchanged' on the flag, so its message is never seen
      throw new Error('the stored object already has these bytes');
    }
    return { [META_SHA256]: sha256 };
  };
  const params: ObjectParams = { Bucket: config.bucket, Key: source.key, ContentType: target.contentType, Metadata: target.metadata };
  let stored;
  try {
    const body = (write: ChunkWriter) => opened.pipeTo!(measure.wrap(write)).then(() => measure.end());
    stored = await uploadStream(client, params, body, {
      partSize: partSizeFor(config.partSizeBytes, opened.contentLength),
      queueSize: config.queueSize,
      beforeVisible,
    });
  } catch (err) {
    opened.close();
    if (unchanged) return 'unchanged';
    throw fromS3Error(err, `uploading to ${config.bucket}/${source.key}`);
  }
  const result = verifyBytes(source, opened, measure);
  if (stored.multipart && target.metadata[META_SHA256] !== result.sha256) await recordChecksum(client, params, result.sha256);
  return result;
}

/**
 * A multipart upload's metadata is fixed before its first byte, so its SHA-256 is recorded after
 * completion as the object's tag `seed-sha256` (PutObjectTagging changes no byte and no metadata).
 * Copying the object onto itself with new metadata would not do: MinIO then recomputes the
 * checksum of a multipart source and writes every byte again, and AWS S3 copies at most 5 GiB.
 */
async function recordChecksum(client: S3Client, params: ObjectParams, sha256: string): Promise<void> {
  try {
    await client.send(new PutObjectTaggingCommand({
      Bucket: params.Bucket, Key: params.Key, Tagging: { TagSet: [{ Key: META_SHA256, Value: sha256 }] },
    }));
  } catch (err) {
    throw fromS3Error(err, `recording the sha256 of ${params.Bucket}/${params.Key} (tag ${META_SHA256})`);
  }
}

/**
 * The SHA-256 recorded on a stored object: in its metadata (a single PutObject, or a declared
 * checksum), else in its tag (a multipart upload). A tag that cannot be read counts as none:
 * the object is then written again, as before this check existed.
 */
async function recordedSha256(
  client: S3Client, bucket: string, key: string, stored: HeadObjectCommandOutput | undefined,
): Promise<string | undefined> {
  if (!stored) return undefined;
  const fromMetadata = stored.Metadata?.[META_SHA256];
  if (fromMetadata) return fromMetadata;
  try {
    const tags = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
    return tags.TagSet?.find((t) => t.Key === META_SHA256)?.Value;
  } catch (err) {
    log('warn', 'cannot read the tags of the stored object; it is compared as if it had no sha256', { key, cause: oneLine(err) });
    return undefined;
  }
}

/** Declared size and checksum against what went through; a mismatch keeps the object invisible. */
function verifyBytes(source: SeedSource, opened: OpenedSource, measure: Measure): { bytes: number; sha256: string } {
  const result = measure.result;
  // Stryker disable next-line StringLiteral,BooleanLiteral: unreachable; both callers run after the body resolved, and the body ends the measure
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

/** A header value S3 metadata can carry (printable ASCII). */
function printable(value: string | undefined): value is string {
  return value !== undefined && /^[\x20-\x7e]+$/.test(value);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
