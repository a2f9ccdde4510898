/**
 * The Pod Security "restricted" profile with an explicit user: the s3www image is FROM scratch
 * without a USER line (it would run as root), and the Node.js image's `node` user is UID 1000.
 */
import { k8s } from 'cdk8s-plus-33';
import { BackendCredentials } from './backend';

/** UID and GID of the s3www container: any non-root ID works for a static binary. */
export const WEB_USER = 65532;
/** UID and GID of the `node` user of the official Node.js images. */
export const SEEDER_USER = 1000;

export function podSecurityContext(user: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    // The credential files of the Secret volume are readable by this group only.
    fsGroup: user,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(user: number): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Where the Secret's keys are mounted as files, and the volume that does it. */
export const CREDENTIALS_DIR = '/etc/s3www/credentials';

export function credentialsVolume(credentials: Required<BackendCredentials>): k8s.Volume {
  return {
    name: 'credentials',
    secret: {
      secretName: credentials.secretName,
      // Only the two keys, under fixed file names, readable by the pod's group and nobody else.
      items: [{ key: credentials.accessKeyKey, path: 'accessKey' }, { key: credentials.secretKeyKey, path: 'secretKey' }],
      defaultMode: 0o440,
    },
  };
}
