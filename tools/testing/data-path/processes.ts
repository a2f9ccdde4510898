/**
 * Child processes of a test, each stopped by the test: every process started here is recorded,
 * and anything still running when the test process exits is killed. Output is kept (the last
 * 64 KiB) with every registered secret value replaced, so that no credential reaches a log or an
 * assertion message.
 */
import { ChildProcess, spawn } from 'child_process';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort only: the tests stop their processes themselves, and check with `ps` that they did.
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** Values never to appear in output kept by the harness. */
export class Redactor {
  private readonly values = new Set<string>();

  add(...values: string[]): void {
    for (const v of values) if (v.length >= 4) this.values.add(v);
  }

  apply(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join('(redacted)');
    return out;
  }
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const KEEP = 64 * 1024;

/** A running program whose output is kept (redacted) and whose exit is awaited. */
export class LocalProcess {
  static start(label: string, argv: string[], options: { env: Record<string, string>; cwd: string; redactor: Redactor }): LocalProcess {
    installExitHook();
    const child = spawn(argv[0], argv.slice(1), { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    return new LocalProcess(label, child, options.redactor);
  }

  readonly exited: Promise<Exit>;
  private out = '';
  private err = '';
  private exit?: Exit;

  private constructor(public readonly label: string, private readonly child: ChildProcess, private readonly redactor: Redactor) {
    running.add(child);
    child.stdout!.on('data', (chunk) => { this.out = (this.out + chunk).slice(-KEEP); });
    child.stderr!.on('data', (chunk) => { this.err = (this.err + chunk).slice(-KEEP); });
    this.exited = new Promise((resolve) => {
      child.once('error', (err) => {
        this.err += `\n${label}: could not start: ${err.message}`;
      });
      child.once('close', (code, signal) => {
        running.delete(child);
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stdout(): string {
    return this.redactor.apply(this.out);
  }

  get stderr(): string {
    return this.redactor.apply(this.err);
  }

  /** True until the process has exited. */
  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Kills the process at once (a node failure), and waits until it is gone. */
  async kill(): Promise<Exit> {
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM (what the kubelet sends), then SIGKILL after the grace period; waits until it is gone. */
  async stop(graceMs = 10_000): Promise<Exit> {
    if (this.alive) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    return this.exited;
  }
}

/** Processes the harness started that are still running (for the tests' own leak check). */
export function runningProcesses(): number {
  return running.size;
}
