/**
 * A plain standalone MinIO server (the real one, built by tools/programs/build.js) on a loopback
 * address, for tests and benchmarks that need an S3 backend with MinIO's semantics but no
 * manifests. The data-path tests run MinIO from the manifests instead (tools/testing/data-path).
 */
import { randomBytes } from 'crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { LocalProcess, Redactor } from './data-path/processes';
import { freePort } from './moto';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node.js script, shared with .ci/run
const buildScript = require('../programs/build.js') as { programPath(name: string): string };

export interface MinioServer {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** Root credentials, random per server. */
  readonly accessKey: string;
  readonly secretKey: string;
  readonly process: LocalProcess;
  /** Stops the server and removes its drive. */
  stop(): Promise<void>;
}

/** Starts MinIO with one drive in a new folder under os.tmpdir(), and resolves once it can write. */
export async function startMinio(options: { timeoutMs?: number } = {}): Promise<MinioServer> {
  const root = mkdtempSync(join(tmpdir(), 'minio-'));
  const port = await freePort();
  const accessKey = `test-${randomBytes(4).toString('hex')}`;
  const secretKey = randomBytes(16).toString('hex');
  const redactor = new Redactor();
  redactor.add(secretKey);
  for (const dir of ['drive', 'home', 'tmp']) mkdirSync(join(root, dir));
  const process = LocalProcess.start('minio', [buildScript.programPath('minio'), 'server', join(root, 'drive'),
    '--address', `127.0.0.1:${port}`, '--certs-dir', join(root, 'home', 'certs')], {
    cwd: root,
    env: { PATH: '/usr/bin:/bin', HOME: join(root, 'home'), TMPDIR: join(root, 'tmp'), MINIO_ROOT_USER: accessKey, MINIO_ROOT_PASSWORD: secretKey, MINIO_BROWSER: 'off' },
    redactor,
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await process.stop();
    rmSync(root, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/minio/health/cluster`)).ok) break;
    } catch {
      // not listening yet
    }
    if (!process.alive || Date.now() > deadline) {
      await stop();
      throw new Error(`MinIO did not become ready on ${endpoint}:\n${process.stdout}\n${process.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, accessKey, secretKey, process, stop };
}
