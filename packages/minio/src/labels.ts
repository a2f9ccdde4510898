/**
 * The app.kubernetes.io labels of every object. Selectors use name, instance and component
 * only: `managed-by` may change without orphaning pods.
 */

/** The parts of the deployment, as `app.kubernetes.io/component`. */
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
  return { 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': instance, 'app.kubernetes.io/component': component };
}

/** Labels of an object (selector labels plus `managed-by`). */
export function objectLabels(instance: string, component: string): Record<string, string> {
  return { ...selectorLabels(instance, component), 'app.kubernetes.io/managed-by': 'cdk8s' };
}
