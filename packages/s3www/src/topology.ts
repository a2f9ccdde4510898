import { checkInteger } from '@s3www-eks/cdk8s-common';
import { k8s } from 'cdk8s-plus-33';

/** What the scheduler does with a pod it cannot place without breaking the spread. */
export enum SpreadPolicy {
  /** Place it anyway, as evenly as it can: works on single-zone and single-node clusters. */
  SCHEDULE_ANYWAY = 'ScheduleAnyway',
  /** Leave it Pending: the spread is a guarantee. */
  DO_NOT_SCHEDULE = 'DoNotSchedule',
}

/** How the web pods are spread over zones and nodes (topology spread constraints). */
export interface TopologySpreadOptions {
  /**
   * Node labels whose values are the domains to spread over, one constraint each.
   * @default ['topology.kubernetes.io/zone', 'kubernetes.io/hostname']
   */
  readonly topologyKeys?: string[];

  /**
   * Largest allowed difference in pod count between two domains.
   * @default 1
   */
  readonly maxSkew?: number;

  /**
   * What happens when the spread cannot be kept.
   * @default SpreadPolicy.SCHEDULE_ANYWAY
   */
  readonly whenUnsatisfiable?: SpreadPolicy;
}

export function spreadConstraints(options: TopologySpreadOptions, labels: Record<string, string>): k8s.TopologySpreadConstraint[] {
  const keys = options.topologyKeys ?? ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'];
  const maxSkew = options.maxSkew ?? 1;
  checkInteger('topologySpread.maxSkew', maxSkew, 1, 100);
  if (keys.length === 0) throw new Error('\'topologySpread.topologyKeys\' must name at least one node label, got []');
  return keys.map((topologyKey) => ({
    topologyKey,
    maxSkew,
    whenUnsatisfiable: options.whenUnsatisfiable ?? SpreadPolicy.SCHEDULE_ANYWAY,
    labelSelector: { matchLabels: labels },
  }));
}
