/** Names and namespaces of a workload's objects. */
import { Chart, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { checkDnsLabel } from './validation';

/**
 * The base name of a workload's objects: the given one, or a unique one derived from the
 * construct path; at most 40 characters, so that every suffix the objects add still fits a label.
 */
export function resolveName(scope: Construct, name: string | undefined): string {
  const resolved = name ?? Names.toDnsLabel(scope, { maxLen: 40 });
  checkDnsLabel('name', resolved, 40);
  return resolved;
}

/** The namespace of a workload's objects: the given one, else the chart's, else `fallback`. */
export function resolveNamespace(scope: Construct, namespace: string | undefined, fallback?: string): string | undefined {
  if (namespace !== undefined) checkDnsLabel('namespace', namespace);
  return namespace ?? Chart.of(scope).namespace ?? fallback;
}
