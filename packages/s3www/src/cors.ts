import { fail } from '@s3www-eks/cdk8s-common';

/**
 * Cross-origin access to the served files. s3www reads an empty origin list as "every origin,
 * with credentials", so the construct never leaves the list empty by accident.
 */
export interface CorsOptions {
  /**
   * Origins allowed to read the files from a browser page: `scheme://host[:port]`, without
   * path or trailing slash, e.g. `https://app.example.com`; a leading `*.` matches subdomains
   * (`https://*.example.com`).
   * @default - none: then `allowAnyOrigin` must be true
   */
  readonly allowedOrigins?: string[];

  /**
   * Allows every origin, with credentials (s3www's own default). Only for content that is public
   * anyway; mutually exclusive with `allowedOrigins`.
   * @default false
   */
  readonly allowAnyOrigin?: boolean;
}

/**
 * An origin no browser sends (the `.invalid` TLD is reserved, RFC 6761), passed when CORS is not
 * configured: it keeps s3www from allowing every origin.
 */
export const NO_CORS_ORIGIN = 'https://no-cross-origin-access.invalid';

/** The value of `-allowed-cors-origins`, or undefined to leave the flag out (every origin). */
export function corsFlag(cors: CorsOptions | undefined): string | undefined {
  if (cors === undefined) return NO_CORS_ORIGIN;
  const origins = cors.allowedOrigins ?? [];
  if (cors.allowAnyOrigin) {
    if (origins.length > 0) throw new Error('\'cors.allowedOrigins\' and \'cors.allowAnyOrigin\' are mutually exclusive: set one of them');
    return undefined;
  }
  if (origins.length === 0) {
    fail('cors.allowedOrigins', 'must name at least one origin (s3www reads an empty list as every origin; set \'cors.allowAnyOrigin\' for that)', origins);
  }
  origins.forEach((origin, i) => {
    if (!/^https?:\/\/(\*\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d{1,5})?$/.test(origin)) {
      fail(`cors.allowedOrigins[${i}]`, 'must be an origin: http(s)://host[:port] in lowercase (host may start with \'*.\'), without path or trailing slash', origin);
    }
  });
  return origins.join(',');
}
