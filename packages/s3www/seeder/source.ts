/**
 * Downloads a source as a pull stream. The idle timer runs only while the uploader is waiting
 * for bytes, so a slow backend (backpressure) is never mistaken for a stalled source.
 */
import { Readable } from 'stream';
import { sourceError } from './errors';

export interface OpenedSource {
  /** Absent when the server answered 304 Not Modified. */
  readonly body?: Readable;
  readonly contentType?: string;
  /** The Content-Length the server announced, if any. */
  readonly contentLength?: number;
  readonly etag?: string;
}

export interface OpenOptions {
  readonly idleTimeoutMs: number;
  /** Sent as If-None-Match to ask whether the stored copy is still current. */
  readonly ifNoneMatch?: string;
}

const CHUNK_HIGH_WATER_MARK = 1024 * 1024;

export async function openSource(url: URL, options: OpenOptions): Promise<OpenedSource> {
  const controller = new AbortController();
  const idleError = () => sourceError(`no data for ${options.idleTimeoutMs / 1000}s (idle timeout)`, true);
  const headersTimer = setTimeout(() => controller.abort(idleError()), options.idleTimeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      signal: controller.signal,
      redirect: 'follow',
      headers: options.ifNoneMatch ? { 'if-none-match': options.ifNoneMatch } : {},
    });
  } catch (err) {
    throw controller.signal.aborted ? controller.signal.reason : sourceError(`request failed: ${networkCause(err)}`, true);
  } finally {
    clearTimeout(headersTimer);
  }
  if (response.status === 304) {
    await response.body?.cancel();
    return {};
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    throw sourceError(`HTTP ${response.status} ${response.statusText}`.trim(), retryable);
  }
  const length = response.headers.get('content-length');
  return {
    body: new SourceStream(response.body.getReader(), controller, options.idleTimeoutMs, idleError),
    contentType: response.headers.get('content-type') ?? undefined,
    contentLength: length !== null && /^\d+$/.test(length) ? Number(length) : undefined,
    etag: response.headers.get('etag') ?? undefined,
  };
}

class SourceStream extends Readable {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly controller: AbortController,
    private readonly idleTimeoutMs: number,
    private readonly idleError: () => Error,
  ) {
    super({ highWaterMark: CHUNK_HIGH_WATER_MARK });
  }

  override _read(): void {
    this.timer = setTimeout(() => this.controller.abort(this.idleError()), this.idleTimeoutMs);
    this.reader.read().then(({ done, value }) => {
      clearTimeout(this.timer);
      this.push(done ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    }, (err) => {
      clearTimeout(this.timer);
      this.destroy(this.controller.signal.aborted ? this.controller.signal.reason : sourceError(`download failed: ${networkCause(err)}`, true));
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    if (!this.controller.signal.aborted) this.controller.abort(err ?? undefined);
    callback(err);
  }
}

/** fetch hides the socket error in `cause`; that is the part worth reading. */
function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause ?? (err as { code?: string; message?: string });
  const text = [cause.message, cause.code && `(${cause.code})`].filter(Boolean).join(' ') || String(err);
  return text.replace(/\s+/g, ' ');
}
