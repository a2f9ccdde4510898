import { Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IdentifiedHelmRelease } from './helm-release';
import { acknowledgeWildcards } from './nag';

const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'cluster-autoscaler';

/** Props of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerProps {
  readonly cluster: eks.ICluster;
  /** The real cluster name, as the node groups' auto-discovery tags carry it. */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. 1.36: the autoscaler image must match it. */
  readonly kubernetesVersion: string;
  readonly chartVersion: string;
}

/**
 * The Kubernetes Cluster Autoscaler for managed node groups. Managed node groups already carry the
 * `k8s.io/cluster-autoscaler/<cluster>` auto-discovery tags, so every group is found without configuration.
 */
export class ClusterAutoscaler extends IdentifiedHelmRelease {
  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id, {
      cluster: props.cluster,
      repository: 'https://kubernetes.github.io/autoscaler',
      chart: 'cluster-autoscaler',
      version: props.chartVersion,
      release: SERVICE_ACCOUNT,
      namespace: NAMESPACE,
      timeout: Duration.minutes(10),
      values: {
        cloudProvider: 'aws',
        awsRegion: Stack.of(scope).region,
        autoDiscovery: { clusterName: props.clusterName },
        image: { tag: `v${props.kubernetesVersion}.0` },
        rbac: { serviceAccount: { create: true, name: SERVICE_ACCOUNT } },
        extraArgs: { 'balance-similar-node-groups': true, 'expander': 'least-waste' },
      },
    });
    // Read-only discovery calls do not support resource-level permissions.
    this.identity.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities',
        'autoscaling:DescribeTags',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:GetInstanceTypesFromInstanceRequirements',
        'eks:DescribeNodegroup',
      ],
      resources: ['*'],
    }));
    // Scaling is limited to the Auto Scaling groups of this cluster's node groups.
    this.identity.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      resources: ['*'],
      conditions: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${props.clusterName}`]: 'owned' } },
    }));
    acknowledgeWildcards(this.identity.role, "Describe calls of Auto Scaling and EC2 support no resource-level permissions; scaling actions are limited by the cluster's auto-discovery tag condition");
  }
}
