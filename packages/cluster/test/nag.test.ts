import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { acknowledgedRules } from '../../../tools/testing/cloudformation';
import { acknowledgeManagedPolicies, acknowledgeWildcards } from '../src/nag';

const acknowledged = (construct: IConstruct): string[] => Object.keys(acknowledgedRules(construct));

describe('cdk-nag acknowledgements', () => {
  test('name each AWS managed policy of a role as cdk-nag does, and nothing else', () => {
    // GIVEN
    const stack = new Stack();
    const role = new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('eks.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSClusterPolicy'),
        iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Own', 'arn:aws:iam::123456789012:policy/own'),
      ],
    });

    // WHEN
    acknowledgeManagedPolicies(role, 'reason');

    // THEN
    expect(acknowledged(role)).toEqual(['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]']);
  });

  test('name each wildcard action and resource of the default policy, on the policy', () => {
    // GIVEN
    const stack = new Stack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
    const bucketArn = 'arn:aws:s3:::demo';
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:Get*'], resources: [`${bucketArn}/*`] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeInstances'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:*'], resources: ['*'] }));

    // WHEN
    acknowledgeWildcards(role, 'reason');

    // THEN
    expect(acknowledged(role.node.findChild('DefaultPolicy')).sort()).toEqual([
      'AwsSolutions-IAM5[Action::s3:Get*]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::demo/*]',
    ]);
  });

  test('do nothing for roles without a template resource or default policy', () => {
    const stack = new Stack();
    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/x');
    acknowledgeManagedPolicies(imported, 'reason');
    acknowledgeWildcards(imported, 'reason');
    expect(acknowledged(imported)).toEqual([]);
  });
});
