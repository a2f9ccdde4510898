/**
 * JSON-lines logging on stdout. Only values the seeder chose to log are written: credentials are
 * never passed here, and URLs go through {@link redactUrl} first because a signed source URL
 * carries its token in the query string.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export type LogLevel = 'info' | 'warn' | 'error';

export function log(level: LogLevel, msg: string, fields: LogFields = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

/** The URL without user info, and with its query string replaced by a marker. */
export function redactUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '(unparseable URL)';
  }
  const query = parsed.search ? '?(redacted)' : '';
  const auth = parsed.username || parsed.password ? '(redacted)@' : '';
  return `${parsed.protocol}//${auth}${parsed.host}${parsed.pathname}${query}`;
}
