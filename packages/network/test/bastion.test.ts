import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { expectAllLintClean, network, propertiesOf, synth, testStack } from './util';
import { acknowledgedRules, nagApp, nagErrors } from '../../../tools/testing/cloudformation';
import { EksEndpoints, Network, NetworkPreset } from '../src';

const SESSION_MANAGER = ['ssm', 'ssmmessages', 'ec2messages'];

function withBastion(props: ConstructorParameters<typeof Network>[2] = {}, options: Parameters<Network['addBastion']>[1] = {}) {
  const stack = testStack();
  const net = new Network(stack, 'Network', props);
  const bastion = net.addBastion('Bastion', options);
  return { stack, network: net, bastion, template: synth(stack) };
}

const endpointServices = (template: Template): string[] =>
  propertiesOf(template, 'AWS::EC2::VPCEndpoint')
    .filter((e) => e.VpcEndpointType === 'Interface')
    .map((e) => JSON.stringify(e.ServiceName).match(/com\.amazonaws\.[^"]*?\.([a-z0-9.]+)"/)?.[1] ?? JSON.stringify(e.ServiceName));

afterAll(() => expectAllLintClean());

describe('addBastion', () => {
  const { template, stack } = withBastion();

  test('one instance in a private subnet, without public IP or key pair', () => {
    const [instance] = propertiesOf(template, 'AWS::EC2::Instance');
    expect(propertiesOf(template, 'AWS::EC2::Instance')).toHaveLength(1);
    expect(instance.KeyName).toBeUndefined();
    expect(instance.NetworkInterfaces).toBeUndefined();
    const subnetId = instance.SubnetId.Ref;
    const subnet = Template.fromStack(stack).toJSON().Resources[subnetId];
    expect(subnet.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'aws-cdk:subnet-name', Value: 'Private' }]));
    expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    expect(instance.InstanceType).toBe('t3.micro');
  });

  test('IMDSv2 only, and an encrypted gp3 root volume of 8 GiB', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required' } },
    });
    template.hasResourceProperties('AWS::EC2::Instance', {
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: 8, DeleteOnTermination: true } }],
    });
  });

  test('a security group with no inbound rule and HTTPS out only', () => {
    const [group] = propertiesOf(template, 'AWS::EC2::SecurityGroup').filter((g) => String(g.GroupDescription).startsWith('Session Manager bastion'));
    expect(group.SecurityGroupIngress).toBeUndefined();
    expect(group.SecurityGroupEgress).toEqual([{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS to Systems Manager and port-forwarding targets' }]);
    expect(propertiesOf(template, 'AWS::EC2::SecurityGroupIngress')).toEqual([]);
  });

  test('a role that lets the SSM Agent serve sessions, and nothing else', () => {
    const [role] = propertiesOf(template, 'AWS::IAM::Role').filter((r) => r.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'ec2.amazonaws.com');
    expect(role.ManagedPolicyArns).toBeUndefined();
    const policies = propertiesOf(template, 'AWS::IAM::Policy').filter((p) => String(p.PolicyName).startsWith('NetworkBastion'));
    expect(policies.map((p) => p.PolicyDocument.Statement)).toEqual([[
      { Action: ['ssmmessages:*', 'ssm:UpdateInstanceInformation', 'ec2messages:*'], Effect: 'Allow', Resource: '*' },
    ]]);
  });

  test('with NAT gateways it adds no endpoint: Session Manager is reached through NAT', () => {
    expect(endpointServices(template)).toEqual([]);
  });

  test('its connections open another security group to it', () => {
    const other = testStack();
    const net = new Network(other, 'Network');
    const bastion = net.addBastion('Bastion');
    const api = new ec2.SecurityGroup(other, 'ClusterApi', { vpc: net.vpc });
    api.connections.allowFrom(bastion, ec2.Port.tcp(443));
    synth(other).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NetworkBastionSecurityGroup'), 'GroupId'] },
    });
  });

  test('instance type, image and volume size can be chosen', () => {
    const { template: custom } = withBastion({}, {
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.NANO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      rootVolumeSizeGiB: 4,
    });
    custom.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.nano',
      BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 4 }) })],
    });
  });
});

describe('addBastion without NAT gateways', () => {
  test('adds the Session Manager endpoints', () => {
    const { template } = withBastion({ preset: NetworkPreset.PRIVATE });
    expect(endpointServices(template)).toEqual([...EksEndpoints.ALL.map((s) => s.shortName), ...SESSION_MANAGER]);
  });

  test('keeps the endpoints the network already has', () => {
    const interfaceEndpoints = [...EksEndpoints.WITHOUT_NAT_MINIMUM, ec2.InterfaceVpcEndpointAwsService.SSM];
    const { template } = withBastion({ natGateways: 0, interfaceEndpoints });
    expect(endpointServices(template)).toEqual(['ecr.api', 'ecr.dkr', 'sts', 'ssm', 'ssmmessages', 'ec2messages']);
  });
});

describe('addBastion validation', () => {
  test.each([1, 2.5, 2000])('rootVolumeSizeGiB %p is refused', (size) => {
    const { network: net } = network();
    expect(() => net.addBastion('Bastion', { rootVolumeSizeGiB: size })).toThrow(`'rootVolumeSizeGiB' must be a whole number of GiB from 2 to 1024, got ${size}`);
  });

  test.each([2, 1024])('rootVolumeSizeGiB %p, at an end of the range, is taken', (size) => {
    const { template } = withBastion({}, { rootVolumeSizeGiB: size });
    template.hasResourceProperties('AWS::EC2::Instance', {
      BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: size }) })],
    });
  });
});

test('cdk-nag AwsSolutions reports nothing unacknowledged, and each acknowledgement has a reason', () => {
  const app = nagApp();
  const stack = new Stack(app, 'Nag', { env: { account: '111111111111', region: 'us-east-1' } });
  const bastion = new Network(stack, 'Network').addBastion('Bastion');
  expect(nagErrors(app)).toEqual([]);
  const acknowledged = acknowledgedRules(bastion);
  expect(Object.keys(acknowledged).sort()).toEqual([
    'AwsSolutions-EC28',
    'AwsSolutions-EC29',
    'AwsSolutions-IAM5[Action::ec2messages:*]',
    'AwsSolutions-IAM5[Action::ssmmessages:*]',
    'AwsSolutions-IAM5[Resource::*]',
  ]);
  expect(Object.entries(acknowledged).filter(([, reason]) => reason.trim() === '')).toEqual([]);
});
