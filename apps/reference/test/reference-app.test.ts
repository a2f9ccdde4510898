import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EXAMPLE_CERTIFICATE_ARN } from '../src/deployment-target';
import { ENVIRONMENTS } from '../src/environments';
import { buildReferenceApp, stackName } from '../src/reference-app';
import { committedContext } from '../src/synthesis';

const app = (context: Record<string, unknown> = {}) => new App({ context: { ...committedContext(), ...context } });
const OFFLINE = { account: '123456789012', region: 'us-east-1' };

describe('buildReferenceApp', () => {
  test('builds dev when no environment is named', () => {
    expect(buildReferenceApp(app(), { target: OFFLINE }).stackName).toBe('s3www-eks-dev');
  });

  test.each(['dev', 'staging', 'prod'])('builds %s from -c env', (env) => {
    // staging and prod serve HTTPS only: they need a certificate (src/site-tls.ts)
    const stack = buildReferenceApp(app({ env, ...(env === 'dev' ? {} : { certificateArn: EXAMPLE_CERTIFICATE_ARN }) }), { target: OFFLINE });
    expect(stack.stackName).toBe(stackName(env));
    expect(stack.terminationProtection).toBe(env === 'prod');
    expect(stack.templateOptions.description).toBe(`s3www-eks reference system (${env}): network, EKS cluster, MinIO and s3www`);
    expect(stack.tags.tagValues()).toEqual({ 'project': 's3www-eks', 'environment': env, 'cost-center': 'web-platform' });
  });

  test('rejects settings of another environment than the env context names', () => {
    expect(() => buildReferenceApp(app({ env: 'dev' }), { target: OFFLINE, config: ENVIRONMENTS.prod }))
      .toThrow('\'config\' is the prod environment, but the env context names dev');
  });

  test('rejects an unknown environment naming the known ones', () => {
    expect(() => buildReferenceApp(app({ env: 'qa' }), { target: OFFLINE }))
      .toThrow('Unknown environment "qa" (from -c env=...): expected one of dev, staging, prod');
  });

  test('deploys to the account and region of the CLI when it provides them', () => {
    const saved = { ...process.env };
    process.env.CDK_DEFAULT_ACCOUNT = '210987654321';
    process.env.CDK_DEFAULT_REGION = 'us-east-1';
    try {
      const stack = buildReferenceApp(app());
      expect(stack.account).toBe('210987654321');
    } finally {
      process.env = saved;
    }
  });

  test('gives cluster-admin to the roles of -c adminRoleArns, and to nobody without it', () => {
    const roles = 'arn:aws:iam::123456789012:role/platform, arn:aws:iam::123456789012:role/oncall';
    const withAdmins = Template.fromStack(buildReferenceApp(app({ adminRoleArns: roles }), { target: OFFLINE }));
    const principals = Object.values(withAdmins.findResources('AWS::EKS::AccessEntry')).map((r) => r.Properties.PrincipalArn);
    expect(principals).toEqual(expect.arrayContaining(['arn:aws:iam::123456789012:role/platform', 'arn:aws:iam::123456789012:role/oncall']));

    const withoutAdmins = Template.fromStack(buildReferenceApp(app(), { target: OFFLINE }));
    // only the kubectl provider's own entry, which applies the content
    expect(Object.keys(withoutAdmins.findResources('AWS::EKS::AccessEntry'))).toHaveLength(1);
  });

  test.each([
    ['arn:aws:sts::123456789012:assumed-role/Admin/session'],
    ['arn:aws:iam::123456789012:user/alice'],
    ['Admin'],
  ])('rejects %s as an admin role', (arn) => {
    expect(() => buildReferenceApp(app({ adminRoleArns: arn }), { target: OFFLINE })).toThrow(
      `'-c adminRoleArns' must list IAM role ARNs (arn:aws:iam::<account>:role/<name>), separated by commas, got "${arn}"`);
  });

  test('limits the public API endpoint to the CIDRs of -c apiAllowedCidrs; without it any address may try (IAM still decides)', () => {
    const limited = Template.fromStack(buildReferenceApp(app({ apiAllowedCidrs: '203.0.113.0/24,198.51.100.7/32' }), { target: OFFLINE }));
    limited.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'] },
    });
    const open = Template.fromStack(buildReferenceApp(app(), { target: OFFLINE }));
    const vpcConfig = Object.values(open.findResources('AWS::EKS::Cluster'))[0].Properties.ResourcesVpcConfig;
    expect(vpcConfig).toMatchObject({ EndpointPublicAccess: true, EndpointPrivateAccess: true });
    expect(vpcConfig.PublicAccessCidrs ?? ['0.0.0.0/0']).toEqual(['0.0.0.0/0']);
  });

  test.each([['203.0.113.0'], ['203.0.113.0/33'], ['example.com/24']])('rejects %s as an API CIDR', (cidr) => {
    expect(() => buildReferenceApp(app({ apiAllowedCidrs: cidr }), { target: OFFLINE })).toThrow(
      `'-c apiAllowedCidrs' must list IPv4 CIDR blocks (e.g. 203.0.113.0/24), separated by commas, got "${cidr}"`);
  });
});
