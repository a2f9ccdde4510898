/** Counts and hashes the bytes that flow through, so they are verified without a second read. */
import { createHash, Hash } from 'crypto';
import { Transform, TransformCallback } from 'stream';

export class Measure extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;
  private digest?: string;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.count += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    callback();
  }

  /** Size and SHA-256 once every byte went through; undefined before. */
  get result(): { bytes: number; sha256: string } | undefined {
    return this.digest === undefined ? undefined : { bytes: this.count, sha256: this.digest };
  }
}
