import { MinioTopology, PlacementPolicy } from '@s3www-eks/minio';
import { Duration } from 'aws-cdk-lib';
import { InstanceType } from 'aws-cdk-lib/aws-ec2';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Size } from 'cdk8s';
import { ContainerResources, Cpu } from 'cdk8s-plus-33';
import { ApiEndpoint, EnvironmentConfig, EnvironmentName, validateEnvironmentConfig } from './environment-config';

/** The file the original system served, seeded into the bucket of every environment. */
export const DEFAULT_SEED_URL = 'https://media.giphy.com/media/VdiQKDAguhDSi37gn1/giphy.gif';

/** Requests and limits from millicores and mebibytes. */
function resources(cpuRequest: number, cpuLimit: number, memoryRequest: number, memoryLimit: number): ContainerResources {
  return {
    cpu: { request: Cpu.millis(cpuRequest), limit: Cpu.millis(cpuLimit) },
    memory: { request: Size.mebibytes(memoryRequest), limit: Size.mebibytes(memoryLimit) },
  };
}

/** EC2 instance types by name, first choice first. */
function instanceTypes(...names: string[]): InstanceType[] {
  return names.map((name) => new InstanceType(name));
}

const common = {
  costCenter: 'web-platform',
  namespace: 's3www',
  bucket: 'site',
  seeder: { sources: [{ url: DEFAULT_SEED_URL }] },
};

/**
 * Distributed MinIO with the pods spread over every zone of the environment and over nodes, both
 * required: a zone outage leaves the erasure sets readable.
 */
function distributedMinio(replicas: number, drivesPerReplica: number): MinioTopology {
  return MinioTopology.distributed({
    replicas,
    drivesPerReplica,
    zoneSpread: PlacementPolicy.REQUIRED,
    nodeSpread: PlacementPolicy.REQUIRED,
    maxUnavailable: 1,
  });
}

/** Cost-optimised: two zones, one NAT gateway, two small nodes, one MinIO pod, one web pod. */
const dev: EnvironmentConfig = {
  ...common,
  name: EnvironmentName.DEV,
  clusterName: 's3www-dev',
  // Developers run kubectl from their machines; -c apiAllowedCidrs narrows who may try. No audit trail:
  // a dev account's trail, if any, belongs to the organisation.
  apiEndpoint: ApiEndpoint.PUBLIC_AND_PRIVATE,
  network: { cidr: '10.10.0.0/16', maxAzs: 2, natGateways: 1, flowLogs: { retention: RetentionDays.ONE_WEEK } },
  cluster: {
    logRetention: RetentionDays.ONE_WEEK,
    nodes: { name: 'general', instanceTypes: instanceTypes('t3.medium'), minSize: 2, desiredSize: 2, maxSize: 3, diskSize: 20 },
    // Control plane, 2 x t3.medium, 1 NAT gateway, ALB, volumes, KMS keys: about $200 a month at list price.
    budget: { monthlyLimitUsd: 250 },
  },
  minio: {
    topology: MinioTopology.standalone(),
    storage: { size: Size.gibibytes(10) },
    resources: resources(100, 500, 256, 512),
  },
  // One pod: no disruption budget (it could only be all or nothing); dev trades availability for cost.
  s3www: {
    replicas: 1,
    resources: resources(50, 250, 64, 128),
  },
  // Plain HTTP unless given a certificate (-c certificateArn, or -c domainName with -c hostedZoneId): dev
  // needs no domain of its own, and nobody but its developers uses it.
  httpsOnly: false,
};

/** Mirrors prod (three zones, NAT per zone, distributed MinIO, HPA, PDBs) at a smaller size. */
const staging: EnvironmentConfig = {
  ...common,
  name: EnvironmentName.STAGING,
  operations: {
    prometheusRetention: Duration.days(7),
    containerLogRetention: RetentionDays.ONE_MONTH,
    backupRetention: Duration.days(7),
  },
  clusterName: 's3www-staging',
  // Private like prod: staging is where the way in (bastion, port forwarding, access entries) and its
  // runbooks are rehearsed before prod depends on them, for a t3.micro's ~$8 a month.
  apiEndpoint: ApiEndpoint.PRIVATE,
  // Staging holds the same kinds of access as prod (admins, viewers, bastion sessions), so it is audited
  // the same way, for a shorter time. Drop it where an organisation trail already records the account,
  // or where staging shares prod's account (a second trail bills every management event again).
  auditTrail: { retention: Duration.days(90), logRetention: RetentionDays.ONE_MONTH },
  network: { cidr: '10.20.0.0/16', maxAzs: 3, natGateways: 3, flowLogs: { retention: RetentionDays.ONE_MONTH } },
  cluster: {
    logRetention: RetentionDays.ONE_MONTH,
    nodes: { name: 'general', instanceTypes: instanceTypes('m6i.large', 'm5.large'), minSize: 4, desiredSize: 4, maxSize: 6, diskSize: 50 },
    // 4-6 x m6i.large, 3 NAT gateways, control plane, ALB, volumes, logs, backups: about $550-700 a month.
    budget: { monthlyLimitUsd: 800 },
  },
  minio: {
    topology: distributedMinio(4, 1),
    storage: { size: Size.gibibytes(20) },
    resources: resources(250, 1000, 512, 1024),
  },
  s3www: {
    autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70 },
    maxUnavailable: 1,
    resources: resources(100, 500, 64, 128),
  },
  // Like prod, so the certificate and the redirect are tried before prod depends on them.
  httpsOnly: true,
};

/** Highly available: three zones, NAT per zone, nodes across zones, distributed MinIO, HPA, PDBs. */
const prod: EnvironmentConfig = {
  ...common,
  name: EnvironmentName.PROD,
  operations: {
    // 30 days: the availability objective's error budget is measured over 30 days.
    prometheusRetention: Duration.days(30),
    containerLogRetention: RetentionDays.THREE_MONTHS,
    backupRetention: Duration.days(35),
    // Copies in the disaster recovery region (-c drRegion, default us-west-2): two weeks of restore points.
    backupCopyRetention: Duration.days(14),
  },
  clusterName: 's3www-prod',
  // No public API: people come in through the Session Manager bastion, CloudFormation through the
  // kubectl Lambda in the VPC.
  apiEndpoint: ApiEndpoint.PRIVATE,
  // A year of log files (validated with their digests), the last three months searchable in CloudWatch.
  auditTrail: { retention: Duration.days(365), logRetention: RetentionDays.THREE_MONTHS },
  network: { cidr: '10.30.0.0/16', maxAzs: 3, natGateways: 3, flowLogs: { retention: RetentionDays.ONE_YEAR } },
  cluster: {
    logRetention: RetentionDays.ONE_YEAR,
    nodes: { name: 'general', instanceTypes: instanceTypes('m6i.xlarge', 'm5.xlarge'), minSize: 4, desiredSize: 4, maxSize: 9, diskSize: 100 },
    // 4-9 x m6i.xlarge, 3 NAT gateways, control plane, ALB, 1.25 TB of volumes, logs, backups and their copy: about $1,000-1,700.
    budget: { monthlyLimitUsd: 2000 },
  },
  minio: {
    topology: distributedMinio(4, 2),
    storage: { size: Size.gibibytes(100) },
    resources: resources(500, 2000, 1024, 2048),
  },
  s3www: {
    autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70 },
    maxUnavailable: 1,
    resources: resources(200, 1000, 128, 256),
  },
  httpsOnly: true,
};

/** The three environments, each checked once when this module loads. */
export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentConfig>> = { dev, staging, prod };
Object.values(ENVIRONMENTS).forEach(validateEnvironmentConfig);

/** The environment used when `-c env` is not given. */
export const DEFAULT_ENVIRONMENT = EnvironmentName.DEV;

/**
 * The environment named by `-c env=NAME` (the default when absent), or a clear error
 * listing the names that exist.
 */
export function environmentNamed(name: unknown = DEFAULT_ENVIRONMENT): EnvironmentConfig {
  const known = Object.values(EnvironmentName) as string[];
  if (typeof name !== 'string' || !known.includes(name)) {
    throw new Error(`Unknown environment ${JSON.stringify(name)} (from -c env=...): expected one of ${known.join(', ')}`);
  }
  return ENVIRONMENTS[name as EnvironmentName];
}
