/**
 * The app.kubernetes.io labels of every object. Selectors use name, instance and component only:
 * `managed-by` may change without orphaning pods.
 */

/** Labels that select one component of one instance of an application. */
export function selectorLabels(app: string, instance: string, component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': instance, 'app.kubernetes.io/component': component };
}

/** Labels of an object: its selector labels plus `managed-by`. */
export function objectLabels(app: string, instance: string, component: string): Record<string, string> {
  return { ...selectorLabels(app, instance, component), 'app.kubernetes.io/managed-by': 'cdk8s' };
}
