import { createServer, IncomingMessage, request } from 'http';
import { AddressInfo } from 'net';

/** A proxy to an S3 endpoint that holds every part upload's answer, and records the requests. */
export interface SlowBackend {
  /** `http://localhost:PORT`. */
  readonly endpoint: string;
  /** `METHOD path?query` of each request, in the order they arrived. */
  readonly requests: string[];
  close(): Promise<void>;
}

export const isPartUpload = (line: string): boolean => line.startsWith('PUT ') && line.includes('partNumber=');

/** Starts the proxy on loopback in front of `target`, delaying the answers to part uploads by `partDelayMs`. */
export async function startSlowBackend(target: string, partDelayMs: number): Promise<SlowBackend> {
  const requests: string[] = [];
  const proxy = createServer((req: IncomingMessage, res) => {
    const line = `${req.method} ${req.url}`;
    requests.push(line);
    const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      setTimeout(() => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }, isPartUpload(line) ? partDelayMs : 0);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://localhost:${(proxy.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
