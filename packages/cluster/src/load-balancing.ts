import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './nag';
import { PodIdentity } from './pod-identity';

/** The Ingress class that both capacity modes provide. */
export const ALB_INGRESS_CLASS = 'alb';

const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'aws-load-balancer-controller';

/** The IAM policy AWS publishes for a controller version; aws-cdk-lib ships it for every named version. */
export function albControllerPolicy(version: eks.AlbControllerVersion): { Statement: Array<Record<string, unknown>> } {
  const file = join(dirname(require.resolve('aws-cdk-lib/package.json')), 'aws-eks-v2', 'lib', 'addons', `alb-iam_policy-${version.version}.json`);
  if (version.custom || !existsSync(file)) {
    throw new Error(`'albControllerVersion' must be one of the eks.AlbControllerVersion constants (its IAM policy ships with aws-cdk-lib), got ${version.version}`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Props of {@link AlbController}. */
export interface AlbControllerProps {
  readonly cluster: eks.ICluster;
  readonly vpc: ec2.IVpc;
  readonly version: eks.AlbControllerVersion;
}

/**
 * The AWS Load Balancer Controller, from its pinned Helm chart, with its IAM role through Pod Identity
 * (no OIDC provider). Ingresses of class `alb` get ALBs, LoadBalancer Services get NLBs.
 */
export class AlbController extends Construct {
  public readonly identity: PodIdentity;
  public readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: AlbControllerProps) {
    super(scope, id);
    this.identity = new PodIdentity(this, 'Identity', { cluster: props.cluster, namespace: NAMESPACE, serviceAccount: SERVICE_ACCOUNT });
    for (const statement of albControllerPolicy(props.version).Statement) {
      const resources = statement.Resource as string | string[] | undefined;
      const rewrite = (arn: string) => arn.replace('arn:aws:', `arn:${Aws.PARTITION}:`);
      this.identity.role.addToPrincipalPolicy(iam.PolicyStatement.fromJson({
        ...statement,
        Resource: resources === undefined ? undefined : Array.isArray(resources) ? resources.map(rewrite) : rewrite(resources),
      }));
    }
    acknowledgeWildcards(this.identity.role, 'The AWS-published AWS Load Balancer Controller policy: load balancers, target groups and security groups it creates do not exist yet, so it scopes by the elbv2.k8s.aws/cluster tag instead of ARNs');
    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster: props.cluster,
      repository: 'https://aws.github.io/eks-charts',
      chart: 'aws-load-balancer-controller',
      version: props.version.helmChartVersion,
      release: 'aws-load-balancer-controller',
      namespace: NAMESPACE,
      // Later content (Ingresses, Services) needs the controller's webhook to be serving.
      wait: true,
      timeout: Duration.minutes(15),
      values: {
        clusterName: props.cluster.clusterName,
        region: Stack.of(this).region,
        vpcId: props.vpc.vpcId,
        serviceAccount: { create: true, name: SERVICE_ACCOUNT },
        ingressClass: ALB_INGRESS_CLASS,
        createIngressClassResource: true,
        replicaCount: 2,
      },
    });
    // Pods must find their credentials on first start.
    this.chart.node.addDependency(this.identity.association);
  }
}

/**
 * The `alb` Ingress class on EKS Auto Mode, served by the load balancing built into Auto Mode.
 * The scheme stays unset so each Ingress chooses it (internal unless annotated internet-facing).
 */
export function autoModeIngressClass(): Array<Record<string, unknown>> {
  return [
    {
      apiVersion: 'eks.amazonaws.com/v1',
      kind: 'IngressClassParams',
      metadata: { name: ALB_INGRESS_CLASS },
      spec: {},
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: ALB_INGRESS_CLASS },
      spec: {
        controller: 'eks.amazonaws.com/alb',
        parameters: { apiGroup: 'eks.amazonaws.com', kind: 'IngressClassParams', name: ALB_INGRESS_CLASS },
      },
    },
  ];
}
