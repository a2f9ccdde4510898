/**
 * A stand-in for the seed source on the internet (media.giphy.com): an HTTPS server on a loopback
 * address that serves files like a CDN, with a strong ETag and Last-Modified, and 304 Not Modified
 * to a conditional request that matches. Its certificate is for its IP address, signed by a CA
 * made for the run (with the openssl CLI); give the CA file to the client (NODE_EXTRA_CA_CERTS).
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { IncomingMessage, ServerResponse } from 'http';
import { createServer, Server } from 'https';
import { AddressInfo } from 'net';
import { join } from 'path';

export interface SourceFile {
  readonly body: Buffer;
  readonly contentType: string;
  /** Sends ETag and Last-Modified, and answers conditional requests with 304 (default true). */
  readonly validators?: boolean;
}

export interface SourceRequest {
  readonly path: string;
  readonly status: number;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
}

export class CdnSource {
  /** Starts the server on `address` (a free port), with a CA and certificate written under `dir`. */
  static async start(address: string, dir: string): Promise<CdnSource> {
    mkdirSync(dir, { recursive: true });
    const tls = makeCertificate(address, dir);
    const source = new CdnSource(tls);
    await new Promise<void>((resolve, reject) => {
      source.server.once('error', reject);
      source.server.listen(0, address, () => resolve());
    });
    return source;
  }

  /** Every request, in order. */
  readonly requests: SourceRequest[] = [];
  private readonly files = new Map<string, { file: SourceFile; etag: string; lastModified: string }>();
  private readonly server: Server;

  private constructor(private readonly tls: { caFile: string; key: Buffer; cert: Buffer }) {
    this.server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => this.answer(req, res));
  }

  /** The CA that signed the server's certificate (PEM file). */
  get caFile(): string {
    return this.tls.caFile;
  }

  /** `https://<address>:<port>`. */
  get origin(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `https://${address}:${port}`;
  }

  /** Serves (or replaces) a file at a path. */
  put(path: string, file: SourceFile): void {
    const etag = `"${createHash('sha256').update(file.body).digest('hex').slice(0, 32)}"`;
    // Whole seconds, as HTTP dates carry them.
    const lastModified = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toUTCString();
    this.files.set(path, { file, etag, lastModified });
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const entry = this.files.get(path);
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    const record = (status: number) => this.requests.push({ path, status, ifNoneMatch, ifModifiedSince });
    if (!entry || (req.method !== 'GET' && req.method !== 'HEAD')) {
      record(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const validators = entry.file.validators ?? true;
    const headers: Record<string, string | number> = { 'content-type': entry.file.contentType, 'content-length': entry.file.body.length };
    if (validators) {
      headers.etag = entry.etag;
      headers['last-modified'] = entry.lastModified;
      // RFC 9110: If-None-Match wins over If-Modified-Since when both are sent.
      const notModified = ifNoneMatch !== undefined
        ? ifNoneMatch.split(',').map((t) => t.trim()).includes(entry.etag)
        : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= Date.parse(entry.lastModified);
      if (notModified) {
        record(304);
        res.writeHead(304, { 'etag': entry.etag, 'last-modified': entry.lastModified }).end();
        return;
      }
    }
    record(200);
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : entry.file.body);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A CA and a server certificate for an IP address, made with the openssl CLI. */
function makeCertificate(address: string, dir: string): { caFile: string; key: Buffer; cert: Buffer } {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=s3www-eks test CA',
    '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${address}`, '-keyout', file('server.key'), '-out', file('server.csr'));
  writeFileSync(file('server.ext'), `subjectAltName=IP:${address}\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '1', '-extfile', file('server.ext'), '-out', file('server.pem'));
  return { caFile: file('ca.pem'), key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')) };
}
