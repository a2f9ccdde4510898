/**
 * Keeps the seeder's resident memory near what it really holds. Each uploaded part is a fresh
 * Buffer outside the V8 heap, and V8 only collects once such garbage passes about 64 MiB, which
 * would add that much to the peak RSS of a pod with a small memory limit. A full collection after
 * a part went out, at most every {@link MIN_INTERVAL_MS}, frees those buffers promptly for a
 * few milliseconds of CPU.
 */
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

const MIN_INTERVAL_MS = 200;

type Collect = () => void;

function loadCollector(): Collect | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as Collect;
  } catch {
    return undefined;
  }
}

const collect = loadCollector();
let last = 0;

/** Collects garbage unless that happened less than {@link MIN_INTERVAL_MS} ago. */
export function releaseMemory(): void {
  const now = Date.now();
  if (!collect || now - last < MIN_INTERVAL_MS) return;
  last = now;
  collect();
}
