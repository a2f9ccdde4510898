import { fail } from '@s3www-eks/cdk8s-common';
import { k8s } from 'cdk8s-plus-33';

/** The MinIO web console on port 9001. */
export interface ConsoleOptions {
  /**
   * Public URL of the console when you put it behind an Ingress or a port-forward (`MINIO_BROWSER_REDIRECT_URL`).
   * @default - none: the console serves its in-cluster address
   */
  readonly browserRedirectUrl?: string;
}

/** Port of the web console, when enabled. */
export const CONSOLE_PORT = 9001;

/** Server environment for the console: off unless options are given. */
export function consoleEnv(options: ConsoleOptions | undefined): k8s.EnvVar[] {
  if (!options) {
    // Without a console address MinIO would still serve the console, on a random port.
    return [{ name: 'MINIO_BROWSER', value: 'off' }];
  }
  const redirect = options.browserRedirectUrl;
  if (redirect === undefined) return [];
  if (!/^https?:\/\/[^\s/]+/.test(redirect)) {
    fail('console.browserRedirectUrl', 'must be an http:// or https:// URL', redirect);
  }
  return [{ name: 'MINIO_BROWSER_REDIRECT_URL', value: redirect }];
}
