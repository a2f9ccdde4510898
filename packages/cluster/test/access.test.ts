import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Cluster, NamespaceAccess } from '../src';
import { clusterStack, vpcStack } from './fixtures';

const ENTRY = 'AWS::EKS::AccessEntry';
const SUPPORT = 'arn:aws:iam::123456789012:role/support';
const policyArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks::aws:cluster-access-policy/${name}`]] });
const roleOf = (stack: Stack, arn: string, id = 'Support') => iam.Role.fromRoleArn(stack, id, arn);

describe('grantNamespaceAccess', () => {
  test.each([
    [NamespaceAccess.VIEW, 'AmazonEKSViewPolicy'],
    [NamespaceAccess.EDIT, 'AmazonEKSEditPolicy'],
  ])('%s associates %s at namespace scope, and returns the access entry', (access, policy) => {
    // GIVEN
    const { stack, cluster } = clusterStack();

    // WHEN
    const entry = cluster.grantNamespaceAccess('Support', roleOf(stack, SUPPORT), { namespaces: ['web', 'batch'], access });

    // THEN
    expect(entry).toBeInstanceOf(eks.AccessEntry);
    Template.fromStack(stack).hasResourceProperties(ENTRY, {
      ClusterName: { Ref: Match.stringLikeRegexp('^Cluster') },
      PrincipalArn: SUPPORT,
      // a standard entry: EKS's default type, which access policies need
      Type: Match.absent(),
      AccessPolicies: [{ AccessScope: { Type: 'namespace', Namespaces: ['web', 'batch'] }, PolicyArn: policyArn(policy) }],
    });
  });

  test('covers every access level', () => {
    expect(Object.values(NamespaceAccess)).toEqual(['VIEW', 'EDIT']);
  });

  test('gives view access unless told otherwise', () => {
    // GIVEN
    const { stack, cluster } = clusterStack();

    // WHEN
    cluster.grantNamespaceAccess('Support', roleOf(stack, SUPPORT), { namespaces: ['web'] });

    // THEN
    Template.fromStack(stack).hasResourceProperties(ENTRY, {
      PrincipalArn: SUPPORT,
      AccessPolicies: [{ AccessScope: { Type: 'namespace', Namespaces: ['web'] }, PolicyArn: policyArn('AmazonEKSViewPolicy') }],
    });
  });

  test('one role may view some namespaces and edit others: one access entry with two policies', () => {
    // GIVEN
    const { stack, cluster } = clusterStack();
    const role = roleOf(stack, SUPPORT);

    // WHEN
    const first = cluster.grantNamespaceAccess('SupportView', role, { namespaces: ['web'], access: NamespaceAccess.VIEW });
    const second = cluster.grantNamespaceAccess('SupportEdit', role, { namespaces: ['batch'], access: NamespaceAccess.EDIT });

    // THEN
    expect(second).toBe(first);
    const template = Template.fromStack(stack);
    // the role's entry and the kubectl handler's
    template.resourceCountIs(ENTRY, 2);
    template.hasResourceProperties(ENTRY, {
      PrincipalArn: SUPPORT,
      AccessPolicies: [
        { AccessScope: { Type: 'namespace', Namespaces: ['web'] }, PolicyArn: policyArn('AmazonEKSViewPolicy') },
        { AccessScope: { Type: 'namespace', Namespaces: ['batch'] }, PolicyArn: policyArn('AmazonEKSEditPolicy') },
      ],
    });
  });

  test('sits beside the admins, each role with an entry of its own', () => {
    // GIVEN
    const app = new App();
    const { stack, cluster } = clusterStack({}, app);

    // WHEN
    cluster.addAdmin('Ops', roleOf(stack, 'arn:aws:iam::123456789012:role/ops', 'Ops'));
    cluster.grantNamespaceAccess('Support', roleOf(stack, SUPPORT), { namespaces: ['web'] });

    // THEN
    const entries = Object.values(Template.fromStack(stack).findResources(ENTRY)).map((r) => r.Properties);
    expect(entries.map((e) => e.AccessPolicies.map((p: any) => `${JSON.stringify(e.PrincipalArn)} ${p.AccessScope.Type} ${p.PolicyArn['Fn::Join'][1][2]}`)).flat().sort()).toEqual([
      '"arn:aws:iam::123456789012:role/ops" cluster :eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      `"${SUPPORT}" namespace :eks::aws:cluster-access-policy/AmazonEKSViewPolicy`,
      expect.stringMatching(/KubectlProviderHandlerServiceRole.* cluster :eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/),
    ]);
  });

  test('needs no kubectl Lambda: the lean mode grants it too', () => {
    // GIVEN
    const { stack, cluster } = clusterStack({ kubectlEnabled: false });

    // WHEN
    cluster.grantNamespaceAccess('Support', roleOf(stack, SUPPORT), { namespaces: ['web'] });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs(ENTRY, 1);
    template.hasResourceProperties(ENTRY, { PrincipalArn: SUPPORT });
  });

  test('takes a role created in the same stack (its ARN is a token)', () => {
    // GIVEN
    const { stack, cluster } = clusterStack();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });

    // WHEN
    cluster.grantNamespaceAccess('Reader', role, { namespaces: ['web'] });

    // THEN
    Template.fromStack(stack).hasResourceProperties(ENTRY, { PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Reader'), 'Arn'] } });
  });
});

describe('connections', () => {
  test('are aws-eks-v2\'s, so a bastion is let into the API endpoint\'s security groups on 443', () => {
    // GIVEN
    const { stack, cluster } = clusterStack({ endpointAccess: eks.EndpointAccess.PRIVATE });
    const bastion = new ec2.SecurityGroup(stack, 'Bastion', { vpc: cluster.vpc, allowAllOutbound: false });

    // WHEN
    cluster.connections.allowFrom(bastion, ec2.Port.tcp(443), 'kubectl through the bastion');

    // THEN
    expect(cluster.connections).toBe(cluster.eksCluster.connections);
    const template = Template.fromStack(stack);
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties)
      .filter((p) => JSON.stringify(p.SourceSecurityGroupId).includes('Bastion'));
    // the cluster security group EKS creates (attribute of the cluster) and the control plane's own
    expect(ingress.map((p) => p.GroupId)).toEqual(expect.arrayContaining([
      { 'Fn::GetAtt': [expect.stringMatching(/^Cluster/), 'ClusterSecurityGroupId'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^ClusterControlPlaneSecurityGroup/), 'GroupId'] },
    ]));
    expect(ingress.every((p) => p.IpProtocol === 'tcp' && p.FromPort === 443 && p.ToPort === 443)).toBe(true);
  });
});

describe('validation', () => {
  const grant = (arn: string, options: Parameters<Cluster['grantNamespaceAccess']>[2]) => {
    const { stack, cluster } = clusterStack();
    return () => cluster.grantNamespaceAccess('Support', roleOf(stack, arn), options);
  };

  test.each([
    ['no namespace', SUPPORT, { namespaces: [] },
      "'namespaces' of 'grantNamespaceAccess' must list at least one namespace, got none; for access to the whole cluster use 'admins'"],
    ['a namespace that is not a DNS label', SUPPORT, { namespaces: ['web', 'Web_Prod'] },
      "'namespaces' must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), got 'Web_Prod'"],
    ['a namespace twice', SUPPORT, { namespaces: ['web', 'web'] },
      "'namespaces' of 'grantNamespaceAccess' must name each namespace once, got 'web' twice"],
    ['an access level that does not exist', SUPPORT, { namespaces: ['web'], access: 'ADMIN' as NamespaceAccess },
      "'access' must be one of NamespaceAccess.VIEW, NamespaceAccess.EDIT, got \"ADMIN\""],
    ['a user ARN', 'arn:aws:iam::123456789012:user/alice', { namespaces: ['web'] },
      "'role' must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got 'arn:aws:iam::123456789012:user/alice'"],
    ['an assumed-role session ARN', 'arn:aws:sts::123456789012:assumed-role/support/alice', { namespaces: ['web'] },
      "'role' must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got 'arn:aws:sts::123456789012:assumed-role/support/alice': "
      + "that is an assumed-role session, give the role's ARN (arn:aws:iam::<account>:role/<name>)"],
  ])('rejects %s', (_name, arn, options, message) => {
    expect(grant(arn, options)).toThrow(message);
  });

  test('rejects the same access level twice for one role', () => {
    const { stack, cluster } = clusterStack();
    const role = roleOf(stack, SUPPORT);
    cluster.grantNamespaceAccess('Web', role, { namespaces: ['web'] });
    expect(() => cluster.grantNamespaceAccess('Batch', role, { namespaces: ['batch'] })).toThrow(
      "'grantNamespaceAccess' must give each role NamespaceAccess.VIEW once (EKS associates each access policy once per access entry), "
      + `got ${SUPPORT} twice: list all its namespaces in one call`);
  });

  test('rejects namespaced access for an admin', () => {
    const { stack, cluster } = clusterStack({});
    cluster.addAdmin('Ops', roleOf(stack, SUPPORT));
    expect(() => cluster.grantNamespaceAccess('Support', roleOf(stack, SUPPORT, 'Again'), { namespaces: ['web'], access: NamespaceAccess.EDIT })).toThrow(
      `'role' of 'grantNamespaceAccess' must not be one of 'admins', got ${SUPPORT}: cluster-admin already includes AmazonEKSEditPolicy in every namespace`);
  });

  test('rejects an admin that already has namespaced access', () => {
    const { stack, cluster } = clusterStack({});
    cluster.grantNamespaceAccess('Support', roleOf(stack, SUPPORT), { namespaces: ['web'] });
    expect(() => cluster.addAdmin('Ops', roleOf(stack, SUPPORT, 'Again'))).toThrow(
      `'admins' must not name ${SUPPORT}, which 'grantNamespaceAccess' already gave AmazonEKSViewPolicy `
      + '(EKS allows one access entry per principal, and cluster-admin includes it): remove the namespaced grant');
  });

  test('rejects an admin that is not an IAM role ARN', () => {
    const { stack, vpc } = vpcStack();
    expect(() => new Cluster(stack, 'Cluster', { vpc, admins: [roleOf(stack, 'arn:aws:iam::123456789012:user/alice')] })).toThrow(
      "'admins' must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got 'arn:aws:iam::123456789012:user/alice'");
  });
});
