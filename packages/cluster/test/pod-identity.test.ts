import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { clusterStack } from './fixtures';

describe('addPodIdentity', () => {
  test('creates a role trusted by EKS Pod Identity and associates it with the service account', () => {
    // GIVEN
    const { stack, cluster } = clusterStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    const identity = cluster.addPodIdentity('Web', { namespace: 'web', serviceAccount: 'web' });
    bucket.grantRead(identity);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'EKS Pod Identity for web/web',
      AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] },
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: { Ref: Match.stringLikeRegexp('^Cluster') },
      Namespace: 'web',
      ServiceAccount: 'web',
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ClusterPodIdentitiesWebRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('ClusterPodIdentitiesWebRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']) })]) },
    });
    expect(identity.namespace).toBe('web');
    expect(identity.serviceAccount).toBe('web');
    expect(identity.grantPrincipal).toBe(identity.role);
  });

  test('uses a given role instead of creating one', () => {
    // GIVEN
    const { stack, cluster } = clusterStack();
    const role = iam.Role.fromRoleArn(stack, 'Existing', 'arn:aws:iam::123456789012:role/web');

    // WHEN
    const identity = cluster.addPodIdentity('Web', { namespace: 'web', serviceAccount: 'web', role });

    // THEN
    expect(identity.role).toBe(role);
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { RoleArn: 'arn:aws:iam::123456789012:role/web' });
  });

  test('needs no kubectl provider: it works on a lean cluster', () => {
    const { stack, cluster } = clusterStack({ kubectlEnabled: false });
    cluster.addPodIdentity('Web', { namespace: 'web', serviceAccount: 'web' });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 0);
  });
});

describe('validation', () => {
  test('rejects an invalid namespace or service account name', () => {
    const { cluster } = clusterStack();
    expect(() => cluster.addPodIdentity('A', { namespace: 'Web', serviceAccount: 'web' }))
      .toThrow("'namespace' must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), got 'Web'");
    expect(() => cluster.addPodIdentity('B', { namespace: 'web', serviceAccount: 'web_sa' }))
      .toThrow("'serviceAccount' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'web_sa'");
  });
});
