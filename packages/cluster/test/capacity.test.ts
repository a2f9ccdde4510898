import { Match, Template } from 'aws-cdk-lib/assertions';
import { AutoModeNodePool, Capacity, CapacityMode } from '../src';
import { addContent, clusterStack, helmReleases, manifests } from './fixtures';

describe('Capacity', () => {
  test('nodeGroups keeps the groups in order', () => {
    const capacity = Capacity.nodeGroups({ name: 'a' }, { name: 'b' });
    expect(capacity.mode).toBe(CapacityMode.NODE_GROUPS);
    expect(capacity.groups.map((g) => g.name)).toEqual(['a', 'b']);
    expect(capacity.autoModeOptions).toBeUndefined();
  });

  test('autoMode has no groups', () => {
    const capacity = Capacity.autoMode({ nodePools: [AutoModeNodePool.SYSTEM] });
    expect(capacity.mode).toBe(CapacityMode.AUTO_MODE);
    expect(capacity.groups).toEqual([]);
    expect(capacity.autoModeOptions).toEqual({ nodePools: [AutoModeNodePool.SYSTEM] });
  });
});

describe('Auto Mode', () => {
  let template: Template;
  beforeAll(() => {
    const { stack, cluster } = clusterStack({ capacity: Capacity.autoMode() });
    addContent(stack, cluster);
    template = Template.fromStack(stack);
  });

  test('enables compute, block storage and load balancing with both node pools', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ComputeConfig: { Enabled: true, NodePools: ['system', 'general-purpose'], NodeRoleArn: Match.anyValue() },
      StorageConfig: { BlockStorage: { Enabled: true } },
      KubernetesNetworkConfig: { ElasticLoadBalancing: { Enabled: true } },
      BootstrapSelfManagedAddons: false,
    });
  });

  test('has no node group, Cluster Autoscaler or load balancer controller: Auto Mode has them built in', () => {
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    expect(Object.keys(helmReleases(template))).toEqual(['external-secrets']);
  });

  test('adds only metrics-server of the managed add-ons', () => {
    template.resourceCountIs('AWS::EKS::Addon', 1);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'metrics-server' });
  });

  test('serves the alb Ingress class and the gp3 StorageClass through Auto Mode', () => {
    const objects = manifests(template);
    expect(objects).toContainEqual(expect.objectContaining({ kind: 'IngressClass', spec: expect.objectContaining({ controller: 'eks.amazonaws.com/alb' }) }));
    expect(objects).toContainEqual(expect.objectContaining({ kind: 'StorageClass', provisioner: 'ebs.csi.eks.amazonaws.com' }));
  });

  test.each(Object.values(AutoModeNodePool))('can run with only the %s node pool', (pool) => {
    const { stack } = clusterStack({ capacity: Capacity.autoMode({ nodePools: [pool] }) });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: { Enabled: true, NodePools: [pool] } });
  });
});
