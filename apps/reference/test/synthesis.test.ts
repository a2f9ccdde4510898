import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { committedContext, kubernetesObjectsInTemplate, readTemplates, templateFigures, templateFiles, TOKEN_PLACEHOLDER } from '../src/synthesis';

describe('committedContext', () => {
  test('holds the Availability Zones of the offline account and region', () => {
    expect(committedContext()['availability-zones:account=123456789012:region=us-east-1']).toEqual(
      ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
  });
});

describe('kubernetesObjectsInTemplate', () => {
  test('parses literal and joined manifests, replacing CloudFormation expressions', () => {
    const template = {
      Resources: {
        Literal: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Manifest: '[{"kind":"Namespace"}]' } },
        Joined: {
          Type: 'Custom::AWSCDK-EKS-KubernetesResource',
          Properties: { Manifest: { 'Fn::Join': ['', ['[{"kind":"ExternalSecret","key":"', { Ref: 'Secret' }, '"}]']] } },
        },
        Other: { Type: 'AWS::S3::Bucket', Properties: {} },
        Helm: { Type: 'Custom::AWSCDK-EKS-HelmChart', Properties: { Manifest: '[{"kind":"NotApplied"}]' } },
        Patch: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Overwrite: true } },
        Bare: { Type: 'Custom::AWSCDK-EKS-KubernetesResource' },
      },
    };
    expect(kubernetesObjectsInTemplate(template)).toEqual({
      Literal: [{ kind: 'Namespace' }],
      Joined: [{ kind: 'ExternalSecret', key: TOKEN_PLACEHOLDER }],
    });
    // visible text, so that a test comparing values sees where CloudFormation puts one at deploy time
    expect(TOKEN_PLACEHOLDER).toBe(['$', '{TOKEN}'].join(''));
  });

  test('finds nothing in a template without resources', () => {
    expect(kubernetesObjectsInTemplate({})).toEqual({});
  });
});

describe('templateFiles and readTemplates', () => {
  test('find every template under the folder, nested stacks\' folders included, in order, by file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'templates-'));
    // Node lists a folder by name, 'stack' before 'stack.template.json'; by path, the folder's templates come after it (. before /)
    mkdirSync(join(dir, 'stack'));
    writeFileSync(join(dir, 'stack', 'nested.template.json'), '{"Resources":{"A":{}}}');
    writeFileSync(join(dir, 'stack', 'index.js'), '');
    writeFileSync(join(dir, 'stack.template.json'), '{"Resources":{"B":{}}}');
    writeFileSync(join(dir, 'tree.json'), '{}');
    expect(templateFiles(dir)).toEqual([join(dir, 'stack.template.json'), join(dir, 'stack', 'nested.template.json')]);
    expect(readTemplates(dir)).toEqual({ 'nested.template.json': { Resources: { A: {} } }, 'stack.template.json': { Resources: { B: {} } } });
    rmSync(dir, { recursive: true, force: true });
  });

  test('find none in a folder not written yet', () => {
    expect(templateFiles(join(tmpdir(), 'no-such-assembly'))).toEqual([]);
  });
});

describe('templateFigures', () => {
  test('counts resources, Lambda functions and custom resources over every template, and their bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'figures-'));
    const main = JSON.stringify({
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function' },
        Sam: { Type: 'AWS::Serverless::Function' },
        Cr: { Type: 'Custom::AWSCDK-EKS-HelmChart' },
        Generic: { Type: 'AWS::CloudFormation::CustomResource' },
        Vpc: { Type: 'AWS::EC2::VPC' },
      },
    });
    const nested = JSON.stringify({ Resources: { Fn2: { Type: 'AWS::Lambda::Function' } } });
    writeFileSync(join(dir, 'a.template.json'), main);
    writeFileSync(join(dir, 'b.nested.template.json'), nested);
    writeFileSync(join(dir, 'c.template.json'), '{}');
    writeFileSync(join(dir, 'manifest.json'), '{}');
    expect(templateFigures(dir)).toEqual({
      resources: 6, lambdaFunctions: 3, customResources: 2, templateBytes: Buffer.byteLength(main) + Buffer.byteLength(nested) + 2,
    });
    rmSync(dir, { recursive: true, force: true });
  });
});
