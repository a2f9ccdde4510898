/**
 * What ReferenceStack itself writes, beyond the environments' synthesized output (reference-output.test.ts):
 * its defaults when built directly (the app always passes every prop), the descriptions of its
 * secrets and outputs, the reasons of its cdk-nag acknowledgements, and the roles given access.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { acknowledgedRules } from '../../../tools/testing/cloudformation';
import { ENVIRONMENTS } from '../src/environments';
import { buildReferenceApp } from '../src/reference-app';
import { ReferenceStack } from '../src/reference-stack';
import { committedContext } from '../src/synthesis';

type Json = Record<string, any>;

const OFFLINE = { account: '123456789012', region: 'us-east-1' };
const ADMIN = 'arn:aws:iam::123456789012:role/platform-admin';
const VIEWER = 'arn:aws:iam::123456789012:role/support-viewer';

/** The section titles of the app's README. */
const README_SECTIONS = readFileSync(join(__dirname, '..', 'README.md'), 'utf8')
  .split('\n').filter((line) => line.startsWith('#')).map((line) => line.replace(/^#+\s*/, ''));

describe('a ReferenceStack built directly, with the config alone', () => {
  const config = ENVIRONMENTS.dev;
  let stack: ReferenceStack;
  let template: Json;
  beforeAll(() => {
    stack = new ReferenceStack(new App({ context: committedContext() }), 'direct', { config, env: OFFLINE });
    template = Template.fromStack(stack).toJSON();
  });

  test('writes its manifests to dist/manifests/<environment>', () => {
    expect(stack.manifests.outdir).toBe(`dist/manifests/${config.name}`);
  });

  test('gives no role access to the cluster', () => {
    const entries = Object.values<Json>(template.Resources).filter((r) => r.Type === 'AWS::EKS::AccessEntry');
    expect(entries.map((e) => e.Properties.PrincipalArn)).not.toContainEqual(expect.stringMatching(/^arn:aws:iam::\d{12}:role\//));
  });

  test.each([
    ['credentials', 'root credentials'],
    ['siteCredentials', 'user of s3www (list and read the bucket)'],
    ['seederCredentials', 'user of the seeder (list, read and write the bucket)'],
  ] as const)('the %s secret says whose it is, in which environment', (secret, whose) => {
    const { logicalId } = stack[secret].node.defaultChild as unknown as { logicalId: string };
    const description: string = template.Resources[stack.resolve(logicalId)].Properties.Description;
    expect(description).toContain(`MinIO ${whose}`);
    expect(description).toContain(`s3www-eks ${config.name} environment`);
  });

  test.each([
    ['credentials', /^MinIO reads its root credentials only at start-up, so rotation is a coordinated restart of MinIO and its bucket Job/],
    ['siteCredentials', /^MinIO's bucket Job sets the user's key and the consumer reads it at start-up, so rotation is a rerun of the Job/],
    ['seederCredentials', /^MinIO's bucket Job sets the user's key and the consumer reads it at start-up, so rotation is a rerun of the Job/],
  ] as const)('the %s secret has no rotation schedule, and says why and where the README shows rotation', (secret, why) => {
    const reason = acknowledgedRules(stack[secret])['AwsSolutions-SMG4'];
    expect(reason).toMatch(why);
    const section = /\(README: "([^"]+)"\), not a Lambda rotation schedule$/.exec(reason)?.[1];
    expect(README_SECTIONS).toContain(section);
  });

  test('its outputs say what they are', () => {
    expect(template.Outputs.ClusterName.Description).toBe('Name of the EKS cluster');
    expect(template.Outputs.KubeconfigCommand.Description).toBe('Adds the cluster to your kubeconfig');
  });
});

describe('roles given access through the context', () => {
  let stack: ReferenceStack;
  beforeAll(() => {
    const app = new App({ context: { ...committedContext(), env: 'dev', adminRoleArns: ADMIN, viewerRoleArns: VIEWER } });
    stack = buildReferenceApp(app, { target: OFFLINE });
  });

  test('each gets its access entry', () => {
    const entries = Object.values<Json>(Template.fromStack(stack).toJSON().Resources).filter((r) => r.Type === 'AWS::EKS::AccessEntry');
    expect(entries.map((e) => e.Properties.PrincipalArn)).toEqual(expect.arrayContaining([ADMIN, VIEWER]));
  });
});
