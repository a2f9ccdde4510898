/**
 * A local HTTP server on 127.0.0.1 that plays the part of the seeder's sources: static files with
 * ETags, and routes that fail, stall or stream on demand. It counts requests per path.
 */
import { createHash } from 'crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export class SourceServer {
  static async start(): Promise<SourceServer> {
    const source = new SourceServer();
    await new Promise<void>((resolve) => source.server.listen(0, '127.0.0.1', resolve));
    return source;
  }

  private readonly routes = new Map<string, Handler>();
  private readonly hits = new Map<string, number>();
  private readonly server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const hit = (this.hits.get(path) ?? 0) + 1;
    this.hits.set(path, hit);
    const handler = this.routes.get(path);
    if (handler) {
      handler(req, res, hit);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** How many requests reached the path. */
  hitsOf(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  route(path: string, handler: Handler): string {
    this.routes.set(path, handler);
    return this.url(path);
  }

  /** A static file with a strong ETag; answers 304 to a matching If-None-Match. */
  file(path: string, body: Buffer | string, contentType?: string): string {
    const bytes = Buffer.from(body);
    const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`;
    return this.route(path, (req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-length': bytes.length, etag, ...(contentType ? { 'content-type': contentType } : {}) }).end(bytes);
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** `size` bytes of a repeatable pattern, written as fast as the client reads them. */
export function streamBytes(res: ServerResponse, size: number, onProgress?: (sent: number) => void): void {
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31 + 7) % 256;
  res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
  let sent = 0;
  const pump = () => {
    while (sent < size) {
      const chunk = block.subarray(0, Math.min(block.length, size - sent));
      sent += chunk.length;
      onProgress?.(sent);
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
