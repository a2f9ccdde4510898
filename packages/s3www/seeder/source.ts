/**
 * Downloads a source as a pull stream over node:http(s) (fetch would load undici, which costs
 * the process about 20 MiB). Redirects are followed. The idle timer runs only while the uploader
 * is waiting for bytes, so a slow backend (backpressure) is never mistaken for a stalled source.
 */
import { ClientRequest, get as httpGet, IncomingMessage } from 'http';
import { get as httpsGet } from 'https';
import { Readable } from 'stream';
import { SeedError, sourceError } from './errors';

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

const MAX_REDIRECTS = 5;
const CHUNK_HIGH_WATER_MARK = 256 * 1024;

export async function openSource(url: URL, options: OpenOptions): Promise<OpenedSource> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const { request, response } = await requestOnce(current, options);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      response.resume();
      request.destroy();
      if (redirects >= MAX_REDIRECTS) throw sourceError(`more than ${MAX_REDIRECTS} redirects`, false);
      current = new URL(location, current);
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        throw sourceError(`redirected to a ${current.protocol.slice(0, -1)} URL, only http and https are followed`, false);
      }
      continue;
    }
    if (status === 304) {
      response.resume();
      return {};
    }
    if (status < 200 || status > 299) {
      response.resume();
      request.destroy();
      const retryable = status >= 500 || status === 408 || status === 429;
      throw sourceError(`HTTP ${status} ${response.statusMessage ?? ''}`.trim(), retryable);
    }
    const length = response.headers['content-length'];
    return {
      body: new SourceStream(request, response, options.idleTimeoutMs),
      contentType: response.headers['content-type'],
      contentLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
      etag: response.headers.etag,
    };
  }
}

function idleError(idleTimeoutMs: number): SeedError {
  return sourceError(`no data for ${idleTimeoutMs / 1000}s (idle timeout)`, true);
}

function requestOnce(url: URL, options: OpenOptions): Promise<{ request: ClientRequest; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? httpsGet : httpGet;
    const request = get(url, { headers: options.ifNoneMatch ? { 'if-none-match': options.ifNoneMatch } : {} });
    const timer = setTimeout(() => request.destroy(idleError(options.idleTimeoutMs)), options.idleTimeoutMs);
    request.once('response', (response) => {
      clearTimeout(timer);
      resolve({ request, response });
    });
    request.once('error', (err) => {
      clearTimeout(timer);
      reject(err instanceof SeedError ? err : sourceError(`request failed: ${networkCause(err)}`, true));
    });
  });
}

/** The response body, read only on demand, with the idle timer running while a read waits. */
class SourceStream extends Readable {
  private timer?: NodeJS.Timeout;
  private wanted = false;

  constructor(private readonly request: ClientRequest, private readonly response: IncomingMessage, private readonly idleTimeoutMs: number) {
    super({ highWaterMark: CHUNK_HIGH_WATER_MARK });
    response.on('readable', () => this.pump());
    response.on('end', () => {
      clearTimeout(this.timer);
      this.push(null);
    });
    response.on('close', () => {
      if (!response.complete) this.destroy(sourceError('download failed: the connection closed before the whole body arrived', true));
    });
    response.on('error', (err) => this.destroy(sourceError(`download failed: ${networkCause(err)}`, true)));
    request.on('error', (err) => this.destroy(err instanceof SeedError ? err : sourceError(`download failed: ${networkCause(err)}`, true)));
  }

  override _read(): void {
    this.wanted = true;
    this.pump();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    this.request.destroy();
    callback(err);
  }

  private pump(): void {
    while (this.wanted) {
      const chunk: Buffer | null = this.response.read();
      if (chunk === null) {
        this.arm();
        return;
      }
      this.wanted = this.push(chunk);
    }
    clearTimeout(this.timer);
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.destroy(idleError(this.idleTimeoutMs)), this.idleTimeoutMs);
  }
}

/** The socket error's message and code, on one line. */
function networkCause(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const text = [e.message, e.code && !e.message?.includes(e.code) ? `(${e.code})` : undefined].filter(Boolean).join(' ') || String(err);
  return text.replace(/\s+/g, ' ');
}
