/**
 * The content type of an object: the one given for the source, else the one the source server
 * sent (unless it is the generic octet-stream), else one guessed from the key's extension.
 */
const BY_EXTENSION: Record<string, string> = {
  avif: 'image/avif',
  css: 'text/css; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  gif: 'image/gif',
  gz: 'application/gzip',
  htm: 'text/html; charset=utf-8',
  html: 'text/html; charset=utf-8',
  ico: 'image/x-icon',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  map: 'application/json',
  md: 'text/markdown; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
  png: 'image/png',
  svg: 'image/svg+xml',
  tar: 'application/x-tar',
  txt: 'text/plain; charset=utf-8',
  wasm: 'application/wasm',
  webm: 'video/webm',
  webp: 'image/webp',
  woff: 'font/woff',
  woff2: 'font/woff2',
  xml: 'application/xml',
  zip: 'application/zip',
};

export const GENERIC_CONTENT_TYPE = 'application/octet-stream';

export function contentTypeFor(key: string, given?: string, fromResponse?: string | null): string {
  if (given) return given;
  if (fromResponse && !fromResponse.toLowerCase().startsWith(GENERIC_CONTENT_TYPE)) return fromResponse;
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  // Stryker disable next-line StringLiteral: a name without an extension finds no type under '' or under any other key that is not an extension
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return BY_EXTENSION[extension] ?? GENERIC_CONTENT_TYPE;
}
