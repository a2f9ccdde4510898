import { oneLine, SeedError } from './errors';
import { log, LogFields } from './log';

/** How often and how patiently a step is tried. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Wait before the second attempt; doubled after each failure up to {@link maxDelayMs}. */
  readonly delayMs: number;
  readonly maxDelayMs: number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `step` until it succeeds, fails with an error that is not retryable, or runs out of
 * attempts; the last error is thrown as it was.
 */
export async function withRetry<T>(policy: RetryPolicy, what: LogFields, step: (attempt: number) => Promise<T>): Promise<T> {
  let delay = policy.delayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(attempt);
    } catch (err) {
      const retryable = err instanceof SeedError && err.retryable;
      if (!retryable || attempt >= policy.attempts) throw err;
      log('warn', 'attempt failed, retrying', { ...what, attempt, of: policy.attempts, retryInMs: delay, cause: oneLine(err) });
      await sleep(delay);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
