import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Cluster } from '../src';

test('keeps the VPC', () => {
  const stack = new Stack(new App(), 'Test');
  const vpc = new ec2.Vpc(stack, 'Vpc');
  expect(new Cluster(stack, 'Cluster', { vpc }).vpc).toBe(vpc);
});
