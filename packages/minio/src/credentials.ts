import { k8s } from 'cdk8s-plus-33';
import { checkDnsSubdomain, checkSecretKey, fail } from './validation';

/**
 * The MinIO root credentials, read from a Kubernetes Secret that already exists in the
 * namespace. The construct never takes the values themselves, so no credential is ever written
 * into a manifest; create the Secret with your secret manager (External Secrets, Sealed Secrets,
 * `kubectl create secret generic ...`).
 */
export interface MinioCredentials {
  /** Name of the Secret, in the namespace of MinIO. */
  readonly secretName: string;

  /**
   * Key of the Secret that holds the root user (access key, at least 3 characters).
   * @default 'rootUser'
   */
  readonly userKey?: string;

  /**
   * Key of the Secret that holds the root password (secret key, at least 8 characters).
   * @default 'rootPassword'
   */
  readonly passwordKey?: string;
}

/** The validated credentials reference. */
export interface ResolvedCredentials {
  readonly secretName: string;
  readonly userKey: string;
  readonly passwordKey: string;
}

/** Applies the default keys and validates the Secret reference. */
export function resolveCredentials(credentials: MinioCredentials): ResolvedCredentials {
  if (credentials.secretName === '') {
    fail('credentials.secretName', 'must name an existing Secret that holds the root user and password', '');
  }
  checkDnsSubdomain('credentials.secretName', credentials.secretName);
  const userKey = credentials.userKey ?? 'rootUser';
  const passwordKey = credentials.passwordKey ?? 'rootPassword';
  checkSecretKey('credentials.userKey', userKey);
  checkSecretKey('credentials.passwordKey', passwordKey);
  if (userKey === passwordKey) {
    throw new Error(`'credentials.userKey' and 'credentials.passwordKey' must differ, got '${userKey}' for both`);
  }
  return { secretName: credentials.secretName, userKey, passwordKey };
}

/** `MINIO_ROOT_USER` and `MINIO_ROOT_PASSWORD` read from the Secret: the values never enter the manifest. */
export function rootCredentialsEnv(credentials: ResolvedCredentials): k8s.EnvVar[] {
  const fromSecret = (name: string, key: string): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: credentials.secretName, key } } });
  return [fromSecret('MINIO_ROOT_USER', credentials.userKey), fromSecret('MINIO_ROOT_PASSWORD', credentials.passwordKey)];
}
