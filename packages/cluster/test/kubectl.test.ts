import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { clusterStack, providerFootprint } from './fixtures';

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const HANDLER = 'onEvent handler for EKS kubectl resource provider';

describe('kubectl provider', () => {
  test('is created with the cluster, as aws-eks-v2\'s own, and serves all content', () => {
    // GIVEN
    const { stack, cluster } = clusterStack();
    const provider = cluster.kubectlProvider;

    // WHEN
    cluster.addManifest('A', ns('a'));
    cluster.addManifest('B', ns('b'));

    // THEN
    expect(provider).toBeDefined();
    expect(cluster.eksCluster.kubectlProvider).toBe(provider);
    expect(cluster.kubectlProvider).toBe(provider);
    expect(providerFootprint(Template.fromStack(stack))).toEqual({ lambdas: 2, customResources: 5 });
  });

  test('runs in the private subnets with the cluster security group when the endpoint is private', () => {
    // GIVEN / WHEN
    const { stack } = clusterStack({ endpointAccess: eks.EndpointAccess.PRIVATE });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: HANDLER,
      Layers: Match.arrayWith([{ Ref: Match.stringLikeRegexp('KubectlLayer') }]),
      VpcConfig: {
        SubnetIds: [{ Ref: Match.stringLikeRegexp('VpcPrivateSubnet1') }, Match.anyValue(), Match.anyValue()],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'ClusterSecurityGroupId'] }],
      },
    });
  });

  test('runs outside the VPC when the endpoint is public only', () => {
    // GIVEN / WHEN
    const { stack } = clusterStack({ endpointAccess: eks.EndpointAccess.PUBLIC });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Description: HANDLER,
      VpcConfig: Match.absent(),
    });
  });
});
