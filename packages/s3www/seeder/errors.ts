/**
 * Failures the seeder reports, each with the exit code the contract promises and whether a new
 * attempt could succeed. Anything else that escapes is a bug and exits with INTERNAL.
 */
export enum ExitCode {
  OK = 0,
  /** A source could not be fetched, or its bytes did not match what was declared. */
  SOURCE = 1,
  /** The environment (SEED_SOURCES, S3_BUCKET, key files, knobs) is invalid. */
  CONFIG = 2,
  /** The backend is unreachable, refuses the credentials, or the bucket cannot be created or written. */
  BACKEND = 3,
  /** An unexpected error: a bug in the seeder. */
  INTERNAL = 4,
}

export class SeedError extends Error {
  constructor(
    message: string,
    public readonly exitCode: ExitCode,
    /** True when the same step may succeed if tried again (5xx, timeouts, dropped connections). */
    public readonly retryable = false,
  ) {
    super(message);
    this.name = 'SeedError';
  }
}

export function configError(message: string): SeedError {
  return new SeedError(message, ExitCode.CONFIG);
}

export function sourceError(message: string, retryable: boolean): SeedError {
  return new SeedError(message, ExitCode.SOURCE, retryable);
}

export function backendError(message: string, retryable: boolean): SeedError {
  return new SeedError(message, ExitCode.BACKEND, retryable);
}

/** The message of anything thrown, on one line. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return text.replace(/\s+/g, ' ').trim();
}
