/**
 * The context values that decide who reaches the Kubernetes API and with which identity
 * (`-c viewerRoleArns`, `-c apiEndpoint`, `-c apiAllowedCidrs` with a private endpoint), and their errors.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { environmentApp } from '../src/synthesis';

type Json = Record<string, any>;

const base = mkdtempSync(join(tmpdir(), 'access-context-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const build = (name: string, context: Record<string, unknown>) =>
  environmentApp(name, { cdkOut: join(base, name, 'cdk.out'), manifests: join(base, name, 'manifests') }, undefined, context);
const accessEntries = (name: string, context: Record<string, unknown>): Json[] =>
  Object.values(Template.fromStack(build(name, context).stack).findResources('AWS::EKS::AccessEntry')).map((r) => r.Properties);
const VIEW_POLICY = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSViewPolicy']] };

describe('-c viewerRoleArns', () => {
  test('each role gets view access to the workload namespace only, beside the admins', () => {
    const entries = accessEntries('prod', {
      adminRoleArns: 'arn:aws:iam::123456789012:role/platform',
      viewerRoleArns: 'arn:aws:iam::123456789012:role/support, arn:aws:iam::123456789012:role/teams/web/developers',
    });
    for (const viewer of ['arn:aws:iam::123456789012:role/support', 'arn:aws:iam::123456789012:role/teams/web/developers']) {
      expect(entries.filter((e) => e.PrincipalArn === viewer).map((e) => e.AccessPolicies))
        .toEqual([[{ AccessScope: { Type: 'namespace', Namespaces: ['s3www'] }, PolicyArn: VIEW_POLICY }]]);
    }
    expect(entries.find((e) => e.PrincipalArn === 'arn:aws:iam::123456789012:role/platform')?.AccessPolicies[0].AccessScope).toEqual({ Type: 'cluster' });
    // the two viewers, the admin and the kubectl handler
    expect(entries).toHaveLength(4);
  });

  test('without it nobody has namespaced access', () => {
    expect(accessEntries('dev', {}).filter((e) => e.AccessPolicies.some((p: Json) => p.AccessScope.Type === 'namespace'))).toEqual([]);
  });

  test.each([
    ['an assumed-role session ARN', 'arn:aws:sts::123456789012:assumed-role/support/alice'],
    ['a user ARN', 'arn:aws:iam::123456789012:user/alice'],
    ['a role name', 'support'],
  ])('rejects %s', (_what, value) => {
    expect(() => build('dev', { viewerRoleArns: value })).toThrow(
      `'-c viewerRoleArns' must list IAM role ARNs (arn:aws:iam::<account>:role/<name>), separated by commas, got "${value}"`);
  });

  test('rejects a role named twice', () => {
    expect(() => build('dev', { viewerRoleArns: 'arn:aws:iam::123456789012:role/support,arn:aws:iam::123456789012:role/support' })).toThrow(
      '\'-c viewerRoleArns\' must name each role once, got "arn:aws:iam::123456789012:role/support" twice');
  });

  test('rejects an admin as a viewer', () => {
    expect(() => build('dev', { adminRoleArns: 'arn:aws:iam::123456789012:role/platform', viewerRoleArns: 'arn:aws:iam::123456789012:role/platform' })).toThrow(
      '\'-c viewerRoleArns\' must not name a role of \'-c adminRoleArns\' (EKS allows one access entry per role, and cluster-admin includes view), '
      + 'got "arn:aws:iam::123456789012:role/platform"');
  });
});

describe('-c apiEndpoint', () => {
  test.each([['public'], ['PRIVATE'], ['true']])('rejects %s, naming the values it takes', (value) => {
    expect(() => build('dev', { apiEndpoint: value })).toThrow(`'-c apiEndpoint' must be one of private, public-and-private, got "${value}"`);
  });

  test.each(['staging', 'prod'])('%s refuses -c apiAllowedCidrs while its endpoint is private', (name) => {
    expect(() => build(name, { apiAllowedCidrs: '203.0.113.0/24' })).toThrow(
      `'-c apiAllowedCidrs' limits the public Kubernetes API endpoint, which ${name} does not have (its endpoint is private): `
      + "remove it, or add '-c apiEndpoint=public-and-private'");
  });

  test('dev made private refuses -c apiAllowedCidrs too', () => {
    expect(() => build('dev', { apiEndpoint: 'private', apiAllowedCidrs: '203.0.113.0/24' })).toThrow(
      "'-c apiAllowedCidrs' limits the public Kubernetes API endpoint, which dev does not have (its endpoint is private)");
  });
});
