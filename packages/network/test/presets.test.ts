import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EksEndpoints, NetworkPreset } from '../src';
import { expectAllLintClean, network } from './util';
import { applyPreset } from '../src/presets';

describe('presets', () => {
  test.each([
    [NetworkPreset.DEVELOPMENT, 2, 1, 0],
    [NetworkPreset.PRODUCTION, 3, 3, 0],
    [NetworkPreset.PRIVATE, 3, 0, EksEndpoints.ALL.length],
  ])('%s: %d AZs, %d NAT gateways, %d interface endpoints', (preset, azs, nats, endpoints) => {
    // WHEN
    const { template, network: net } = network({ preset });
    // THEN
    expect(net.vpc.availabilityZones).toHaveLength(azs);
    template.resourceCountIs('AWS::EC2::NatGateway', nats);
    expect(net.interfaceEndpoints).toHaveLength(endpoints);
    expect(net.s3Endpoint).toBeDefined();
  });

  test('every preset is covered above', () => {
    expect(Object.values(NetworkPreset)).toEqual([NetworkPreset.DEVELOPMENT, NetworkPreset.PRODUCTION, NetworkPreset.PRIVATE]);
  });

  test('explicit props win over the preset', () => {
    // WHEN
    const { template, network: net } = network({ preset: NetworkPreset.DEVELOPMENT, maxAzs: 3, natGateways: 2 });
    // THEN
    expect(net.vpc.availabilityZones).toHaveLength(3);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  test('an explicit empty endpoint list wins over PRIVATE only with NAT', () => {
    // WHEN
    const settings = applyPreset({ preset: NetworkPreset.PRIVATE, natGateways: 1, interfaceEndpoints: [EksEndpoints.STS] });
    // THEN
    expect(settings).toEqual({ preset: NetworkPreset.PRIVATE, maxAzs: 3, natGateways: 1, interfaceEndpoints: [EksEndpoints.STS] });
  });

  test('a prop left undefined does not erase the preset value', () => {
    expect(applyPreset({ preset: NetworkPreset.DEVELOPMENT, natGateways: undefined }).natGateways).toBe(1);
  });

  test('no preset changes nothing', () => {
    const props = { maxAzs: 2, interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.SSM] };
    expect(applyPreset(props)).toBe(props);
  });
});

test('cfn-lint: every template synthesized in this file is clean', () => {
  expectAllLintClean();
});
