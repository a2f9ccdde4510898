import { checkInteger, fail } from '@s3www-eks/cdk8s-common';
import { k8s } from 'cdk8s-plus-33';

/** A HorizontalPodAutoscaler (autoscaling/v2) on CPU utilisation. */
export interface AutoscalingOptions {
  /** Fewest replicas. */
  readonly minReplicas: number;

  /** Most replicas. */
  readonly maxReplicas: number;

  /**
   * Average CPU use the autoscaler aims for, in percent of the CPU request (1-100).
   * @default 70
   */
  readonly cpuUtilization?: number;
}

export function autoscalerSpec(options: AutoscalingOptions, deploymentName: string): k8s.HorizontalPodAutoscalerSpecV2 {
  const target = options.cpuUtilization ?? 70;
  checkInteger('autoscaling.minReplicas', options.minReplicas, 1, 1000);
  checkInteger('autoscaling.maxReplicas', options.maxReplicas, 1, 1000);
  if (options.minReplicas > options.maxReplicas) {
    fail('autoscaling.minReplicas', `must not exceed 'autoscaling.maxReplicas' (${options.maxReplicas})`, options.minReplicas);
  }
  checkInteger('autoscaling.cpuUtilization', target, 1, 100);
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName },
    minReplicas: options.minReplicas,
    maxReplicas: options.maxReplicas,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }],
  };
}
