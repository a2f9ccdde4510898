/**
 * The context values that decide who reaches the Kubernetes API and with which identity
 * (`-c viewerRoleArns`, `-c apiEndpoint`, `-c apiAllowedCidrs` with a private endpoint), and their errors.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { adminRoleArns, apiAllowedCidrs, apiEndpoint, viewerRoleArns } from '../src/reference-app';
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

// The readers alone, without building a stack: each value at the edges of what it takes.
describe('the readers of the access context', () => {
  const withContext = (context: Record<string, unknown>) => new App({ context });
  const ROLE = 'arn:aws:iam::123456789012:role/platform';

  test.each([
    ['absent', {}, []],
    ['empty', { adminRoleArns: '' }, []],
    ['padded, with empty items', { adminRoleArns: ` ${ROLE} ,, arn:aws:iam::123456789012:role/oncall , ` }, [ROLE, 'arn:aws:iam::123456789012:role/oncall']],
  ])('-c adminRoleArns %s', (_, context, expected) => {
    expect(adminRoleArns(withContext(context))).toEqual(expected);
  });

  test.each([
    'arn:aws:iam::123456789012:role/platform',
    'arn:aws-cn:iam::123456789012:role/platform',
    'arn:aws-us-gov:iam::123456789012:role/platform',
    'arn:aws:iam::123456789012:role/teams/web/developers',
    'arn:aws:iam::123456789012:role/A_b+c=d.e@f-9',
  ])('takes the role ARN %s', (arn) => {
    expect(adminRoleArns(withContext({ adminRoleArns: arn }))).toEqual([arn]);
    expect(viewerRoleArns(withContext({ viewerRoleArns: arn }))).toEqual([arn]);
  });

  test.each([
    ['an account of 11 digits', 'arn:aws:iam::12345678901:role/platform'],
    ['an account of 13 digits', 'arn:aws:iam::1234567890123:role/platform'],
    ['an account of letters', 'arn:aws:iam::abcdefghijkl:role/platform'],
    ['a partition in capitals', 'arn:AWS:iam::123456789012:role/platform'],
    ['a partition with a digit', 'arn:aws2:iam::123456789012:role/platform'],
    ['no role name', 'arn:aws:iam::123456789012:role/'],
    ['a blank in the name', 'arn:aws:iam::123456789012:role/plat form'],
    ['text before it', 'x-arn:aws:iam::123456789012:role/platform'],
    ['a region', 'arn:aws:iam:us-east-1:123456789012:role/platform'],
  ])('refuses a role ARN with %s', (_, arn) => {
    expect(() => adminRoleArns(withContext({ adminRoleArns: arn }))).toThrow(`'-c adminRoleArns' must list IAM role ARNs (arn:aws:iam::<account>:role/<name>), separated by commas, got "${arn}"`);
  });

  test('-c viewerRoleArns absent, empty or naming two roles', () => {
    expect(viewerRoleArns(withContext({}))).toEqual([]);
    expect(viewerRoleArns(withContext({ viewerRoleArns: '' }))).toEqual([]);
    expect(viewerRoleArns(withContext({ viewerRoleArns: `${ROLE},arn:aws:iam::123456789012:role/support`, adminRoleArns: 'arn:aws:iam::123456789012:role/oncall' })))
      .toEqual([ROLE, 'arn:aws:iam::123456789012:role/support']);
  });

  test.each([
    [{}, undefined],
    [{ apiEndpoint: '' }, undefined],
    [{ apiEndpoint: 'private' }, 'private'],
    [{ apiEndpoint: ' public-and-private ' }, 'public-and-private'],
  ])('-c apiEndpoint of %j', (context, expected) => {
    expect(apiEndpoint(withContext(context))).toBe(expected);
  });

  test.each([
    '0.0.0.0/0', '255.255.255.255/32', '250.249.200.199/30', '100.99.10.9/29', '10.0.0.0/8', '172.16.0.0/12', '192.168.1.0/24', '1.2.3.4/19', '5.6.7.8/20',
    '192.0.2.249/32', '192.0.2.200/31',
  ])('takes the CIDR %s', (cidr) => {
    expect(apiAllowedCidrs(withContext({ apiAllowedCidrs: cidr }))).toEqual([cidr]);
  });

  test('-c apiAllowedCidrs absent, empty, or padded with empty items', () => {
    expect(apiAllowedCidrs(withContext({}))).toEqual([]);
    expect(apiAllowedCidrs(withContext({ apiAllowedCidrs: '' }))).toEqual([]);
    expect(apiAllowedCidrs(withContext({ apiAllowedCidrs: ' 203.0.113.0/24 ,,198.51.100.7/32, ' }))).toEqual(['203.0.113.0/24', '198.51.100.7/32']);
  });

  test.each([
    '256.0.0.0/8', '10.0.0.256/32', '10.0.256.0/24', '260.0.0.0/8', '300.0.0.0/8', '1000.0.0.0/8', '10.0.0/8', '10.0.0.0.0/8', '10.0.0.0/33', '10.0.0.0/40', '10.0.0.0/', '10.0.0.0',
    'x10.0.0.0/8', '10.0.0.0/8x', '10.0.0.a/8', '10.0.0.0/a', '2001:db8::/32',
  ])('refuses the CIDR %s', (cidr) => {
    expect(() => apiAllowedCidrs(withContext({ apiAllowedCidrs: cidr }))).toThrow(
      `'-c apiAllowedCidrs' must list IPv4 CIDR blocks (e.g. 203.0.113.0/24), separated by commas, got "${cidr}"`);
  });
});
