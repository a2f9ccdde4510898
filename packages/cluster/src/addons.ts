import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeManagedPolicies } from './nag';
import { podIdentityRole } from './pod-identity';

/**
 * Versions of the EKS managed add-ons. Each one is pinned so a deploy never upgrades an add-on
 * behind your back; changing a version updates the add-on in place.
 *
 * Check what your cluster version offers with
 * `aws eks describe-addon-versions --kubernetes-version 1.36 --addon-name <name>`.
 */
export interface AddonVersions {
  /**
   * Amazon VPC CNI (`vpc-cni`). Not installed in Auto Mode, which has its own.
   * @default 'v1.21.1-eksbuild.1'
   */
  readonly vpcCni?: string;

  /**
   * CoreDNS (`coredns`). Not installed in Auto Mode.
   * @default - the build pinned for the cluster's Kubernetes version
   */
  readonly coreDns?: string;

  /**
   * kube-proxy (`kube-proxy`); follows the Kubernetes minor version. Not installed in Auto Mode.
   * @default - the build pinned for the cluster's Kubernetes version
   */
  readonly kubeProxy?: string;

  /**
   * EKS Pod Identity Agent (`eks-pod-identity-agent`). Not installed in Auto Mode, which has it built in.
   * @default 'v1.3.10-eksbuild.2'
   */
  readonly podIdentityAgent?: string;

  /**
   * Kubernetes Metrics Server (`metrics-server`), which the HorizontalPodAutoscaler needs.
   * @default 'v0.8.0-eksbuild.2'
   */
  readonly metricsServer?: string;

  /**
   * Amazon EBS CSI driver (`aws-ebs-csi-driver`). Not installed in Auto Mode, which has its own.
   * @default 'v1.57.1-eksbuild.1'
   */
  readonly ebsCsiDriver?: string;
}

/** Pins that follow the Kubernetes minor version. */
const PER_VERSION = new Map<string, { coreDns: string; kubeProxy: string }>([
  ['1.35', { coreDns: 'v1.13.2-eksbuild.3', kubeProxy: 'v1.35.0-eksbuild.2' }],
  ['1.36', { coreDns: 'v1.13.2-eksbuild.3', kubeProxy: 'v1.36.0-eksbuild.1' }],
]);

/** The pinned versions for a Kubernetes version, with the user's overrides applied. */
export function resolveAddonVersions(kubernetesVersion: string, overrides: AddonVersions = {}): Required<AddonVersions> {
  const perVersion = PER_VERSION.get(kubernetesVersion)!;
  return {
    vpcCni: overrides.vpcCni ?? 'v1.21.1-eksbuild.1',
    coreDns: overrides.coreDns ?? perVersion.coreDns,
    kubeProxy: overrides.kubeProxy ?? perVersion.kubeProxy,
    podIdentityAgent: overrides.podIdentityAgent ?? 'v1.3.10-eksbuild.2',
    metricsServer: overrides.metricsServer ?? 'v0.8.0-eksbuild.2',
    ebsCsiDriver: overrides.ebsCsiDriver ?? 'v1.57.1-eksbuild.1',
  };
}

/** The managed add-ons of a cluster, split by whether they need nodes to become healthy. */
export interface ManagedAddons {
  /** Every add-on, by EKS add-on name. */
  readonly all: Record<string, eks.CfnAddon>;
  /** Add-ons that node groups need before they can join (networking, pod identity). */
  readonly beforeNodes: eks.CfnAddon[];
  /** Add-ons whose pods need nodes to run. */
  readonly afterNodes: eks.CfnAddon[];
}

function addon(scope: Construct, id: string, cluster: eks.ICluster, addonName: string, addonVersion: string,
  extra: Partial<eks.CfnAddonProps> = {}): eks.CfnAddon {
  return new eks.CfnAddon(scope, id, {
    clusterName: cluster.clusterName,
    addonName,
    addonVersion,
    // The managed add-on takes over what EKS bootstrapped; later version bumps keep user edits out.
    resolveConflicts: 'OVERWRITE',
    ...extra,
  });
}

/**
 * Installs the managed add-ons. With node groups: vpc-cni, kube-proxy, the Pod Identity Agent, CoreDNS,
 * metrics-server and the EBS CSI driver (IAM through Pod Identity). In Auto Mode EKS runs networking,
 * DNS, storage and the Pod Identity Agent itself, so only metrics-server is added.
 */
export function addManagedAddons(scope: Construct, cluster: eks.ICluster, versions: Required<AddonVersions>, autoMode: boolean): ManagedAddons {
  const metricsServer = addon(scope, 'MetricsServer', cluster, 'metrics-server', versions.metricsServer);
  if (autoMode) {
    return { all: { 'metrics-server': metricsServer }, beforeNodes: [], afterNodes: [metricsServer] };
  }
  // The network policy agent makes Kubernetes NetworkPolicies effective (isolated-by-default workloads rely on it).
  const vpcCni = addon(scope, 'VpcCni', cluster, 'vpc-cni', versions.vpcCni, {
    configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
  });
  const kubeProxy = addon(scope, 'KubeProxy', cluster, 'kube-proxy', versions.kubeProxy);
  const podIdentityAgent = addon(scope, 'PodIdentityAgent', cluster, 'eks-pod-identity-agent', versions.podIdentityAgent);
  const coreDns = addon(scope, 'CoreDns', cluster, 'coredns', versions.coreDns);

  // The add-on associates its own service account with the role: no separate association resource.
  const ebsRole = podIdentityRole(scope, 'EbsCsiDriverRole', 'kube-system/ebs-csi-controller-sa');
  ebsRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEBSCSIDriverPolicy'));
  acknowledgeManagedPolicies(ebsRole, 'AmazonEBSCSIDriverPolicy is the policy AWS maintains for the EBS CSI driver, updated with the driver');
  const ebsCsiDriver = addon(scope, 'EbsCsiDriver', cluster, 'aws-ebs-csi-driver', versions.ebsCsiDriver, {
    podIdentityAssociations: [{ serviceAccount: 'ebs-csi-controller-sa', roleArn: ebsRole.roleArn }],
  });
  return {
    all: {
      'vpc-cni': vpcCni,
      'kube-proxy': kubeProxy,
      'eks-pod-identity-agent': podIdentityAgent,
      'coredns': coreDns,
      'metrics-server': metricsServer,
      'aws-ebs-csi-driver': ebsCsiDriver,
    },
    beforeNodes: [vpcCni, kubeProxy, podIdentityAgent],
    afterNodes: [coreDns, metricsServer, ebsCsiDriver],
  };
}
