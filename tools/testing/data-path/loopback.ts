/**
 * The cluster network on loopback: one 127.0.0.0/8 address per Service and per pod, and a small
 * stand-in for kube-proxy that forwards a Service's port to the pods whose readiness probe passes.
 *
 * Each stack takes a /24 of its own (127.A.B.0/24, A and B random, never 127.0.0.x) so that stacks
 * in parallel test workers never share an address, and the ports stay the ones the manifests
 * give (9000, 8080, 80). Linux routes all of 127.0.0.0/8 to the loopback interface.
 */
import { randomInt } from 'crypto';
import { connect, createServer, Server, Socket } from 'net';

/** Loopback addresses by DNS name, and the rewriting of names into addresses. */
export class LoopbackNetwork {
  /** A network in a random /24 of 127.0.0.0/8 (not 127.0.0.0/24, where local services live). */
  static random(): LoopbackNetwork {
    return new LoopbackNetwork(`127.${randomInt(1, 255)}.${randomInt(0, 256)}.`);
  }

  private readonly byName = new Map<string, string>();
  private nextHost = 2;
  /** Origins (scheme://host[:port]) replaced by others, for hosts outside the cluster. */
  private readonly origins = new Map<string, string>();

  constructor(public readonly prefix: string) {}

  /** The next free address of the network. */
  allocate(): string {
    if (this.nextHost > 254) throw new Error(`loopback network ${this.prefix}0/24 is full`);
    return `${this.prefix}${this.nextHost++}`;
  }

  /** Gives every name one new address (or the one given), and returns it. */
  assign(names: string[], address: string = this.allocate()): string {
    for (const name of names) {
      const known = this.byName.get(name);
      if (known && known !== address) throw new Error(`${name} already resolves to ${known}`);
      this.byName.set(name, address);
    }
    return address;
  }

  /** The address of a DNS name, if it has one. */
  resolve(name: string): string | undefined {
    return this.byName.get(name);
  }

  /** Replaces an origin outside the cluster (e.g. `https://media.giphy.com`) by a local one. */
  mapOrigin(from: string, to: string): void {
    this.origins.set(from.replace(/\/$/, ''), to.replace(/\/$/, ''));
  }

  /**
   * A value with every cluster DNS name replaced by its address (ports untouched) and every
   * mapped origin by its local one. Names only match whole: `minio.s3www.svc` does not match
   * inside `minio.s3www.svc.cluster.local` (longest names go first) or `myminio.s3www.svc`.
   */
  rewrite(value: string): string {
    let out = value;
    for (const [from, to] of this.origins) {
      out = out.split(from).join(to);
    }
    const names = [...this.byName.keys()].sort((a, b) => b.length - a.length);
    for (const name of names) {
      const pattern = new RegExp(`(?<![\\w.-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-]|\\.[\\w-])`, 'g');
      out = out.replace(pattern, this.byName.get(name)!);
    }
    return out;
  }
}

/** A pod port a Service may send to. */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
  /** True while the pod's readiness probe passes. */
  readonly ready: boolean;
}

/**
 * One Service port on loopback: it listens only while at least one endpoint is ready (a
 * ClusterIP without ready endpoints refuses connections, as kube-proxy's REJECT rule makes it),
 * and sends each connection to the next ready endpoint, round robin, trying the next one when a
 * pod refuses.
 */
export class ServicePort {
  private server?: Server;
  private listening = false;
  private turn = 0;
  private readonly sockets = new Set<Socket>();
  private closed = false;

  constructor(
    public readonly address: string,
    public readonly port: number,
    private readonly endpoints: () => Endpoint[],
  ) {}

  /** Opens or closes the port to match the endpoints' readiness; called after every probe round. */
  async sync(): Promise<void> {
    if (this.closed) return;
    const anyReady = this.endpoints().some((e) => e.ready);
    if (anyReady && !this.listening) {
      this.listening = true;
      const server = createServer((client) => this.forward(client));
      this.server = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.port, this.address, () => resolve());
      });
    } else if (!anyReady && this.listening) {
      this.listening = false;
      const server = this.server!;
      this.server = undefined;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private forward(client: Socket): void {
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const ready = this.endpoints().filter((e) => e.ready);
    const tryEndpoint = (left: number) => {
      if (left === 0 || client.destroyed) {
        client.destroy();
        return;
      }
      const endpoint = ready[this.turn++ % ready.length];
      const upstream = connect(endpoint.port, endpoint.address);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        this.sockets.add(upstream);
        upstream.once('close', () => this.sockets.delete(upstream));
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        upstream.destroy();
        if (connected) client.destroy();
        else tryEndpoint(left - 1);
      });
    };
    tryEndpoint(ready.length);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    this.listening = false;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Runs one readiness probe: an HTTP GET answered 2xx/3xx, or a TCP connection that opens. */
export async function probe(address: string, port: number, httpPath: string | undefined, timeoutMs = 1000): Promise<boolean> {
  if (httpPath === undefined) {
    return new Promise((resolve) => {
      const socket = connect(port, address);
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  }
  try {
    const res = await fetch(`http://${address}:${port}${httpPath}`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await res.arrayBuffer();
    // The kubelet counts 200-399 as success.
    return res.status >= 200 && res.status < 400;
  } catch {
    return false;
  }
}

/** True when nothing listens on the address and port right now (a bind succeeds). */
export async function isFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}
