import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Capacity, NodeGroupOptions } from '../src';
import { clusterStack } from './fixtures';

const NODEGROUP = 'AWS::EKS::Nodegroup';

describe('node groups', () => {
  let template: Template;
  beforeAll(() => {
    const { stack } = clusterStack({
      capacity: Capacity.nodeGroups(
        { name: 'default' },
        {
          name: 'batch',
          instanceTypes: [new ec2.InstanceType('m7g.large'), new ec2.InstanceType('c7g.large')],
          minSize: 0,
          desiredSize: 1,
          maxSize: 10,
          diskSize: 100,
          capacityType: eks.CapacityType.SPOT,
          labels: { workload: 'batch' },
          taints: [{ key: 'batch', value: 'true', effect: eks.TaintEffect.NO_SCHEDULE }],
        },
      ),
    });
    template = Template.fromStack(stack);
  });

  test('defaults to two to four on-demand m6i.large AL2023 nodes with 50 GiB disks in the private subnets', () => {
    template.hasResourceProperties(NODEGROUP, {
      Version: '1.36',
      InstanceTypes: ['m6i.large'],
      ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 4 },
      DiskSize: 50,
      AmiType: 'AL2023_x86_64_STANDARD',
      CapacityType: 'ON_DEMAND',
      Labels: { 'node-group': 'default' },
      Subnets: [Match.objectLike({ Ref: Match.stringLikeRegexp('VpcPrivateSubnet1') }), Match.anyValue(), Match.anyValue()],
      UpdateConfig: { MaxUnavailablePercentage: 33 },
      NodeRepairConfig: { Enabled: true },
    });
  });

  test('takes instance types, sizes, disk, SPOT, labels and taints, and picks the ARM AMI for Graviton', () => {
    template.hasResourceProperties(NODEGROUP, {
      InstanceTypes: ['m7g.large', 'c7g.large'],
      ScalingConfig: { MinSize: 0, DesiredSize: 1, MaxSize: 10 },
      DiskSize: 100,
      AmiType: 'AL2023_ARM_64_STANDARD',
      CapacityType: 'SPOT',
      Labels: { 'node-group': 'batch', 'workload': 'batch' },
      Taints: [{ Key: 'batch', Value: 'true', Effect: 'NO_SCHEDULE' }],
    });
  });

  test('joins after networking and before DNS, metrics and storage add-ons', () => {
    const groups = template.findResources(NODEGROUP);
    for (const group of Object.values(groups)) {
      for (const addon of ['ClusterVpcCni', 'ClusterKubeProxy', 'ClusterPodIdentityAgent']) {
        expect((group.DependsOn as string[]).some((d) => d.startsWith(addon))).toBe(true);
      }
    }
    const [coreDns] = Object.values(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'coredns' } }));
    expect((coreDns.DependsOn as string[]).filter((d) => d.startsWith('ClusterNodegroup') && !d.includes('Role'))).toHaveLength(2);
  });

  test('addNodeGroup adds a group to a node group cluster', () => {
    // GIVEN
    const { stack, cluster } = clusterStack();

    // WHEN
    const group = cluster.addNodeGroup({ name: 'extra', amiType: eks.NodegroupAmiType.BOTTLEROCKET_X86_64 });

    // THEN
    Template.fromStack(stack).resourceCountIs(NODEGROUP, 2);
    Template.fromStack(stack).hasResourceProperties(NODEGROUP, { AmiType: 'BOTTLEROCKET_x86_64', Labels: { 'node-group': 'extra' } });
    expect(cluster.nodeGroups).toContain(group);
  });
});

describe('validation', () => {
  const cases: Array<[string, NodeGroupOptions, string]> = [
    ['min > max', { name: 'web', minSize: 5, maxSize: 3 }, "'minSize' of node group 'web' must be <= maxSize (3), got 5"],
    ['desired < min', { name: 'web', minSize: 2, desiredSize: 1, maxSize: 3 }, "'desiredSize' of node group 'web' must be between minSize (2) and maxSize (3), got 1"],
    ['desired > max', { name: 'web', minSize: 1, desiredSize: 4, maxSize: 3 }, "'desiredSize' of node group 'web' must be between minSize (1) and maxSize (3), got 4"],
    ['empty instance types', { name: 'web', instanceTypes: [] }, "'instanceTypes' of node group 'web' must list at least one instance type, got []"],
    ['mixed architectures', { name: 'web', instanceTypes: [new ec2.InstanceType('m6i.large'), new ec2.InstanceType('m7g.large')] },
      "'instanceTypes' of node group 'web' must share one CPU architecture, got m6i.large, m7g.large"],
    ['negative min', { name: 'web', minSize: -1 }, "'minSize' of node group 'web' must be >= 0, got -1"],
    ['zero max', { name: 'web', minSize: 0, maxSize: 0 }, "'maxSize' of node group 'web' must be >= 1, got 0"],
    ['tiny disk', { name: 'web', diskSize: 10 }, "'diskSize' of node group 'web' must be between 20 and 16384 GiB, got 10"],
    ['bad name', { name: 'web group' }, "'name' of a node group must be 1-63 letters, digits, '-' or '_' starting with a letter or digit, got 'web group'"],
  ];

  test.each(cases)('rejects %s', (_, options, message) => {
    expect(() => clusterStack({ capacity: Capacity.nodeGroups(options) })).toThrow(message);
  });

  test('a dev node group can scale to zero', () => {
    // GIVEN / WHEN
    const { stack } = clusterStack({ capacity: Capacity.nodeGroups({ name: 'dev', minSize: 0, desiredSize: 0, maxSize: 2 }) });

    // THEN
    Template.fromStack(stack).hasResourceProperties(NODEGROUP, { ScalingConfig: { MinSize: 0, DesiredSize: 0, MaxSize: 2 } });
  });

  test('a larger minSize raises the default maxSize with it', () => {
    const { stack } = clusterStack({ capacity: Capacity.nodeGroups({ name: 'big', minSize: 6 }) });
    Template.fromStack(stack).hasResourceProperties(NODEGROUP, { ScalingConfig: { MinSize: 6, DesiredSize: 6, MaxSize: 6 } });
  });
});
