import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { clusterStack, providerFootprint } from './fixtures';

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('kubectl provider', () => {
  test('does not exist until content needs it', () => {
    const { cluster } = clusterStack();
    expect(cluster.kubectlProvider).toBeUndefined();
    expect(cluster.albController).toBeUndefined();
  });

  test('is created once however much content is added', () => {
    // GIVEN
    const { stack, cluster } = clusterStack();

    // WHEN
    cluster.addManifest('A', ns('a'));
    const provider = cluster.kubectlProvider;
    cluster.addManifest('B', ns('b'));

    // THEN
    expect(cluster.kubectlProvider).toBe(provider);
    expect(providerFootprint(Template.fromStack(stack))).toEqual({ lambdas: 2, customResources: 5 });
  });

  test('runs in the private subnets with the cluster security group when the endpoint is private', () => {
    // GIVEN
    const { stack, cluster } = clusterStack({ endpointAccess: eks.EndpointAccess.PRIVATE });

    // WHEN
    cluster.addManifest('A', ns('a'));

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'onEvent handler for EKS kubectl resource provider',
      Layers: Match.arrayWith([{ Ref: Match.stringLikeRegexp('KubectlLayer') }]),
      VpcConfig: {
        SubnetIds: [{ Ref: Match.stringLikeRegexp('VpcPrivateSubnet1') }, Match.anyValue(), Match.anyValue()],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'ClusterSecurityGroupId'] }],
      },
    });
  });

  test('runs outside the VPC when the endpoint is public only', () => {
    // GIVEN
    const { stack, cluster } = clusterStack({ endpointAccess: eks.EndpointAccess.PUBLIC });

    // WHEN
    cluster.addManifest('A', ns('a'));

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: 'onEvent handler for EKS kubectl resource provider',
      VpcConfig: Match.absent(),
    });
  });
});
