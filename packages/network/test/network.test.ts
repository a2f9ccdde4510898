import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { nagApp, nagErrors } from '../../../tools/testing/cloudformation';
import { EksEndpoints, Network, NetworkPreset, NetworkProps } from '../src';
import { expectAllLintClean, network, propertiesOf, synth, tagsOf, testStack } from './util';

/** The subnets of one group ('Public' or 'Private'), by the tag CDK puts on them. */
function subnets(template: Template, group: string): Array<Record<string, any>> {
  return propertiesOf(template, 'AWS::EC2::Subnet').filter((s) => tagsOf(s)['aws-cdk:subnet-name'] === group);
}

/** Logical ids of the resources of a type whose logical id contains the fragment. */
function logicalIds(template: Template, type: string, fragment = ''): string[] {
  return Object.keys(template.findResources(type)).filter((id) => id.includes(fragment));
}

describe('defaults', () => {
  // GIVEN / WHEN
  const { network: net, template, stack } = network();

  test('a /16 VPC with DNS support, which EKS needs for private endpoints', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
  });

  test('three public /24 and three private /19 subnets, one of each per AZ', () => {
    const publicSubnets = subnets(template, 'Public');
    const privateSubnets = subnets(template, 'Private');
    expect(publicSubnets.map((s) => s.CidrBlock)).toEqual(['10.0.96.0/24', '10.0.97.0/24', '10.0.98.0/24']);
    expect(privateSubnets.map((s) => s.CidrBlock)).toEqual(['10.0.0.0/19', '10.0.32.0/19', '10.0.64.0/19']);
    expect(new Set(publicSubnets.map((s) => s.AvailabilityZone)).size).toBe(3);
    expect(new Set(privateSubnets.map((s) => s.AvailabilityZone)).size).toBe(3);
    // Nothing gets a public IPv4 address by accident, not even in the public subnets.
    expect([...publicSubnets, ...privateSubnets].map((s) => s.MapPublicIpOnLaunch)).toEqual(Array(6).fill(false));
  });

  test('an internet gateway and one NAT gateway per AZ, each private subnet routed through its own', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    const natRoutes = propertiesOf(template, 'AWS::EC2::Route').filter((r) => r.NatGatewayId);
    expect(natRoutes).toHaveLength(3);
    expect(new Set(natRoutes.map((r) => JSON.stringify(r.NatGatewayId))).size).toBe(3);
    expect(natRoutes.every((r) => r.DestinationCidrBlock === '0.0.0.0/0')).toBe(true);
    const igwRoutes = propertiesOf(template, 'AWS::EC2::Route').filter((r) => r.GatewayId);
    expect(igwRoutes).toHaveLength(3);
  });

  test('the default security group is stripped of its rules', () => {
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', {
      DefaultSecurityGroupId: { 'Fn::GetAtt': [logicalIds(template, 'AWS::EC2::VPC')[0], 'DefaultSecurityGroup'] },
    });
  });

  test('an S3 gateway endpoint on the private route tables only', () => {
    const endpoints = propertiesOf(template, 'AWS::EC2::VPCEndpoint');
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0].VpcEndpointType).toBe('Gateway');
    expect(JSON.stringify(endpoints[0].ServiceName)).toContain('.s3');
    const privateTables = logicalIds(template, 'AWS::EC2::RouteTable', 'Private').map((id) => ({ Ref: id }));
    expect(endpoints[0].RouteTableIds).toEqual(privateTables);
  });

  test('no Kubernetes tags without a cluster name', () => {
    const keys = propertiesOf(template, 'AWS::EC2::Subnet').flatMap((s) => Object.keys(tagsOf(s)));
    expect(keys.filter((k) => k.startsWith('kubernetes.io/'))).toEqual([]);
  });

  test('exposes the VPC, the subnet selections, the flow log and the endpoints', () => {
    expect(net.vpc.publicSubnets).toHaveLength(3);
    expect(net.vpc.selectSubnets(net.publicSubnets).subnets).toEqual(net.vpc.publicSubnets);
    expect(net.vpc.selectSubnets(net.privateSubnets).subnets).toEqual(net.vpc.privateSubnets);
    // By group name, not by type: with natGateways 0 the private subnets are isolated, and a selection by
    // type would have to change with them.
    expect([net.publicSubnets, net.privateSubnets]).toEqual([{ subnetGroupName: 'Public' }, { subnetGroupName: 'Private' }]);
    expect(stack.resolve(net.flowLogGroup?.logGroupName)).toEqual({ Ref: logicalIds(template, 'AWS::Logs::LogGroup')[0] });
    expect(stack.resolve(net.flowLog.flowLogId)).toEqual({ Ref: logicalIds(template, 'AWS::EC2::FlowLog')[0] });
    expect(stack.resolve(net.s3Endpoint?.vpcEndpointId)).toEqual({ Ref: logicalIds(template, 'AWS::EC2::VPCEndpoint')[0] });
    expect(net.interfaceEndpoints).toEqual([]);
  });

  test('no warnings', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('props', () => {
  test('cidr and subnet masks size the VPC and its subnets', () => {
    // GIVEN / WHEN
    const { template } = network({ cidr: '172.16.0.0/20', maxAzs: 2, publicSubnetCidrMask: 26, privateSubnetCidrMask: 22 });
    // THEN
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '172.16.0.0/20' });
    expect(subnets(template, 'Private').map((s) => s.CidrBlock)).toEqual(['172.16.0.0/22', '172.16.4.0/22']);
    expect(subnets(template, 'Public').map((s) => s.CidrBlock)).toEqual(['172.16.8.0/26', '172.16.8.64/26']);
  });

  test('public subnets larger than private ones are allocated first, so no block overlaps', () => {
    // WHEN
    const { template } = network({ maxAzs: 2, publicSubnetCidrMask: 20, privateSubnetCidrMask: 24 });
    // THEN
    expect(subnets(template, 'Public').map((s) => s.CidrBlock)).toEqual(['10.0.0.0/20', '10.0.16.0/20']);
    expect(subnets(template, 'Private').map((s) => s.CidrBlock)).toEqual(['10.0.32.0/24', '10.0.33.0/24']);
  });

  test.each([1, 2, 4, 6])('maxAzs %d gives that many AZs, each with a public and a private subnet', (maxAzs) => {
    // WHEN
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
    stack.node.setContext('availability-zones:account=111111111111:region=us-east-1',
      ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    new Network(stack, 'Network', { maxAzs });
    const template = synth(stack);
    // THEN
    expect(subnets(template, 'Public')).toHaveLength(maxAzs);
    expect(subnets(template, 'Private')).toHaveLength(maxAzs);
    template.resourceCountIs('AWS::EC2::NatGateway', maxAzs);
  });

  test('natGateways 1 routes every private subnet through the single NAT gateway', () => {
    // WHEN
    const { template } = network({ natGateways: 1 });
    // THEN
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::EIP', 1);
    const natIds = propertiesOf(template, 'AWS::EC2::Route').filter((r) => r.NatGatewayId).map((r) => JSON.stringify(r.NatGatewayId));
    expect(natIds).toHaveLength(3);
    expect(new Set(natIds).size).toBe(1);
  });

  test('natGateways 0 with the endpoints leaves the private subnets isolated: no NAT, no default route', () => {
    // WHEN
    const { template, network: net } = network({ natGateways: 0, interfaceEndpoints: EksEndpoints.WITHOUT_NAT_MINIMUM });
    // THEN
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    expect(propertiesOf(template, 'AWS::EC2::Route').filter((r) => r.NatGatewayId)).toEqual([]);
    expect(subnets(template, 'Private').map((s) => tagsOf(s)['aws-cdk:subnet-type'])).toEqual(['Isolated', 'Isolated', 'Isolated']);
    expect(net.vpc.selectSubnets(net.privateSubnets).subnets).toEqual(net.vpc.isolatedSubnets);
  });

  test('clusterName tags the subnets for EKS and the AWS Load Balancer Controller, and nothing else', () => {
    // WHEN
    const { template } = network({ clusterName: 'demo' });
    // THEN
    for (const subnet of subnets(template, 'Public')) {
      expect(tagsOf(subnet)).toMatchObject({ 'kubernetes.io/role/elb': '1', 'kubernetes.io/cluster/demo': 'shared' });
      expect(tagsOf(subnet)['kubernetes.io/role/internal-elb']).toBeUndefined();
    }
    for (const subnet of subnets(template, 'Private')) {
      expect(tagsOf(subnet)).toMatchObject({ 'kubernetes.io/role/internal-elb': '1', 'kubernetes.io/cluster/demo': 'shared' });
      expect(tagsOf(subnet)['kubernetes.io/role/elb']).toBeUndefined();
    }
    const others = ['AWS::EC2::RouteTable', 'AWS::EC2::NatGateway', 'AWS::EC2::VPC', 'AWS::EC2::EIP'].flatMap((t) => propertiesOf(template, t));
    expect(others.flatMap((r) => Object.keys(tagsOf(r))).filter((k) => k.startsWith('kubernetes.io/'))).toEqual([]);
  });

  test('clusterName also tags isolated private subnets', () => {
    // WHEN
    const { template } = network({ clusterName: 'private', preset: NetworkPreset.PRIVATE });
    // THEN
    for (const subnet of subnets(template, 'Private')) {
      expect(tagsOf(subnet)).toMatchObject({ 'kubernetes.io/role/internal-elb': '1', 'kubernetes.io/cluster/private': 'shared' });
    }
  });

  test('s3GatewayEndpoint false leaves the S3 gateway endpoint out', () => {
    // WHEN
    const { template, network: net } = network({ s3GatewayEndpoint: false });
    // THEN
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    expect(net.s3Endpoint).toBeUndefined();
  });

  test.each(EksEndpoints.ALL.map((s) => [s.shortName, s]))('interfaceEndpoints: %s in every private subnet with private DNS', (shortName, service) => {
    // WHEN
    const { template, network: net } = network({ interfaceEndpoints: [service] });
    // THEN
    const privateSubnetRefs = logicalIds(template, 'AWS::EC2::Subnet', 'Private').map((id) => ({ Ref: id }));
    const groupId = logicalIds(template, 'AWS::EC2::SecurityGroup')[0];
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      ServiceName: `com.amazonaws.us-east-1.${shortName}`,
      PrivateDnsEnabled: true,
      SubnetIds: privateSubnetRefs,
      SecurityGroupIds: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }],
    });
    expect(net.interfaceEndpoints).toHaveLength(1);
  });

  test('interface endpoints share one security group: HTTPS from the VPC in, nothing out', () => {
    // WHEN
    const { template } = network({ interfaceEndpoints: EksEndpoints.ALL });
    // THEN
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 8);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface VPC endpoints: the service port from inside the VPC only',
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16', Description: '443 from the VPC' }],
      // CDK's placeholder for "no egress": a rule that matches no traffic.
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' })],
    });
  });
});

describe('addInterfaceEndpoint', () => {
  test('returns the endpoint it adds and lists it', () => {
    // GIVEN
    const stack = testStack();
    const net = new Network(stack, 'Network', { interfaceEndpoints: [EksEndpoints.STS] });
    // WHEN
    const endpoint = net.addInterfaceEndpoint(ec2.InterfaceVpcEndpointAwsService.SSM);
    // THEN
    const template = synth(stack);
    expect(net.interfaceEndpoints).toEqual([net.interfaceEndpoints[0], endpoint]);
    const ssm = Object.entries(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { ServiceName: 'com.amazonaws.us-east-1.ssm' } }));
    expect(ssm).toHaveLength(1);
    expect(stack.resolve(endpoint.vpcEndpointId)).toEqual({ Ref: ssm[0][0] });
  });

  test('refuses a service it already has', () => {
    // GIVEN
    const net = new Network(testStack(), 'Network', { interfaceEndpoints: [EksEndpoints.ECR_API] });
    // WHEN / THEN
    expect(() => net.addInterfaceEndpoint(ec2.InterfaceVpcEndpointAwsService.ECR))
      .toThrow("An interface endpoint for 'ecr.api' already exists in this network: list each service once in 'interfaceEndpoints'");
  });
});

describe('warnings', () => {
  /** The text of each warning on the network. */
  const warningsOf = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => w.entry.data);

  test('an environment-agnostic stack gets two AZs, and a warning says so', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Agnostic');
    // WHEN
    const net = new Network(stack, 'Network');
    // THEN
    synth(stack);
    expect(net.vpc.availabilityZones).toHaveLength(2);
    expect(warningsOf(stack)).toEqual([
      "'maxAzs' is 3 but the VPC spans 2 AZs: an environment-agnostic stack gets at most two; set the stack's env (account and region)"
        + ' [ack: @s3www-eks/network:fewerAzs]',
    ]);
  });

  test('a single AZ is legal for the VPC but not for EKS', () => {
    // WHEN
    const { stack } = network({ maxAzs: 1 });
    // THEN
    expect(warningsOf(stack)).toEqual(["'maxAzs' is 1: EKS requires subnets in at least two AZs [ack: @s3www-eks/network:singleAz]"]);
  });

  test('two AZs, the fewest EKS takes, warn of nothing', () => {
    expect(warningsOf(network({ maxAzs: 2 }).stack)).toEqual([]);
  });
});

describe('tokens', () => {
  test('a cluster name only known at deploy time skips the name check and still tags', () => {
    // GIVEN
    const stack = testStack();
    const name = new CfnParameter(stack, 'ClusterName').valueAsString;
    // WHEN
    new Network(stack, 'Network', { clusterName: name });
    // THEN
    const tags = propertiesOf(synth(stack), 'AWS::EC2::Subnet').flatMap((s) => (s.Tags as Array<{ Key: unknown }>).map((t) => t.Key));
    expect(tags).toContainEqual({ 'Fn::Join': ['', ['kubernetes.io/cluster/', { Ref: 'ClusterName' }]] });
  });
});

describe('cdk-nag AwsSolutions', () => {
  const configurations: Array<[string, NetworkProps]> = [
    ['defaults', {}],
    ['development', { preset: NetworkPreset.DEVELOPMENT, clusterName: 'dev' }],
    ['private', { preset: NetworkPreset.PRIVATE, clusterName: 'private' }],
  ];
  test.each(configurations)('%s: no unacknowledged error', (_name, props) => {
    // GIVEN
    const app = nagApp();
    new Network(testStack(app), 'Network', props);
    // WHEN
    const errors = nagErrors(app);
    // THEN
    expect(errors).toEqual([]);
  });

  test('the check can fail: a VPC without flow logs is reported (VPC7)', () => {
    // GIVEN
    const app = nagApp();
    new ec2.Vpc(testStack(app), 'Bare', { restrictDefaultSecurityGroup: true });
    // WHEN / THEN
    expect(nagErrors(app).map((e) => e.rule)).toEqual(['AwsSolutions-VPC7']);
  });
});

test('cfn-lint: every template synthesized in this file is clean', () => {
  expectAllLintClean();
});
