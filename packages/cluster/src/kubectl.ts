import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeManagedPolicies, acknowledgeWildcards } from './nag';

/** The kubectl provider and the cluster view that Kubernetes content is applied through. */
export interface KubectlTarget {
  readonly provider: eks.KubectlProvider;
  /** The cluster as the manifests and charts see it: same cluster, with this provider. */
  readonly cluster: eks.ICluster;
  /** The access entry that lets the provider's role administer the cluster. */
  readonly access: eks.AccessEntry;
}

/**
 * Creates the kubectl provider on demand. aws-eks-v2 only creates one from `kubectlProviderOptions`
 * at construction time; building it here instead lets a cluster without Kubernetes content
 * synthesize with no Lambda function at all.
 */
export function createKubectlTarget(scope: Construct, cluster: eks.Cluster, privateSubnets: ec2.ISubnet[] | undefined): KubectlTarget {
  const provider = new eks.KubectlProvider(scope, 'KubectlProvider', {
    cluster,
    kubectlLayer: new KubectlV36Layer(scope, 'KubectlLayer'),
    privateSubnets,
  });
  acknowledgeNag(provider);
  const access = cluster.grantClusterAdmin('KubectlProviderAccess', provider.role!.roleArn);
  const target = eks.Cluster.fromClusterAttributes(scope, 'KubectlTarget', {
    clusterName: cluster.clusterName,
    vpc: cluster.vpc,
    clusterSecurityGroupId: cluster.clusterSecurityGroupId,
    kubectlProvider: provider,
  });
  return { provider, cluster: target, access };
}

/** The kubectl provider is aws-cdk-lib's own; these are the findings its design implies. */
function acknowledgeNag(provider: eks.KubectlProvider): void {
  const handler = provider.node.findChild('Handler');
  acknowledge(handler, 'The kubectl handler runtime is chosen by aws-cdk-lib (latest Python it supports); it is upgraded with aws-cdk-lib', 'AwsSolutions-L1');
  acknowledgeManagedPolicies(provider.role!, 'aws-cdk-lib attaches Lambda basic/VPC execution and ECR read-only managed policies to the kubectl handler; its cluster rights come only from its access entry');
  const onEvent = provider.node.findChild('Provider').node.findChild('framework-onEvent') as lambda.Function;
  acknowledgeManagedPolicies(onEvent.role!, 'The custom resource framework function needs only Lambda basic/VPC execution, which these AWS managed policies grant');
  acknowledgeWildcards(onEvent.role!, 'The framework invokes the kubectl handler function, including its versions and aliases (arn:...:function:name:*)');
}
