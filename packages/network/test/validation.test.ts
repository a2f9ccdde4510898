import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EksEndpoints, Network, NetworkProps } from '../src';
import { testStack } from './util';

/** The error the constructor throws for these props. */
function errorFor(props: NetworkProps): () => Network {
  return () => new Network(testStack(), 'Network', props);
}

describe('validation', () => {
  describe('cidr', () => {
    test('a missing mask suggests one', () => {
      expect(errorFor({ cidr: '10.1.0.0' }))
        .toThrow("'cidr' must be an IPv4 CIDR block with a prefix length, got '10.1.0.0': add a mask, e.g. '10.1.0.0/16'");
    });

    test.each(['10.0.0/16', 'ten.0.0.0/16', '10.0.0.256/16', '300.0.0.0/16', '10.0.0.0/16/1', ''])('malformed %p', (cidr) => {
      expect(errorFor({ cidr })).toThrow(
        `'cidr' must be an IPv4 CIDR block such as '10.0.0.0/16' (four numbers 0-255 and a prefix length from /16 to /28), got '${cidr}'`,
      );
    });

    test.each([[8], [15], [29]])('prefix length /%d is outside what AWS allows', (mask) => {
      expect(errorFor({ cidr: `10.0.0.0/${mask}` }))
        .toThrow(`'cidr' prefix length must be between /16 and /28 (the VPC sizes AWS allows), got /${mask} in '10.0.0.0/${mask}'`);
    });

    test.each(['x10.0.0.0/16', 'cidr 10.0.0.0/16', '10.0.0.0/16x'])('text around the block is refused: %p', (cidr) => {
      expect(errorFor({ cidr })).toThrow('\'cidr\' must be an IPv4 CIDR block such as \'10.0.0.0/16\'');
    });

    test('a missing mask is suggested on the block without its blanks', () => {
      expect(errorFor({ cidr: ' 10.1.0.0 ' }))
        .toThrow("'cidr' must be an IPv4 CIDR block with a prefix length, got ' 10.1.0.0 ': add a mask, e.g. '10.1.0.0/16'");
    });

    test('/28, the smallest VPC AWS allows, passes the prefix check and is then too small for two subnets an AZ', () => {
      expect(errorFor({ cidr: '10.0.0.0/28', maxAzs: 1, publicSubnetCidrMask: 28, privateSubnetCidrMask: 28 })).toThrow(
        "The subnets do not fit in 'cidr' 10.0.0.0/28: 1 AZs x (public /28 + private /28) need 32 addresses, the VPC has 16",
      );
    });

    test('subnets that fill the VPC exactly fit, and an octet may be 255', () => {
      const stack = testStack();
      new Network(stack, 'Network', { cidr: '10.255.0.128/25', maxAzs: 2, publicSubnetCidrMask: 27, privateSubnetCidrMask: 27 });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.255.0.128/25' });
      template.resourceCountIs('AWS::EC2::Subnet', 4);
    });

    test('every octet may have up to three digits', () => {
      const stack = testStack();
      new Network(stack, 'Network', { cidr: ' 100.100.100.128/25 ', maxAzs: 2, publicSubnetCidrMask: 28, privateSubnetCidrMask: 28 });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '100.100.100.128/25' });
    });

    test('host bits set suggest the network address', () => {
      expect(errorFor({ cidr: '10.0.1.7/16' })).toThrow("'cidr' has host bits set beyond its /16 prefix, got '10.0.1.7/16': use '10.0.0.0/16'");
    });
  });

  describe('maxAzs', () => {
    test.each([0, -1, 7, 2.5])('%p is outside 1-6', (maxAzs) => {
      expect(errorFor({ maxAzs })).toThrow(`'maxAzs' must be an integer between 1 and 6, got ${maxAzs}`);
    });
  });

  describe('natGateways', () => {
    test('more NAT gateways than AZs', () => {
      expect(errorFor({ maxAzs: 2, natGateways: 3 })).toThrow("'natGateways' must be an integer between 0 and 'maxAzs' (2), got 3");
    });

    test('a negative count', () => {
      expect(errorFor({ natGateways: -1 })).toThrow("'natGateways' must be an integer between 0 and 'maxAzs' (3), got -1");
    });

    test('0 without the endpoints EKS nodes need names the missing ones', () => {
      expect(errorFor({ natGateways: 0, interfaceEndpoints: [EksEndpoints.ECR_API] })).toThrow(
        "'natGateways' is 0, so the private subnets have no route to the internet and nodes need VPC endpoints to pull images and assume roles; " +
        "missing: 'ecr.dkr' in 'interfaceEndpoints', 'sts' in 'interfaceEndpoints' (use EksEndpoints.ALL), or set 'natGateways' between 1 and 'maxAzs'",
      );
    });

    test('0 without the S3 gateway endpoint, which image layers come through', () => {
      expect(errorFor({ natGateways: 0, interfaceEndpoints: EksEndpoints.ALL, s3GatewayEndpoint: false })).toThrow(
        "missing: 's3GatewayEndpoint: true' (use EksEndpoints.ALL)",
      );
    });
  });

  describe('subnet sizes', () => {
    test.each([
      ['publicSubnetCidrMask', 29],
      ['privateSubnetCidrMask', 15],
    ])('%s %d is outside the VPC prefix to /28', (prop, mask) => {
      expect(errorFor({ [prop]: mask })).toThrow(`'${prop}' must be an integer between 16 (the size of 'cidr' 10.0.0.0/16) and 28, got ${mask}`);
    });

    test('a subnet larger than the VPC', () => {
      expect(errorFor({ cidr: '10.0.0.0/20', privateSubnetCidrMask: 19 }))
        .toThrow("'privateSubnetCidrMask' must be an integer between 20 (the size of 'cidr' 10.0.0.0/20) and 28, got 19");
    });

    test('subnets that do not all fit', () => {
      expect(errorFor({ cidr: '10.0.0.0/18', privateSubnetCidrMask: 19 })).toThrow(
        "The subnets do not fit in 'cidr' 10.0.0.0/18: 3 AZs x (public /24 + private /19) need 25344 addresses, the VPC has 16384; " +
        "use a larger 'cidr', fewer 'maxAzs' or higher 'publicSubnetCidrMask'/'privateSubnetCidrMask'",
      );
    });
  });

  describe('clusterName', () => {
    test.each(['', '-starts-with-dash', '_underscore', 'has space', 'dots.not.allowed', 'x'.repeat(101)])('%p breaks the EKS rule', (clusterName) => {
      expect(errorFor({ clusterName })).toThrow(
        "'clusterName' must be 1-100 characters, start with a letter or digit and contain only letters, digits, '-' and '_' " +
        `(the EKS cluster name rule ^[0-9A-Za-z][A-Za-z0-9\\-_]*$), got '${clusterName}'`,
      );
    });

    test.each(['a', '0cluster', 'My_Cluster-1', 'x'.repeat(100)])('%p is accepted', (clusterName) => {
      expect(errorFor({ clusterName })).not.toThrow();
    });
  });

  describe('flowLogs', () => {
    test('a retention CloudWatch Logs does not offer', () => {
      expect(errorFor({ flowLogs: { retention: 42 as logs.RetentionDays } })).toThrow(
        /^'flowLogs.retention' must be a number of days CloudWatch Logs accepts \(1, 3, 5, 7, 14, 30, .*, 3653, 9999\), got 42$/,
      );
    });
  });

  test('a service listed twice in interfaceEndpoints', () => {
    expect(errorFor({ interfaceEndpoints: [EksEndpoints.STS, ec2.InterfaceVpcEndpointAwsService.STS] }))
      .toThrow("An interface endpoint for 'sts' already exists in this network: list each service once in 'interfaceEndpoints'");
  });

  test('an unknown preset lists the known ones', () => {
    expect(errorFor({ preset: 'CHEAP' as any })).toThrow("'preset' must be one of DEVELOPMENT, PRODUCTION, PRIVATE, got 'CHEAP'");
  });

  test.each<[string, NetworkProps]>([
    ['maxAzs', { maxAzs: 0 }],
    ['clusterName', { clusterName: '-' }],
    ['interfaceEndpoints', { interfaceEndpoints: [EksEndpoints.STS, EksEndpoints.STS] }],
    ['flowLogs', { flowLogs: { keyPrefix: 'vpc/' } }],
  ])('a bad %s creates no VPC', (_prop, props) => {
    // GIVEN
    const stack = testStack();
    // WHEN
    expect(() => new Network(stack, 'Network', props)).toThrow();
    // THEN
    expect(stack.node.findAll().filter((c) => c instanceof ec2.Vpc)).toEqual([]);
  });
});
