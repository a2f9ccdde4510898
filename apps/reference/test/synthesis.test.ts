import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { committedContext, kubernetesObjectsInTemplate, templateFigures, TOKEN_PLACEHOLDER } from '../src/synthesis';

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
      },
    };
    expect(kubernetesObjectsInTemplate(template)).toEqual({
      Literal: [{ kind: 'Namespace' }],
      Joined: [{ kind: 'ExternalSecret', key: TOKEN_PLACEHOLDER }],
    });
  });
});

describe('templateFigures', () => {
  test('counts resources, Lambda functions and custom resources over every template, and their bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'figures-'));
    const main = JSON.stringify({
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function' },
        Cr: { Type: 'Custom::AWSCDK-EKS-HelmChart' },
        Generic: { Type: 'AWS::CloudFormation::CustomResource' },
        Vpc: { Type: 'AWS::EC2::VPC' },
      },
    });
    const nested = JSON.stringify({ Resources: { Fn2: { Type: 'AWS::Lambda::Function' } } });
    writeFileSync(join(dir, 'a.template.json'), main);
    writeFileSync(join(dir, 'b.nested.template.json'), nested);
    writeFileSync(join(dir, 'manifest.json'), '{}');
    expect(templateFigures(dir)).toEqual({
      resources: 5, lambdaFunctions: 2, customResources: 2, templateBytes: Buffer.byteLength(main) + Buffer.byteLength(nested),
    });
    rmSync(dir, { recursive: true, force: true });
  });
});
