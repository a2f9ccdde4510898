/**
 * S3 credentials held in an existing Kubernetes Secret: its name and the keys of its data. The
 * libraries never take the values, so no credential is written into a manifest.
 */
import { k8s } from 'cdk8s-plus-33';
import { checkDnsSubdomain, checkSecretKey, fail } from './validation';

/** What the libraries' `S3Credentials` hold. */
export interface CredentialsSpec {
  readonly secretName: string;
  readonly accessKeyKey?: string;
  readonly secretKeyKey?: string;
}

/** The Secret reference with its keys filled in and checked. */
export interface ResolvedCredentials {
  readonly secretName: string;
  readonly accessKeyKey: string;
  readonly secretKeyKey: string;
}

/** The keys a Secret holds when the credentials name none. */
export const DEFAULT_KEYS = { accessKeyKey: 'accessKey', secretKeyKey: 'secretKey' } as const;

/** Applies the default keys and validates the reference; `prop` names it in errors (e.g. `credentials`). */
export function resolveCredentials(prop: string, credentials: CredentialsSpec): ResolvedCredentials {
  if (credentials.secretName === '') {
    fail(`${prop}.secretName`, 'must name an existing Secret that holds the access key and secret key', '');
  }
  checkDnsSubdomain(`${prop}.secretName`, credentials.secretName);
  const accessKeyKey = credentials.accessKeyKey ?? DEFAULT_KEYS.accessKeyKey;
  const secretKeyKey = credentials.secretKeyKey ?? DEFAULT_KEYS.secretKeyKey;
  checkSecretKey(`${prop}.accessKeyKey`, accessKeyKey);
  checkSecretKey(`${prop}.secretKeyKey`, secretKeyKey);
  if (accessKeyKey === secretKeyKey) {
    fail(`${prop}.secretKeyKey`, `must differ from '${prop}.accessKeyKey'`, secretKeyKey);
  }
  return { secretName: credentials.secretName, accessKeyKey, secretKeyKey };
}

/** Two environment variables read from the Secret's keys: the values never enter the manifest. */
export function credentialsEnv(credentials: ResolvedCredentials, accessKeyVariable: string, secretKeyVariable: string): k8s.EnvVar[] {
  const fromSecret = (name: string, key: string): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: credentials.secretName, key } } });
  return [fromSecret(accessKeyVariable, credentials.accessKeyKey), fromSecret(secretKeyVariable, credentials.secretKeyKey)];
}

/** The two keys as files `accessKey` and `secretKey` of a volume, readable by the pod's group only. */
export function credentialsVolume(name: string, credentials: ResolvedCredentials): k8s.Volume {
  return {
    name,
    secret: {
      secretName: credentials.secretName,
      items: [{ key: credentials.accessKeyKey, path: 'accessKey' }, { key: credentials.secretKeyKey, path: 'secretKey' }],
      defaultMode: 0o440,
    },
  };
}
