import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IdentifiedHelmRelease } from '../src/helm-release';

describe('IdentifiedHelmRelease', () => {
  test('associates the release\'s service account before installing the pinned chart and waits for it', () => {
    // GIVEN
    const stack = new Stack();
    const handler = lambda.Function.fromFunctionArn(stack, 'Handler', 'arn:aws:lambda:us-east-1:123456789012:function:kubectl');
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'demo',
      kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Provider', { serviceToken: handler.functionArn }),
    });

    // WHEN
    new IdentifiedHelmRelease(stack, 'Release', {
      cluster,
      repository: 'https://example.org/charts',
      chart: 'demo',
      version: '1.2.3',
      release: 'demo',
      namespace: 'tools',
      values: { replicas: 2 },
      timeout: Duration.minutes(7),
    });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'demo', Namespace: 'tools', ServiceAccount: 'demo' });
    template.hasResource('Custom::AWSCDK-EKS-HelmChart', {
      Properties: { Chart: 'demo', Version: '1.2.3', Release: 'demo', Namespace: 'tools', Wait: true, Timeout: '420s', Values: '{"replicas":2}' },
      DependsOn: [Object.keys(template.findResources('AWS::EKS::PodIdentityAssociation'))[0]],
    });
  });
});
