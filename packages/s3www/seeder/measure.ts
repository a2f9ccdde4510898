/** Counts and hashes the bytes as they go by, so they are verified without a second read. */
import { createHash } from 'crypto';

export class Measure {
  private readonly hash = createHash('sha256');
  private count = 0;
  private digest?: string;

  /** Passes the chunks on, measuring each; the result is ready once the last one went by. */
  async *through(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      this.hash.update(chunk);
      this.count += chunk.length;
      yield chunk;
    }
    this.digest = this.hash.digest('hex');
  }

  /** Size and SHA-256 once every byte went through; undefined before. */
  get result(): { bytes: number; sha256: string } | undefined {
    return this.digest === undefined ? undefined : { bytes: this.count, sha256: this.digest };
  }
}
