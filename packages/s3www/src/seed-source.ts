/**
 * A file the seeder puts into the bucket, and the rules a source must follow. The rules are
 * shared with the seeder program (seeder/config.ts) so synth time and run time agree.
 */

/** One file to download into the bucket. */
export interface SeedSource {
  /** http:// or https:// URL of the file. Redirects are followed. */
  readonly url: string;

  /**
   * Object key in the bucket.
   * @default - the file name of the URL's path
   */
  readonly key?: string;

  /**
   * Lower-case hex SHA-256 the downloaded bytes must have. With it, a later run skips the
   * download when the stored object carries the same checksum.
   * @default - no checksum check; a later run asks the source with If-None-Match whether the file changed
   */
  readonly sha256?: string;

  /**
   * Content type of the object, served by s3www as Content-Type.
   * @default - the type the source sends, else one guessed from the key's extension
   */
  readonly contentType?: string;
}

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;
export const CONTENT_TYPE_PATTERN = /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/;

/** The key a URL gets when none is given: its last path segment, decoded. */
export function keyFromUrl(url: URL): string {
  const last = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Why a key cannot be used, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'must not be empty';
  if (key.startsWith('/')) return 'must not start with \'/\'';
  if (Buffer.byteLength(key) > 1024) return 'must be at most 1024 bytes';
  return undefined;
}
