/** The parts of a MinIO deployment, as `app.kubernetes.io/component`; every object is `app.kubernetes.io/name: minio`. */
import { objectLabels as labelsOf, selectorLabels as selectorOf } from '@s3www-eks/cdk8s-common';

export const COMPONENT = {
  server: 'server',
  api: 'api',
  peers: 'peers',
  console: 'console',
  bucketJob: 'bucket-job',
  monitoring: 'monitoring',
} as const;

/** Labels that select one component of one MinIO instance. */
export function selectorLabels(instance: string, component: string): Record<string, string> {
  return selectorOf('minio', instance, component);
}

/** Labels of an object (selector labels plus `managed-by`). */
export function objectLabels(instance: string, component: string): Record<string, string> {
  return labelsOf('minio', instance, component);
}
