/**
 * Downloads a source over node:http(s) (fetch would load undici, which costs the process about
 * 20 MiB), following redirects. The body is pushed chunk by chunk to a writer that may ask for a
 * pause (backpressure); the idle timer counts only while the download is not paused, so a slow
 * backend is never mistaken for a stalled source. Events rather than async iteration: a 1 GiB
 * body is 16,000 chunks, and the promises and timers per chunk cost a third of the CPU of reading.
 */
import { ClientRequest, get as httpGet, IncomingMessage } from 'http';
import { get as httpsGet } from 'https';
import { SeedError, sourceError } from './errors';

/**
 * Takes one chunk of the body. A returned promise pauses the download until it settles; a
 * rejection or a throw ends the download with that error.
 */
export type ChunkWriter = (chunk: Buffer) => Promise<void> | undefined;

export interface OpenedSource {
  /**
   * Streams the whole body to `write`, resolving after the last byte; absent when the server
   * answered 304 Not Modified.
   */
  readonly pipeTo?: (write: ChunkWriter) => Promise<void>;
  readonly contentType?: string;
  /** The Content-Length the server announced, if any. */
  readonly contentLength?: number;
  readonly etag?: string;
  readonly lastModified?: string;
  /** Drops the connection (after a failure elsewhere). */
  close(): void;
}

export interface OpenOptions {
  readonly idleTimeoutMs: number;
  /** Sent as If-None-Match to ask whether the stored copy is still current. */
  readonly ifNoneMatch?: string;
  /** Sent as If-Modified-Since, for sources that send Last-Modified but no ETag. */
  readonly ifModifiedSince?: string;
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
    // Node's client never gives a 1xx status to 'response' ('information' and 'upgrade' events).
    if (status >= 300) {
      close();
      const retryable = status >= 500 || status === 408 || status === 429;
      // Stryker disable next-line StringLiteral: statusMessage is always a string here ('' without a reason phrase); the fallback only satisfies its type
      throw sourceError(`HTTP ${status} ${response.statusMessage ?? ''}`.trim(), retryable);
    }
    // Node's parser fails a response whose Content-Length is not a decimal number.
    const length = response.headers['content-length'];
    return {
      pipeTo: (write) => pumpBody(request, response, options.idleTimeoutMs, write),
      contentType: response.headers['content-type'],
      contentLength: length === undefined ? undefined : Number(length),
      etag: response.headers.etag,
      lastModified: response.headers['last-modified'],
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
    const headers: Record<string, string> = {};
    if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
    if (options.ifModifiedSince) headers['if-modified-since'] = options.ifModifiedSince;
    const request = get(url, { headers });
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

/**
 * Pushes the body into `write`. The idle timer runs only while the download is not paused, and
 * errors the writer raises pass through unchanged: only the download's own are source errors.
 */
function pumpBody(request: ClientRequest, response: IncomingMessage, idleTimeoutMs: number, write: ChunkWriter): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let pending: Promise<void> | undefined;
    let lastData = Date.now();
    let timer: NodeJS.Timeout | undefined;
    // Safe to call more than once: the promise keeps its first outcome, and the rest is idempotent.
    const settle = (err?: unknown) => {
      clearTimeout(timer);
      // Ends the download early on any failure (a stall, a failed upload); a no-op after the end.
      request.destroy();
      if (err === undefined) resolve();
      else reject(err);
    };
    const downloadFailed = (err: unknown) => settle(err instanceof SeedError ? err : sourceError(`download failed: ${networkCause(err)}`, true));
    // Stryker disable next-line StringLiteral,BooleanLiteral,ArrowFunction: unreachable on Node 20+ (the bundle's target): an incomplete response gets 'error' (aborted) before 'end' or 'close', and that settles first
    const truncated = () => downloadFailed(sourceError('download failed: the connection closed before the whole body arrived', true));
    // One timer, re-armed when it fires early: cheaper than a timer per chunk.
    const watch = (delayMs: number) => {
      timer = setTimeout(() => {
        const idleMs = Date.now() - lastData;
        // Stryker disable next-line EqualityOperator: at exactly the timeout, '>' re-arms a 0 ms timer that fails the download a tick later
        const idle = idleMs >= idleTimeoutMs;
        if (pending) watch(idleTimeoutMs);
        else if (idle) downloadFailed(idleError(idleTimeoutMs));
        else watch(idleTimeoutMs - idleMs);
      }, delayMs);
    };
    response.on('data', (chunk: Buffer) => {
      lastData = Date.now();
      let wait: Promise<void> | undefined;
      try {
        wait = write(chunk);
      } catch (err) {
        settle(err);
        return;
      }
      if (!wait) return;
      response.pause();
      pending = wait.then(() => {
        pending = undefined;
        lastData = Date.now();
        response.resume();
      }, settle);
    });
    response.once('end', () => {
      // Stryker disable next-line ConditionalExpression: unreachable on Node 20+, like truncated() above
      if (!response.complete) truncated();
      else if (pending) pending.then(() => settle(), settle);
      else settle();
    });
    response.once('error', downloadFailed);
    // Stryker disable next-line StringLiteral,BlockStatement: on Node 20+ (the bundle's target) an incomplete response always gets 'error' (aborted) before 'close', so this handler never settles the download first
    response.once('close', () => {
      // Stryker disable next-line ConditionalExpression: unreachable on Node 20+, like truncated() above
      if (!response.complete) truncated();
    });
    watch(idleTimeoutMs);
  });
}

/** The socket error's message and code, on one line. */
function networkCause(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const text = [e.message, e.code && !e.message?.includes(e.code) ? `(${e.code})` : undefined].filter(Boolean).join(' ') || String(err);
  // Stryker disable next-line Regex: a run of blanks as one space or as several only changes how the logged message looks
  return text.replace(/\s+/g, ' ');
}
