import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeManagedPolicies, acknowledgeWildcards } from './nag';

/**
 * The options that make aws-eks-v2 create its kubectl provider with the cluster. aws-eks-v2 then runs
 * the handler in the cluster's private subnets whenever the endpoint has private access, grants it
 * cluster-admin through an access entry, and makes every manifest, chart and object value of the
 * cluster wait for that access.
 */
export function kubectlProviderOptions(scope: Construct): eks.KubectlProviderOptions {
  return { kubectlLayer: new KubectlV36Layer(scope, 'KubectlLayer') };
}

/**
 * The kubectl provider is aws-cdk-lib's own; these are the findings its design implies. Its functions
 * and roles are found by type, so no private construct id of aws-cdk-lib is relied on.
 */
export function acknowledgeKubectlProvider(provider: eks.IKubectlProvider): void {
  const below = provider.node.findAll();
  for (const fn of below.filter((c): c is lambda.Function => c instanceof lambda.Function)) {
    if (fn.role === provider.role) {
      acknowledge(fn, 'The kubectl handler runtime is chosen by aws-cdk-lib (latest Python it supports); it is upgraded with aws-cdk-lib', 'AwsSolutions-L1');
    }
  }
  for (const role of below.filter((c): c is iam.Role => c instanceof iam.Role)) {
    if (role === provider.role) {
      acknowledgeManagedPolicies(role, 'aws-cdk-lib attaches Lambda basic/VPC execution and ECR read-only managed policies to the kubectl handler; its cluster rights come only from its access entry');
    } else {
      acknowledgeManagedPolicies(role, 'The custom resource framework function needs only Lambda basic/VPC execution, which these AWS managed policies grant');
      acknowledgeWildcards(role, 'The framework invokes the kubectl handler function, including its versions and aliases (arn:...:function:name:*)');
    }
  }
}
