/**
 * Runs the real `amtool` (Alertmanager's own configuration loader and router) on an Alertmanager
 * configuration: `amtool check-config` loads it exactly as Alertmanager does (unknown fields and
 * invalid matchers fail), `amtool config routes test` walks the routing tree for a label set.
 * Debian: `apt-get install prometheus-alertmanager`; the AMTOOL environment variable names another binary.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
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
