import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expectCfnLintClean } from '../../../tools/testing/cloudformation';
import { Network } from '../src';

test('creates a VPC', () => {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  new Network(stack, 'Network', { maxAzs: 2 });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::EC2::VPC', 1);
  expectCfnLintClean({ Test: template.toJSON() });
});
