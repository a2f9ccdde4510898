/**
 * The shape of one deployment environment of the reference system. Each library's part is that
 * library's own prop types (a `Pick` of its props), so a value goes from `environments.ts` to the
 * construct unchanged and is checked once, by the library. What stays here are the settings only
 * the app has (names, the operations switches that turn on parts of several libraries) and the
 * checks that span libraries.
 */
import { BudgetOptions, ClusterProps, NodeGroupOptions } from '@s3www-eks/cluster';
import { MinioProps, PlacementPolicy } from '@s3www-eks/minio';
import { NetworkProps } from '@s3www-eks/network';
import { S3wwwProps, SeederProps } from '@s3www-eks/s3www';
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** The environments the reference app knows, chosen with `-c env=NAME`. */
export enum EnvironmentName {
  DEV = 'dev',
  STAGING = 'staging',
  PROD = 'prod',
}

/**
 * The operations options an environment switches on, each when present. Each one turns on parts
 * of several libraries at once (monitoring: kube-prometheus-stack on the cluster and the MinIO and
 * s3www monitors in the workload), which is why they live in the app. See docs/operations.md.
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

/**
 * Where the Kubernetes API endpoint answers (`-c apiEndpoint=...` overrides an environment's choice).
 * Either way the nodes and the kubectl Lambda use the private endpoint, and every request needs IAM
 * credentials with an access entry.
 */
export enum ApiEndpoint {
  /**
   * Inside the VPC only: people come in through a Session Manager bastion (no SSH, no public IP) with
   * port forwarding; `-c apiAllowedCidrs` does not apply.
   */
  PRIVATE = 'private',
  /** On the internet too, from any address or from the CIDRs of `-c apiAllowedCidrs`; no bastion. */
  PUBLIC_AND_PRIVATE = 'public-and-private',
}

/**
 * A CloudTrail trail of the account: every region's management events, with log file validation, into a
 * KMS-encrypted S3 bucket and a CloudWatch Logs group. See `src/audit-trail.ts`.
 */
export interface AuditTrailSettings {
  /** How long the log files (and their digests) stay in the S3 bucket: whole days. */
  readonly retention: Duration;
  /** How long CloudWatch Logs keeps the events, for searching and alarms. */
  readonly logRetention: RetentionDays;
}

/** The region recovery points are copied to when `-c drRegion` names none. */
export const DEFAULT_DR_REGION = 'us-west-2';

/** Everything that differs between dev, staging and prod, read top to bottom like the system. */
export interface EnvironmentConfig {
  /** The name given with `-c env`; also in the stack name `s3www-eks-<name>`. */
  readonly name: EnvironmentName;
  /** Name of the EKS cluster; also tags the subnets for the load balancer controller and names the site's load balancer. */
  readonly clusterName: string;
  /** Cost centre written, with project and environment, on every AWS resource and EBS volume of the cluster. */
  readonly costCenter: string;
  /** The operations options switched on; none when absent. */
  readonly operations?: OperationsSettings;
  /** Where the Kubernetes API endpoint answers; private adds the bastion. */
  readonly apiEndpoint: ApiEndpoint;
  /** The account's CloudTrail trail, created by this environment's stack; none when absent. */
  readonly auditTrail?: AuditTrailSettings;

  /** The VPC: props of `Network` (@s3www-eks/network). */
  readonly network: Required<Pick<NetworkProps, 'cidr' | 'maxAzs' | 'natGateways' | 'flowLogs'>>;
  /** The cluster: props of `Cluster` (@s3www-eks/cluster); the stack adds the VPC, access, add-ons and alerts. */
  readonly cluster: Required<Pick<ClusterProps, 'logRetention'>> & {
    /** The managed node group (`Capacity.nodeGroups`). */
    readonly nodes: NodeGroupOptions;
    /** The monthly AWS Budgets limit, alerted at 80% and 100% of actual cost; always on. */
    readonly budget: Pick<BudgetOptions, 'monthlyLimitUsd'>;
  };

  /** Kubernetes namespace of the workload. */
  readonly namespace: string;
  /** The bucket MinIO holds, the seeder fills and s3www serves. */
  readonly bucket: string;
  /** MinIO: props of `Minio` (@s3www-eks/minio). */
  readonly minio: Required<Pick<MinioProps, 'topology' | 'storage' | 'resources'>>;
  /** The content seeder: props of `Seeder` (@s3www-eks/s3www). */
  readonly seeder: Required<Pick<SeederProps, 'sources'>>;
  /** The web tier: props of `S3www` (@s3www-eks/s3www). */
  readonly s3www: Pick<S3wwwProps, 'replicas' | 'autoscaling' | 'maxUnavailable' | 'resources'>;
  /**
   * The site is served over HTTPS only (HTTP answers with a redirect), so synthesis needs a certificate:
   * `-c certificateArn=...`, or `-c domainName=... -c hostedZoneId=...` to issue one (src/site-tls.ts).
   * Otherwise the site serves plain HTTP unless one of them is given.
   */
  readonly httpsOnly: boolean;
}

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/**
 * Throws on the first value that cannot work across libraries or in the app's own wiring, naming
 * the environment, the setting, the actual value and what is allowed. Everything else the library
 * that takes the value checks, once.
 */
export function validateEnvironmentConfig(config: EnvironmentConfig): void {
  const fail = (setting: string, actual: unknown, allowed: string): never => {
    throw new Error(`environment '${config.name}': '${setting}' ${allowed}, got ${JSON.stringify(actual)}`);
  };

  if (!CLUSTER_NAME.test(config.clusterName)) {
    fail('clusterName', config.clusterName, 'must start with a letter or digit and hold at most 100 letters, digits, - or _');
  }
  // The site's load balancer is named <clusterName>-site, and ALB names have at most 32 characters.
  if (config.clusterName.length > 27) fail('clusterName', config.clusterName, 'must hold at most 27 characters, so that the load balancer name <clusterName>-site fits in 32');

  // Network for the cluster: EKS needs subnets in two zones at least.
  if (config.network.maxAzs < 2) fail('network.maxAzs', config.network.maxAzs, 'must be at least 2: EKS needs subnets in two Availability Zones');

  // Cluster for MinIO: with node spread required, each distributed MinIO pod needs a node of its own.
  const { topology } = config.minio;
  if (topology.isDistributed && topology.nodeSpread === PlacementPolicy.REQUIRED && !((config.cluster.nodes.minSize ?? 0) >= topology.replicas)) {
    fail('cluster.nodes.minSize', config.cluster.nodes.minSize,
      `must be at least the ${topology.replicas} MinIO pods of 'minio.topology': each needs a node of its own (node spread required)`);
  }

  if (!Object.values(ApiEndpoint).includes(config.apiEndpoint)) {
    fail('apiEndpoint', config.apiEndpoint, `must be one of ${Object.keys(ApiEndpoint).map((k) => `ApiEndpoint.${k}`).join(', ')}`);
  }
  const trail = config.auditTrail;
  if (trail) {
    const days = trail.retention.toSeconds() / 86400;
    if (!Number.isInteger(days) || days < 1 || days > 36500) {
      fail('auditTrail.retention', trail.retention.toHumanString(), 'must be a whole number of days between 1 and 36500 (the bucket\'s expiration rule)');
    }
    const logDays = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');
    if (!logDays.includes(trail.logRetention)) {
      fail('auditTrail.logRetention', trail.logRetention, `must be a retention CloudWatch Logs accepts (${logDays.filter((d) => d !== RetentionDays.INFINITE).join(', ')} days, or RetentionDays.INFINITE)`);
    }
  }

  const ops = config.operations;
  if (ops?.backupCopyRetention) {
    if (!ops.backupRetention) fail('operations.backupCopyRetention', `${ops.backupCopyRetention.toDays()} days`, 'needs operations.backupRetention: only backed-up recovery points are copied');
    const days = ops.backupCopyRetention.toSeconds() / 86400;
    if (!Number.isInteger(days) || days < 1 || days > 36500) {
      fail('operations.backupCopyRetention', ops.backupCopyRetention.toHumanString(), 'must be a whole number of days between 1 and 36500');
    }
  }
}
