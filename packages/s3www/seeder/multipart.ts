/**
 * Streams a body into one object with bounded memory: at most `queueSize` parts in flight plus
 * the one being filled, each in a buffer that is reused for the next part. (lib-storage's Upload
 * allocates and concatenates a new buffer per part, which kept the process 30-50 MiB above its
 * live data between garbage collections: over the 128 MiB the seeder is meant to fit in.)
 *
 * Nothing becomes visible before `beforeVisible` passed: it runs after the last byte was read
 * and before the PutObject (a body smaller than one part) or the CompleteMultipartUpload. A
 * failure at any point, or a throw from `beforeVisible` (a checksum mismatch, or content the
 * bucket already holds), aborts the multipart upload.
 */
import {
  AbortMultipartUploadCommand, CompletedPart, CompleteMultipartUploadCommand, CreateMultipartUploadCommand,
  PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { oneLine } from './errors';
import { log } from './log';
import { ChunkWriter } from './source';

export interface ObjectParams {
  readonly Bucket: string;
  readonly Key: string;
  readonly ContentType: string;
  readonly Metadata: Record<string, string>;
}

export interface StreamUploadOptions {
  readonly partSize: number;
  readonly queueSize: number;
  /**
   * Throws to keep the object invisible, e.g. when the checksum does not match. May return
   * metadata known only once every byte went through (the SHA-256): a single PutObject stores it
   * with the object; a multipart upload cannot (its metadata is fixed when it is created), so the
   * caller records it after completion.
   */
  readonly beforeVisible: () => Record<string, string> | void;
}

/** How the object was stored: by one PutObject, or by a multipart upload. */
export interface StoredObject {
  readonly multipart: boolean;
}

/** Feeds every chunk of a body to `write`, resolving after the last one (see `OpenedSource.pipeTo`). */
export type BodyPipe = (write: ChunkWriter) => Promise<void>;

export async function uploadStream(client: S3Client, params: ObjectParams, body: BodyPipe, options: StreamUploadOptions): Promise<StoredObject> {
  const free: Buffer[] = [];
  const take = () => free.pop() ?? Buffer.allocUnsafe(options.partSize);
  const parts: CompletedPart[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let uploadId: string | undefined;
  let partNumber = 0;
  let current: Buffer | undefined;
  let filled = 0;
  // A part that waits for room when the body fails must not start after the cleanup began.
  let waiting: Promise<void> | undefined;
  let stopped = false;

  const startPart = (buffer: Buffer, length: number) => {
    const number = ++partNumber;
    const upload = client.send(new UploadPartCommand({
      Bucket: params.Bucket,
      Key: params.Key,
      UploadId: uploadId,
      PartNumber: number,
      Body: buffer.subarray(0, length),
      ContentLength: length,
      ChecksumAlgorithm: 'CRC32',
    })).then((res) => {
      parts.push({ PartNumber: number, ETag: res.ETag, ChecksumCRC32: res.ChecksumCRC32 });
    }, (err) => {
      failure ??= err;
    }).finally(() => {
      free.push(buffer);
      inFlight.delete(upload);
    });
    inFlight.add(upload);
  };

  const mayStart = () => {
    if (failure) throw failure;
    // Stryker disable next-line StringLiteral: thrown only into `waiting` after the body failed; the cleanup swallows it and the body's own error is thrown
    if (stopped) throw new Error('the upload was stopped');
  };

  /** Starts the part at once when there is room; otherwise returns the wait for room (backpressure). */
  const sendPart = (buffer: Buffer, length: number): Promise<void> | undefined => {
    mayStart();
    if (uploadId !== undefined && inFlight.size < options.queueSize) {
      startPart(buffer, length);
      return undefined;
    }
    waiting = (async () => {
      while (inFlight.size >= options.queueSize) await Promise.race(inFlight);
      mayStart();
      uploadId ??= (await client.send(new CreateMultipartUploadCommand({ ...params, ChecksumAlgorithm: 'CRC32' }))).UploadId;
      mayStart();
      startPart(buffer, length);
    })();
    return waiting;
  };

  /** Copies a chunk into the part being filled, sending each part as it fills up. */
  const write = (chunk: Buffer): Promise<void> | undefined => {
    for (let offset = 0; offset < chunk.length;) {
      current ??= take();
      const copied = chunk.copy(current, filled, offset);
      filled += copied;
      offset += copied;
      if (filled === options.partSize) {
        const full = current;
        current = undefined;
        filled = 0;
        collectSocketBuffers();
        const wait = sendPart(full, options.partSize);
        if (wait) {
          const rest = chunk.subarray(offset);
          return wait.then(() => write(rest));
        }
      }
    }
    if (failure) throw failure;
    return undefined;
  };

  try {
    await body(write);
    if (partNumber === 0) {
      // Smaller than one part: a single PutObject, which is atomic by itself.
      const known = options.beforeVisible() ?? {};
      await client.send(new PutObjectCommand({
        ...params, Metadata: { ...params.Metadata, ...known }, Body: (current ?? Buffer.alloc(0)).subarray(0, filled), ContentLength: filled,
      }));
      return { multipart: false };
    }
    if (filled > 0) await sendPart(current!, filled);
    await Promise.all(inFlight);
    if (failure) throw failure;
    options.beforeVisible();
    parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
    await client.send(new CompleteMultipartUploadCommand({
      Bucket: params.Bucket, Key: params.Key, UploadId: uploadId, MultipartUpload: { Parts: parts },
    }));
    return { multipart: true };
  } catch (err) {
    stopped = true;
    await waiting?.catch(() => undefined);
    await Promise.allSettled(inFlight);
    if (uploadId) await abort(client, params, uploadId);
    throw err;
  }
}

/**
 * The socket hands over each download chunk in a fresh 64 KiB buffer; once copied into a part they
 * are garbage, but V8 only sees their small handles and lets a part's worth pile up outside its
 * heap. A young-generation collection per part (a millisecond; `gc` exists only when node runs
 * with --expose-gc, as the Job does) frees them: about 20 MiB less peak memory.
 */
function collectSocketBuffers(): void {
  (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc?.({ type: 'minor' });
}

async function abort(client: S3Client, params: ObjectParams, uploadId: string): Promise<void> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: params.Bucket, Key: params.Key, UploadId: uploadId }));
  } catch (err) {
    // The parts stay invisible; a bucket lifecycle rule for incomplete uploads removes them.
    log('warn', 'could not abort the multipart upload', { key: params.Key, cause: oneLine(err) });
  }
}
