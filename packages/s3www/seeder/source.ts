/**
 * Downloads a source over node:http(s) (fetch would load undici, which costs the process about
 * 20 MiB), following redirects. The body is read chunk by chunk on demand, and the idle timer
 * runs only while the seeder waits for the next chunk, so a slow backend (backpressure) is never
 * mistaken for a stalled source.
 */
import { ClientRequest, get as httpGet, IncomingMessage } from 'http';
import { get as httpsGet } from 'https';
import { SeedError, sourceError } from './errors';

export interface OpenedSource {
  /** The body; absent when the server answered 304 Not Modified. */
  readonly chunks?: AsyncIterable<Buffer>;
  readonly contentType?: string;
  /** The Content-Length the server announced, if any. */
  readonly contentLength?: number;
  readonly etag?: string;
  /** Drops the connection (after a failure elsewhere). */
  close(): void;
}

export interface OpenOptions {
  readonly idleTimeoutMs: number;
  /** Sent as If-None-Match to ask whether the stored copy is still current. */
  readonly ifNoneMatch?: string;
}

const MAX_REDIRECTS = 5;

export async function openSource(url: URL, options: OpenOptions): Promise<OpenedSource> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const { request, response } = await requestOnce(current, options);
    const close = () => request.destroy();
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && location) {
      close();
      if (redirects >= MAX_REDIRECTS) throw sourceError(`more than ${MAX_REDIRECTS} redirects`, false);
      current = new URL(location, current);
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        throw sourceError(`redirected to a ${current.protocol.slice(0, -1)} URL, only http and https are followed`, false);
      }
      continue;
    }
    if (status === 304) {
      close();
      return { close };
    }
    if (status < 200 || status > 299) {
      close();
      const retryable = status >= 500 || status === 408 || status === 429;
      throw sourceError(`HTTP ${status} ${response.statusMessage ?? ''}`.trim(), retryable);
    }
    const length = response.headers['content-length'];
    return {
      chunks: readBody(request, response, options.idleTimeoutMs),
      contentType: response.headers['content-type'],
      contentLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
      etag: response.headers.etag,
      close,
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

/** The body's chunks; each wait for the next one is bounded by the idle timeout. */
async function* readBody(request: ClientRequest, response: IncomingMessage, idleTimeoutMs: number): AsyncGenerator<Buffer> {
  const chunks = response[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const stalled = () => new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(idleError(idleTimeoutMs)), idleTimeoutMs);
  });
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await Promise.race([chunks.next(), stalled()]);
      } catch (err) {
        throw err instanceof SeedError ? err : sourceError(`download failed: ${networkCause(err)}`, true);
      } finally {
        clearTimeout(timer);
      }
      if (next.done) break;
      yield next.value;
    }
    if (!response.complete) throw sourceError('download failed: the connection closed before the whole body arrived', true);
  } finally {
    // Ends the download early on any failure (a stall, a mismatch, a failed upload); a no-op after the end.
    request.destroy();
  }
}

/** The socket error's message and code, on one line. */
function networkCause(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const text = [e.message, e.code && !e.message?.includes(e.code) ? `(${e.code})` : undefined].filter(Boolean).join(' ') || String(err);
  return text.replace(/\s+/g, ' ');
}
