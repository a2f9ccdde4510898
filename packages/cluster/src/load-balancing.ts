import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IdentifiedHelmRelease } from './helm-release';
import { acknowledgeWildcards } from './nag';

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
 * The AWS Load Balancer Controller, from its pinned Helm chart, with the AWS-published IAM policy through
 * Pod Identity (no OIDC provider). Ingresses of class `alb` get ALBs, LoadBalancer Services get NLBs.
 */
export class AlbController extends IdentifiedHelmRelease {
  constructor(scope: Construct, id: string, props: AlbControllerProps) {
    super(scope, id, {
      cluster: props.cluster,
      repository: 'https://aws.github.io/eks-charts',
      chart: 'aws-load-balancer-controller',
      version: props.version.helmChartVersion,
      release: SERVICE_ACCOUNT,
      namespace: NAMESPACE,
      timeout: Duration.minutes(15),
      values: {
        clusterName: props.cluster.clusterName,
        region: Stack.of(scope).region,
        vpcId: props.vpc.vpcId,
        serviceAccount: { create: true, name: SERVICE_ACCOUNT },
        ingressClass: ALB_INGRESS_CLASS,
        createIngressClassResource: true,
        replicaCount: 2,
      },
    });
    const rewrite = (arn: string) => arn.replace('arn:aws:', `arn:${Aws.PARTITION}:`);
    for (const statement of albControllerPolicy(props.version).Statement) {
      const resources = statement.Resource as string | string[] | undefined;
      this.identity.role.addToPrincipalPolicy(iam.PolicyStatement.fromJson({
        ...statement,
        Resource: resources === undefined ? undefined : Array.isArray(resources) ? resources.map(rewrite) : rewrite(resources),
      }));
    }
    acknowledgeWildcards(this.identity.role, 'The AWS-published AWS Load Balancer Controller policy: load balancers, target groups and security groups it creates do not exist yet, so it scopes by the elbv2.k8s.aws/cluster tag instead of ARNs');
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
