/**
 * The shape of one deployment environment of the reference system, and the checks that keep a
 * hand-edited environment from reaching CloudFormation or Kubernetes with a value that cannot work.
 * The libraries validate their own props; these checks cover what only the app knows, such as
 * NAT gateways against zones, or MinIO pods against the nodes that must hold them apart.
 */
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Size } from 'cdk8s';
import { ContainerResources } from 'cdk8s-plus-33';

/** The environments the reference app knows, chosen with `-c env=NAME`. */
export enum EnvironmentName {
  DEV = 'dev',
  STAGING = 'staging',
  PROD = 'prod',
}

/** How MinIO runs: one pod, or an erasure-coded set of pods spread across zones. */
export enum MinioMode {
  /** One pod and one volume: no redundancy, lowest cost. */
  STANDALONE = 'standalone',
  /** A StatefulSet of at least four drives in total, pods spread across zones. */
  DISTRIBUTED = 'distributed',
}

/** The VPC of an environment. */
export interface NetworkSettings {
  /** IPv4 CIDR of the VPC. */
  readonly cidr: string;
  /** Availability Zones the subnets (and therefore the nodes and MinIO pods) spread across. */
  readonly maxAzs: number;
  /** NAT gateways: 1 is the cost-saving choice, one per AZ survives the loss of a zone. */
  readonly natGateways: number;
  /** How long the VPC flow logs are kept. */
  readonly flowLogRetention: RetentionDays;
}

/** The managed node group of an environment. */
export interface NodeSettings {
  /** EC2 instance types, first choice first. */
  readonly instanceTypes: string[];
  /** Fewest nodes; the Cluster Autoscaler never goes below it. */
  readonly minSize: number;
  /** Nodes at creation; the Cluster Autoscaler moves it afterwards. */
  readonly desiredSize: number;
  /** Most nodes the Cluster Autoscaler may add. */
  readonly maxSize: number;
  /** Root volume size of a node, in GiB. */
  readonly diskSizeGiB: number;
}

/** MinIO in an environment. */
export interface MinioSettings {
  /** Standalone or distributed. */
  readonly mode: MinioMode;
  /** Pods of the StatefulSet: 1 when standalone. In distributed mode each pod needs a node of its own. */
  readonly replicas: number;
  /** Drives (volume claims) per pod. */
  readonly drivesPerReplica: number;
  /** Size of each drive (an EBS gp3 volume on EKS). */
  readonly driveSize: Size;
  /** Requests and limits of the MinIO container. */
  readonly resources: ContainerResources;
}

/** The HorizontalPodAutoscaler of the web tier. */
export interface AutoscalingSettings {
  /** Fewest s3www pods. */
  readonly minReplicas: number;
  /** Most s3www pods. */
  readonly maxReplicas: number;
  /** Average CPU utilisation, in percent of the request, the autoscaler aims at. */
  readonly targetCpuPercent: number;
}

/** The s3www web tier in an environment. */
export interface S3wwwSettings {
  /** Replicas when there is no autoscaler; ignored when there is one (it owns the count). */
  readonly replicas: number;
  /** Present: an HPA scales the Deployment between its bounds. */
  readonly autoscaling?: AutoscalingSettings;
  /** Pods a voluntary disruption (drain, upgrade) may take down at once, enforced by a PodDisruptionBudget. */
  readonly maxUnavailable: number;
  /** Requests and limits of the s3www container. */
  readonly resources: ContainerResources;
}

/** One file the seed job downloads into the bucket. */
export interface SeedFile {
  /** http(s) URL of the file. */
  readonly url: string;
  /** Object key; the URL's file name when absent. */
  readonly key?: string;
}

/**
 * The operations options of the libraries (monitoring, container logs, backups) an environment
 * switches on. Each is on when present. See docs/operations.md.
 */
export interface OperationsSettings {
  /**
   * Present: kube-prometheus-stack and the blackbox exporter on the cluster, MinIO's ServiceMonitor,
   * alerts and dashboard, and s3www's blackbox probe, alerts and dashboard; Prometheus keeps samples this long.
   */
  readonly prometheusRetention?: Duration;
  /** Present: container logs in CloudWatch Logs (the observability add-on), kept this long. */
  readonly containerLogRetention?: RetentionDays;
  /** Present: daily AWS Backup snapshots of the MinIO volumes, kept this long. */
  readonly backupRetention?: Duration;
  /**
   * Present: every recovery point is also copied to a vault in the disaster recovery region
   * (`-c drRegion=...`, default {@link DEFAULT_DR_REGION}) and kept there this long. Needs `backupRetention`.
   */
  readonly backupCopyRetention?: Duration;
}

/** The region recovery points are copied to when `-c drRegion` names none. */
export const DEFAULT_DR_REGION = 'us-west-2';

/** Everything that differs between dev, staging and prod. */
export interface EnvironmentConfig {
  /** The name given with `-c env`; also in the stack name `s3www-eks-<name>`. */
  readonly name: EnvironmentName;
  /** Name of the EKS cluster; also tags the subnets for the load balancer controller. */
  readonly clusterName: string;
  /** The VPC. */
  readonly network: NetworkSettings;
  /** The managed node group. */
  readonly nodes: NodeSettings;
  /** MinIO. */
  readonly minio: MinioSettings;
  /** The web tier. */
  readonly s3www: S3wwwSettings;
  /** How long the EKS control plane logs are kept. */
  readonly controlPlaneLogRetention: RetentionDays;
  /** Files the seed job puts into the bucket. */
  readonly seed: SeedFile[];
  /** Cost centre written, with project and environment, on every AWS resource and EBS volume of the cluster. */
  readonly costCenter: string;
  /**
   * Monthly AWS Budgets limit in USD, alerted at 80% and 100% of actual cost to the environment's
   * notification topic (and through it the e-mails of `-c alertEmails`). Always on.
   */
  readonly monthlyBudgetUsd: number;
  /** The operations options switched on; none when absent. */
  readonly operations?: OperationsSettings;
  /** Kubernetes namespace of the workload. */
  readonly namespace: string;
  /** Bucket s3www serves. */
  readonly bucket: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Throws on the first value of the environment that cannot work, naming the environment,
 * the setting, the actual value and what is allowed.
 */
export function validateEnvironmentConfig(config: EnvironmentConfig): void {
  const fail = (setting: string, actual: unknown, allowed: string): never => {
    throw new Error(`environment '${config.name}': '${setting}' ${allowed}, got ${JSON.stringify(actual)}`);
  };
  const range = (setting: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) fail(setting, value, `must be an integer between ${min} and ${max}`);
  };
  const pattern = (setting: string, value: string, re: RegExp, allowed: string) => {
    if (!re.test(value)) fail(setting, value, allowed);
  };

  pattern('clusterName', config.clusterName, CLUSTER_NAME, 'must start with a letter or digit and hold at most 100 letters, digits, - or _');
  // The site's load balancer is named <clusterName>-site, and ALB names have at most 32 characters.
  if (config.clusterName.length > 27) fail('clusterName', config.clusterName, 'must hold at most 27 characters, so that the load balancer name <clusterName>-site fits in 32');
  if (!(typeof config.monthlyBudgetUsd === 'number' && config.monthlyBudgetUsd > 0)) {
    fail('monthlyBudgetUsd', config.monthlyBudgetUsd, 'must be a positive amount in USD');
  }
  pattern('namespace', config.namespace, DNS_LABEL, 'must be a DNS label (lower-case letters, digits and -, at most 63)');
  pattern('bucket', config.bucket, BUCKET, 'must be a valid S3 bucket name (3-63 lower-case letters, digits, . or -)');

  const net = config.network;
  const cidr = CIDR.exec(net.cidr);
  if (!cidr || cidr.slice(1, 5).some((o) => Number(o) > 255) || Number(cidr[5]) < 16 || Number(cidr[5]) > 24) {
    fail('network.cidr', net.cidr, 'must be an IPv4 CIDR with a prefix between /16 and /24, e.g. 10.0.0.0/16');
  }
  range('network.maxAzs', net.maxAzs, 2, 6);
  range('network.natGateways', net.natGateways, 1, net.maxAzs);

  const nodes = config.nodes;
  if (nodes.instanceTypes.length === 0) fail('nodes.instanceTypes', nodes.instanceTypes, 'must name at least one instance type');
  range('nodes.minSize', nodes.minSize, 1, 100);
  range('nodes.maxSize', nodes.maxSize, nodes.minSize, 100);
  range('nodes.desiredSize', nodes.desiredSize, nodes.minSize, nodes.maxSize);
  range('nodes.diskSizeGiB', nodes.diskSizeGiB, 20, 16384);

  const minio = config.minio;
  if (minio.mode === MinioMode.STANDALONE) {
    range('minio.replicas', minio.replicas, 1, 1);
    range('minio.drivesPerReplica', minio.drivesPerReplica, 1, 1);
  } else {
    range('minio.replicas', minio.replicas, 2, 32);
    range('minio.drivesPerReplica', minio.drivesPerReplica, 1, 16);
    if (minio.replicas * minio.drivesPerReplica < 4) {
      fail('minio.replicas * minio.drivesPerReplica', minio.replicas * minio.drivesPerReplica, 'must be at least 4 in distributed mode');
    }
    // Distributed MinIO keeps its pods on different nodes (required anti-affinity).
    if (nodes.minSize < minio.replicas) {
      fail('nodes.minSize', nodes.minSize, `must be at least minio.replicas (${minio.replicas}): each distributed MinIO pod needs a node of its own`);
    }
  }

  const web = config.s3www;
  range('s3www.replicas', web.replicas, 1, 100);
  if (web.autoscaling) {
    range('s3www.autoscaling.minReplicas', web.autoscaling.minReplicas, 1, 100);
    range('s3www.autoscaling.maxReplicas', web.autoscaling.maxReplicas, web.autoscaling.minReplicas, 100);
    range('s3www.autoscaling.targetCpuPercent', web.autoscaling.targetCpuPercent, 1, 100);
  }
  // A budget that allows every pod down at once protects nothing; one pod can only be all or nothing.
  const floor = web.autoscaling?.minReplicas ?? web.replicas;
  range('s3www.maxUnavailable', web.maxUnavailable, 1, Math.max(1, floor - 1));

  const ops = config.operations;
  if (ops?.backupCopyRetention) {
    if (!ops.backupRetention) fail('operations.backupCopyRetention', `${ops.backupCopyRetention.toDays()} days`, 'needs operations.backupRetention: only backed-up recovery points are copied');
    const days = ops.backupCopyRetention.toSeconds() / 86400;
    if (!Number.isInteger(days) || days < 1 || days > 36500) {
      fail('operations.backupCopyRetention', ops.backupCopyRetention.toHumanString(), 'must be a whole number of days between 1 and 36500');
    }
  }

  if (config.seed.length === 0) fail('seed', config.seed, 'must list at least one file');
  config.seed.forEach((file, i) => {
    let url: URL | undefined;
    try {
      url = new URL(file.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) fail(`seed[${i}].url`, file.url, 'must be an http(s) URL');
  });
}
