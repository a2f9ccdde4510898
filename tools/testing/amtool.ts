/**
 * Runs the real `amtool` (Alertmanager's own configuration loader and router) on an Alertmanager
 * configuration: `amtool check-config` loads it exactly as Alertmanager does (unknown fields and
 * invalid matchers fail), `amtool config routes test` walks the routing tree for a label set.
 * Debian: `apt-get install prometheus-alertmanager`; the AMTOOL environment variable names another binary.
 */
import { spawn, spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

const BINARY = process.env.AMTOOL ?? 'amtool';

/** Runs `amtool <args>` and returns its exit status and output; throws when amtool is missing. */
function run(args: string[]): { status: number; output: string } {
  const result = spawnSync(BINARY, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${BINARY} is needed for this test (${result.error.message}); on Debian: apt-get install prometheus-alertmanager`);
  return { status: result.status ?? -1, output: result.stdout + result.stderr };
}

/** An Alertmanager configuration written to a temporary file, for several amtool calls. */
export class AlertmanagerConfigFile {
  private readonly dir: string;
  /** Path of the configuration file. */
  public readonly path: string;

  /** Writes the configuration (as JSON, which YAML readers accept). */
  constructor(config: unknown) {
    this.dir = mkdtempSync(join(tmpdir(), 'amtool-'));
    this.path = join(this.dir, 'alertmanager.yaml');
    writeFileSync(this.path, JSON.stringify(config));
  }

  /** `amtool check-config`: its output; throws with the output when Alertmanager would refuse the file. */
  public check(): string {
    const { status, output } = run(['check-config', this.path]);
    if (status !== 0) throw new Error(`amtool check-config exited with ${status}:\n${output}`);
    return output;
  }

  /** `amtool config routes test`: the receivers an alert with these labels reaches, in order. */
  public receiversOf(labels: Record<string, string>): string[] {
    const { status, output } = run(['config', 'routes', 'test', `--config.file=${this.path}`,
      ...Object.entries(labels).map(([name, value]) => `${name}=${value}`)]);
    if (status !== 0) throw new Error(`amtool config routes test exited with ${status}:\n${output}`);
    // amtool prints a warning about --config.file on stderr, then the receivers, comma-separated.
    const line = output.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Warning:')).pop() ?? '';
    return line.split(',').map((r) => r.trim()).filter((r) => r);
  }

  /** Removes the temporary folder. */
  public remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An alert as Alertmanager's API returns it. */
export interface AlertmanagerAlert {
  readonly labels: Record<string, string>;
  readonly status: { readonly state: string; readonly inhibitedBy: string[]; readonly silencedBy: string[] };
  readonly fingerprint: string;
}

/** A real Alertmanager on loopback, for alerts sent to it and read back through its API. */
export interface RunningAlertmanager {
  /** Sends alerts (label sets) as Prometheus does. */
  send(alerts: Array<Record<string, string>>): Promise<void>;
  /** Every alert it holds, with its state (active, suppressed) and the alerts that inhibit it. */
  alerts(): Promise<AlertmanagerAlert[]>;
  stop(): Promise<void>;
}

/**
 * Starts the real Alertmanager (Debian: `prometheus-alertmanager`, from the package of the same name;
 * the ALERTMANAGER environment variable names another binary) with the configuration, on a free
 * loopback port, without clustering. Notifications it tries to send fail harmlessly offline.
 */
export async function startAlertmanager(config: unknown): Promise<RunningAlertmanager> {
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
  const file = new AlertmanagerConfigFile(config);
  const binary = process.env.ALERTMANAGER ?? 'prometheus-alertmanager';
  const child = spawn(binary, [
    `--config.file=${file.path}`, `--storage.path=${join(file.path, '..', 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => child.on('error', (err) => reject(new Error(`${binary} is needed for this test (${err.message}); on Debian: apt-get install prometheus-alertmanager`))));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    file.remove();
  };
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ready = await Promise.race([fetch(`${url}/-/ready`).then((r) => r.ok, () => false), failed]);
      if (ready) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Alertmanager did not start:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    async send(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts.map((labels) => ({ labels }))),
      });
      if (!response.ok) throw new Error(`Alertmanager refused the alerts: ${response.status} ${await response.text()}`);
    },
    async alerts() {
      return (await (await fetch(`${url}/api/v2/alerts`)).json()) as AlertmanagerAlert[];
    },
    stop,
  };
}
