import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { NodeGroupOptions } from './capacity';

const DEFAULT_INSTANCE_TYPE = 'm6i.large';
const DEFAULTS = { minSize: 2, maxSize: 4, diskSize: 50 };

/** The node group options with every default filled in, after validation. */
interface ResolvedNodeGroup {
  readonly instanceTypes: ec2.InstanceType[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly diskSize: number;
  readonly amiType: eks.NodegroupAmiType;
}

/** Validates a node group's sizes and instance types, naming the prop and the group in each error. */
export function resolveNodeGroup(options: NodeGroupOptions): ResolvedNodeGroup {
  const where = `node group '${options.name}'`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(options.name)) {
    throw new Error(`'name' of a node group must be 1-63 letters, digits, '-' or '_' starting with a letter or digit, got '${options.name}'`);
  }
  const instanceTypes = options.instanceTypes ?? [new ec2.InstanceType(DEFAULT_INSTANCE_TYPE)];
  if (instanceTypes.length === 0) {
    throw new Error(`'instanceTypes' of ${where} must list at least one instance type, got []`);
  }
  const minSize = options.minSize ?? DEFAULTS.minSize;
  const maxSize = options.maxSize ?? Math.max(DEFAULTS.maxSize, minSize);
  const desiredSize = options.desiredSize ?? minSize;
  const known = (n: number) => !Token.isUnresolved(n);
  if (known(minSize) && minSize < 0) {
    throw new Error(`'minSize' of ${where} must be >= 0, got ${minSize}`);
  }
  if (known(maxSize) && maxSize < 1) {
    throw new Error(`'maxSize' of ${where} must be >= 1, got ${maxSize}`);
  }
  if (known(minSize) && known(maxSize) && minSize > maxSize) {
    throw new Error(`'minSize' of ${where} must be <= maxSize (${maxSize}), got ${minSize}`);
  }
  if (known(desiredSize) && known(minSize) && known(maxSize) && (desiredSize < minSize || desiredSize > maxSize)) {
    throw new Error(`'desiredSize' of ${where} must be between minSize (${minSize}) and maxSize (${maxSize}), got ${desiredSize}`);
  }
  const diskSize = options.diskSize ?? DEFAULTS.diskSize;
  if (known(diskSize) && (diskSize < 20 || diskSize > 16384)) {
    throw new Error(`'diskSize' of ${where} must be between 20 and 16384 GiB, got ${diskSize}`);
  }
  const architectures = new Set(instanceTypes.map((t) => t.architecture));
  if (architectures.size > 1) {
    throw new Error(`'instanceTypes' of ${where} must share one CPU architecture, got ${instanceTypes.map(String).join(', ')}`);
  }
  const arm = instanceTypes[0].architecture === ec2.InstanceArchitecture.ARM_64;
  const amiType = options.amiType ?? (arm ? eks.NodegroupAmiType.AL2023_ARM_64_STANDARD : eks.NodegroupAmiType.AL2023_X86_64_STANDARD);
  return { instanceTypes, minSize, desiredSize, maxSize, diskSize, amiType };
}

/**
 * Adds a managed node group to the cluster in the given subnets, on the cluster's Kubernetes version:
 * a version bump then rolls the nodes in place after the control plane.
 */
export function addManagedNodeGroup(cluster: eks.Cluster, options: NodeGroupOptions, subnets: ec2.SubnetSelection,
  kubernetesVersion: string): eks.Nodegroup {
  const resolved = resolveNodeGroup(options);
  const nodeGroup = cluster.addNodegroupCapacity(options.name, {
    ...resolved,
    subnets,
    capacityType: options.capacityType ?? eks.CapacityType.ON_DEMAND,
    labels: { 'node-group': options.name, ...options.labels },
    taints: options.taints,
    // Replaced nodes are drained first; a third of the group may roll at once.
    maxUnavailablePercentage: 33,
    enableNodeAutoRepair: true,
  });
  // Without a Version, CloudFormation leaves the nodes on the version they were created with.
  (nodeGroup.node.defaultChild as eks.CfnNodegroup).version = kubernetesVersion;
  return nodeGroup;
}
