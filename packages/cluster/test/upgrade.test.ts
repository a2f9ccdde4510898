import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Capacity, ClusterProps } from '../src';
import { addContent, clusterStack } from './fixtures';

/**
 * Properties whose change makes CloudFormation replace the resource ("Update requires: Replacement"
 * in the CloudFormation resource reference), by resource type.
 */
const REPLACING: Record<string, string[]> = {
  'AWS::EKS::Cluster': [
    'Name', 'RoleArn', 'ResourcesVpcConfig.SubnetIds', 'ResourcesVpcConfig.SecurityGroupIds', 'EncryptionConfig',
    'KubernetesNetworkConfig.ServiceIpv4Cidr', 'KubernetesNetworkConfig.IpFamily', 'AccessConfig.BootstrapClusterCreatorAdminPermissions',
    'BootstrapSelfManagedAddons', 'OutpostConfig',
  ],
  'AWS::EKS::Nodegroup': ['ClusterName', 'NodegroupName', 'NodeRole', 'Subnets', 'AmiType', 'InstanceTypes', 'CapacityType', 'DiskSize', 'RemoteAccess'],
  'AWS::EKS::Addon': ['AddonName', 'ClusterName'],
  'AWS::EKS::PodIdentityAssociation': ['ClusterName', 'Namespace', 'ServiceAccount'],
  'AWS::EKS::AccessEntry': ['ClusterName', 'PrincipalArn'],
};

function get(obj: any, path: string): unknown {
  return path.split('.').reduce((o, key) => (o === undefined ? undefined : o[key]), obj);
}

function synth(props: Partial<ClusterProps>): Record<string, any> {
  const { stack, cluster } = clusterStack(props);
  addContent(stack, cluster);
  return Template.fromStack(stack).toJSON().Resources;
}

function ofType(resources: Record<string, any>, type: string): Record<string, any> {
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === type));
}

describe.each([
  ['a Kubernetes version bump', { version: eks.KubernetesVersion.V1_35 }, { version: eks.KubernetesVersion.V1_36 }],
  ['a node group resize', {}, { capacity: Capacity.nodeGroups({ name: 'default', minSize: 3, desiredSize: 4, maxSize: 8 }) }],
])('upgrade safety: %s', (_, before, after) => {
  let oldResources: Record<string, any>;
  let newResources: Record<string, any>;
  beforeAll(() => {
    oldResources = synth(before);
    newResources = synth(after);
  });

  test.each(Object.keys(REPLACING))('%s keeps its logical ids and every replacement-forcing property', (type) => {
    const oldOfType = ofType(oldResources, type);
    const newOfType = ofType(newResources, type);
    expect(Object.keys(oldOfType).length).toBeGreaterThan(0);
    expect(Object.keys(newOfType).sort()).toEqual(Object.keys(oldOfType).sort());
    for (const [id, resource] of Object.entries(oldOfType)) {
      for (const path of REPLACING[type]) {
        expect({ id, path, value: get(newOfType[id].Properties, path) }).toEqual({ id, path, value: get(resource.Properties, path) });
      }
    }
  });

  test('the change itself is in the template, as an in-place update', () => {
    const cluster = (r: Record<string, any>) => Object.values(ofType(r, 'AWS::EKS::Cluster'))[0].Properties;
    const nodeGroup = (r: Record<string, any>) => Object.values(ofType(r, 'AWS::EKS::Nodegroup'))[0].Properties;
    const versionBumped = cluster(oldResources).Version !== cluster(newResources).Version;
    const resized = JSON.stringify(nodeGroup(oldResources).ScalingConfig) !== JSON.stringify(nodeGroup(newResources).ScalingConfig);
    expect(versionBumped !== resized).toBe(true);
    // Node groups follow the control plane's version (Version updates roll the nodes in place).
    expect(nodeGroup(newResources).Version).toBe(cluster(newResources).Version);
    expect(nodeGroup(oldResources).Version).toBe(cluster(oldResources).Version);
  });
});

describe('version bump', () => {
  test('moves kube-proxy with the cluster', () => {
    const older = synth({ version: eks.KubernetesVersion.V1_35 });
    const newer = synth({ version: eks.KubernetesVersion.V1_36 });
    const addon = (r: Record<string, any>, name: string) => Object.values(ofType(r, 'AWS::EKS::Addon')).find((a) => a.Properties.AddonName === name).Properties.AddonVersion;
    expect([addon(older, 'kube-proxy'), addon(newer, 'kube-proxy')]).toEqual(['v1.35.0-eksbuild.2', 'v1.36.0-eksbuild.1']);
  });
});

describe('upgrade safety: turning every operations option on', () => {
  test('keeps every existing resource of the replacement-sensitive types, with the same replacement-forcing properties', () => {
    // GIVEN
    const oldResources = synth({});

    // WHEN
    const newResources = synth({
      containerLogs: {},
      monitoring: {},
      backup: {},
      budget: { monthlyLimitUsd: 100, emails: ['ops@example.com'] },
      costTags: { project: 's3www', environment: 'prod', costCenter: 'cc-1' },
    });

    // THEN
    for (const type of Object.keys(REPLACING)) {
      for (const [id, resource] of Object.entries(ofType(oldResources, type))) {
        expect(newResources[id]?.Type).toBe(type);
        for (const path of REPLACING[type]) {
          expect({ id, path, value: get(newResources[id].Properties, path) }).toEqual({ id, path, value: get(resource.Properties, path) });
        }
      }
    }
    expect(Object.keys(ofType(newResources, 'AWS::EKS::Addon'))).toHaveLength(Object.keys(ofType(oldResources, 'AWS::EKS::Addon')).length + 1);
  });
});
