import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';

/** How the cluster gets its worker nodes. */
export enum CapacityMode {
  /** EKS managed node groups in the private subnets, scaled by the Cluster Autoscaler. */
  NODE_GROUPS = 'NODE_GROUPS',
  /** EKS Auto Mode: EKS provisions, scales and patches the nodes itself. */
  AUTO_MODE = 'AUTO_MODE',
}

/** The node pools EKS Auto Mode manages. */
export enum AutoModeNodePool {
  /** Nodes for cluster-critical add-ons, tainted `CriticalAddonsOnly`. */
  SYSTEM = 'system',
  /** Nodes for general workloads. */
  GENERAL_PURPOSE = 'general-purpose',
}

/** A managed node group. Every field except `name` changes the node group in place. */
export interface NodeGroupOptions {
  /**
   * Name of the node group inside this construct (its construct id and a `node-group` label on its nodes).
   * Renaming a node group replaces it.
   */
  readonly name: string;

  /**
   * Instance types; more than one lets SPOT capacity draw on several pools.
   * Changing the list replaces the node group.
   * @default - [m6i.large]
   */
  readonly instanceTypes?: ec2.InstanceType[];

  /**
   * Minimum number of nodes.
   * @default 2
   */
  readonly minSize?: number;

  /**
   * Number of nodes when the node group is created; the Cluster Autoscaler moves it afterwards.
   * @default - minSize
   */
  readonly desiredSize?: number;

  /**
   * Maximum number of nodes the Cluster Autoscaler may scale to.
   * @default 4
   */
  readonly maxSize?: number;

  /**
   * Root volume size in GiB. Changing it replaces the node group.
   * @default 50
   */
  readonly diskSize?: number;

  /**
   * AMI type. Changing it replaces the node group.
   * @default - AL2023 standard for the architecture of the first instance type
   */
  readonly amiType?: eks.NodegroupAmiType;

  /**
   * ON_DEMAND or SPOT. Changing it replaces the node group.
   * @default eks.CapacityType.ON_DEMAND
   */
  readonly capacityType?: eks.CapacityType;

  /**
   * Kubernetes labels on the nodes (a `node-group` label with the name is always added).
   * @default - only the `node-group` label
   */
  readonly labels?: Record<string, string>;

  /**
   * Kubernetes taints on the nodes.
   * @default - no taints
   */
  readonly taints?: eks.TaintSpec[];
}

/** Options of EKS Auto Mode. */
export interface AutoModeOptions {
  /**
   * The built-in node pools to enable.
   * @default [AutoModeNodePool.SYSTEM, AutoModeNodePool.GENERAL_PURPOSE]
   */
  readonly nodePools?: AutoModeNodePool[];
}

/**
 * Where the cluster's worker nodes come from: managed node groups or EKS Auto Mode.
 *
 * @example
 * Capacity.nodeGroups({ name: 'general', minSize: 2, maxSize: 6 });
 * Capacity.autoMode();
 */
export class Capacity {
  /** Managed node groups in the private subnets, scaled by the Cluster Autoscaler. */
  public static nodeGroups(...groups: NodeGroupOptions[]): Capacity {
    return new Capacity(CapacityMode.NODE_GROUPS, groups, undefined);
  }

  /** EKS Auto Mode: EKS provisions and scales nodes; node groups cannot be added. */
  public static autoMode(options: AutoModeOptions = {}): Capacity {
    return new Capacity(CapacityMode.AUTO_MODE, [], options);
  }

  /** The capacity mode. */
  public readonly mode: CapacityMode;

  /** The node groups to create (empty in Auto Mode). */
  public readonly groups: NodeGroupOptions[];

  /** The Auto Mode options (undefined for node groups). */
  public readonly autoModeOptions?: AutoModeOptions;

  private constructor(mode: CapacityMode, groups: NodeGroupOptions[], autoModeOptions: AutoModeOptions | undefined) {
    this.mode = mode;
    this.groups = groups;
    this.autoModeOptions = autoModeOptions;
  }
}
