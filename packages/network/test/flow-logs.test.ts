import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Network } from '../src';
import { expectAllLintClean, network, propertiesOf, synth, testStack } from './util';

describe('flow logs', () => {
  test('default: all traffic of the VPC to a new CloudWatch Logs group kept one year and retained', () => {
    // WHEN
    const { template, network: net } = network();
    // THEN
    const [vpcId] = Object.keys(template.findResources('AWS::EC2::VPC'));
    const [groupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceId: { Ref: vpcId },
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: groupId },
    });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
    expect(net.flowLogGroup).toBeDefined();
  });

  test('the delivery role may write only to its own log group', () => {
    // WHEN
    const { template } = network();
    // THEN
    const [groupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    const statements = propertiesOf(template, 'AWS::IAM::Policy').flatMap((p) => p.PolicyDocument.Statement);
    const logStatements = statements.filter((s: { Action: string | string[] }) => [s.Action].flat().some((a) => a.startsWith('logs:')));
    expect(logStatements).toHaveLength(1);
    expect(logStatements[0].Resource).toEqual({ 'Fn::GetAtt': [groupId, 'Arn'] });
  });

  test.each([ec2.FlowLogTrafficType.ACCEPT, ec2.FlowLogTrafficType.REJECT, ec2.FlowLogTrafficType.ALL])('trafficType %s', (trafficType) => {
    // WHEN
    const { template } = network({ flowLogs: { trafficType } });
    // THEN
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: trafficType });
  });

  test('retention sets the log group retention', () => {
    // WHEN
    const { template } = network({ flowLogs: { retention: logs.RetentionDays.ONE_MONTH } });
    // THEN
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('bucket sends the records to S3 instead, under keyPrefix, and creates no log group', () => {
    // GIVEN
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Archive', 'flow-log-archive');
    // WHEN
    const net = new Network(stack, 'Network', { flowLogs: { bucket, keyPrefix: 'vpc/' } });
    // THEN
    const template = synth(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.resourceCountIs('AWS::IAM::Role', 1); // only the default-security-group lock-down's
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      LogDestinationType: 's3',
      LogDestination: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::flow-log-archive/vpc/']] },
      TrafficType: 'ALL',
    });
    expect(net.flowLogGroup).toBeUndefined();
  });

  describe('validation', () => {
    test('retention with a bucket', () => {
      // GIVEN
      const stack = testStack();
      const bucket = s3.Bucket.fromBucketName(stack, 'Archive', 'flow-log-archive');
      // WHEN / THEN
      expect(() => new Network(stack, 'Network', { flowLogs: { bucket, retention: logs.RetentionDays.ONE_WEEK } })).toThrow(
        "'flowLogs.retention' applies to the CloudWatch Logs destination only; remove it or remove 'flowLogs.bucket' (use the bucket's lifecycle rules)",
      );
    });

    test('keyPrefix without a bucket', () => {
      expect(() => new Network(testStack(), 'Network', { flowLogs: { keyPrefix: 'vpc/' } }))
        .toThrow("'flowLogs.keyPrefix' applies to the S3 destination only; set 'flowLogs.bucket' or remove it");
    });
  });
});

test('cfn-lint: every template synthesized in this file is clean', () => {
  expectAllLintClean();
});
