import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Network } from '@s3www-eks/network';

test('composes the network', () => {
  const stack = new Stack(new App(), 'Test');
  new Network(stack, 'Network', { maxAzs: 2 });
  Template.fromStack(stack).resourceCountIs('AWS::EC2::VPC', 1);
});
