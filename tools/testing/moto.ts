/**
 * A real local AWS API emulator (moto_server) for integration tests, started on loopback by the
 * test that needs it and stopped after. Address it as `http://localhost:PORT`: CloudFormation
 * template URLs break with 127.0.0.1.
 */
import { ChildProcess, spawn } from 'child_process';
import { createServer } from 'net';

/** A running moto_server. */
export interface MotoServer {
  /** `http://localhost:PORT`. */
  readonly endpoint: string;
  readonly port: number;
  /** Forgets every resource, as a fresh server would. */
  reset(): Promise<void>;
  /** Stops the server (idempotent). */
  stop(): Promise<void>;
  /** Kills the server without waiting, to simulate a backend that goes away. */
  kill(): void;
}

/** A TCP port that is free on loopback right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts moto_server on 127.0.0.1 and resolves once it answers. */
export async function startMoto(options: {
  port?: number;
  timeoutMs?: number;
  /**
   * Extra environment for moto_server, e.g. `INITIAL_NO_AUTH_ACTION_COUNT` to enforce IAM
   * authentication after that many requests, so tests can present wrong credentials.
   */
  env?: Record<string, string>;
} = {}): Promise<MotoServer> {
  const port = options.port ?? await freePort();
  const endpoint = `http://localhost:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  let exited = false;
  child.on('exit', () => { exited = true; });
  const startError = new Promise<never>((_, reject) => child.on('error', (err) => reject(
    new Error(`moto_server could not be started (${err.message}); install it with "pip install 'moto[server]'"`),
  )));

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const ready = (async () => {
    while (Date.now() < deadline) {
      if (exited) throw new Error(`moto_server exited before it was ready: ${stderr}`);
      try {
        const res = await fetch(`${endpoint}/moto-api/data.json`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGKILL');
    throw new Error(`moto_server did not answer on ${endpoint} within the timeout: ${stderr}`);
  })();
  await Promise.race([ready, startError]);

  const stopped = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    endpoint,
    port,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await stopped;
    },
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
  };
}
