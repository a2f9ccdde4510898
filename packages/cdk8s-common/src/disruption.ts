/**
 * PodDisruptionBudgets, with one rule for every workload: a budget must leave at least one pod
 * running through a voluntary disruption (a drain, an upgrade), so `maxUnavailable` is below the
 * fewest pods the workload runs, and a workload of one pod gets none (it can only be all or nothing).
 */
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { fail } from './validation';

/**
 * The `maxUnavailable` of a workload of at least `pods` pods (as `podsProp` sets them), or
 * undefined when it has fewer than two and gets no budget.
 */
export function resolveMaxUnavailable(prop: string, maxUnavailable: number | undefined, pods: number, podsProp: string): number | undefined {
  if (pods < 2) {
    if (maxUnavailable !== undefined) {
      fail(prop, `needs at least 2 pods, and '${podsProp}' is ${pods}: no budget can keep one of them running; leave it out`, maxUnavailable);
    }
    return undefined;
  }
  const value = maxUnavailable ?? 1;
  if (!Number.isInteger(value) || value < 1 || value >= pods) {
    fail(prop, `must be a whole number between 1 and ${pods - 1}, below the ${pods} pods of '${podsProp}', so that a drain never takes them all`, value);
  }
  return value;
}

/** A budget over the selected pods; pods that are not ready may always be evicted, so they never block a drain. */
export function disruptionBudget(
  scope: Construct, id: string, metadata: k8s.ObjectMeta, selector: Record<string, string>, maxUnavailable: number,
): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, id, {
    metadata,
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable),
      selector: { matchLabels: selector },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
