/** Counts and hashes the bytes as they go by, so they are verified without a second read. */
import { createHash } from 'crypto';
import { ChunkWriter } from './source';

export class Measure {
  private readonly hash = createHash('sha256');
  private count = 0;
  private digest?: string;

  /** A writer that measures each chunk before passing it on to `next`. */
  wrap(next: ChunkWriter): ChunkWriter {
    return (chunk) => {
      this.hash.update(chunk);
      this.count += chunk.length;
      return next(chunk);
    };
  }

  /** Marks the last chunk as gone by; the result is ready from now on. */
  end(): void {
    this.digest ??= this.hash.digest('hex');
  }

  /** Size and SHA-256 once every byte went through; undefined before. */
  get result(): { bytes: number; sha256: string } | undefined {
    return this.digest === undefined ? undefined : { bytes: this.count, sha256: this.digest };
  }
}
