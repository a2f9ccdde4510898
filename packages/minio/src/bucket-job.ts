import {
  checkInteger, credentialsEnv, fail, ResolvedCredentials, resolveImage, resolveResources, runOnceJob,
} from '@s3www-eks/cdk8s-common';
import { Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { bucketScript, BucketSpec, UserSpec } from './bucket-script';
import { ImageOptions, MC_IMAGE } from './image';
import { RUN_AS } from './security';
import { BucketAccess, MinioUser } from './users';
import { checkMinioBucketName } from './validation';

/** A bucket the construct creates once MinIO is ready. */
export interface Bucket {
  /** Bucket name; must follow the S3 bucket naming rules. */
  readonly name: string;

  /**
   * Turns object versioning on. Versioning cannot be turned off again, only suspended, so the job
   * never touches the versioning of a bucket that does not ask for it.
   * @default false
   */
  readonly versioning?: boolean;
}

/** Settings of the Job that creates the declared buckets. */
export interface BucketJobOptions {
  /**
   * The mc (MinIO client) image; the job runs bash from it.
   * @default - quay.io/minio/mc, pinned by tag and digest
   */
  readonly image?: ImageOptions;

  /**
   * Requests and limits of the job's container; unset leaves take the defaults.
   * @default - cpu 50m request / 200m limit, memory 64Mi request / 128Mi limit
   */
  readonly resources?: ContainerResources;

  /**
   * Pod failures before the Job gives up.
   * @default 4
   */
  readonly backoffLimit?: number;

  /**
   * Time after which the Job is stopped, however many retries are left.
   * @default Duration.minutes(15)
   */
  readonly activeDeadline?: Duration;

  /**
   * Time a finished Job (and its pods and logs) is kept before Kubernetes deletes it.
   * @default Duration.hours(1)
   */
  readonly ttlAfterFinished?: Duration;

  /**
   * Probes of `/minio/health/ready` before a pod gives up and fails.
   * @default 60
   */
  readonly readinessAttempts?: number;

  /**
   * Wait between two readiness probes.
   * @default Duration.seconds(5)
   */
  readonly readinessInterval?: Duration;
}

/** Longest wait for one answer of `/minio/health/ready`. */
const PROBE_TIMEOUT_SECONDS = 5;

/** What the MinIO construct hands to its bucket job. */
export interface BucketJobProps {
  readonly buckets: Bucket[];
  readonly options?: BucketJobOptions;
  readonly namePrefix: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly host: string;
  readonly port: number;
  readonly credentials: ResolvedCredentials;
  /** The users to create, each with its policy. */
  readonly users: MinioUser[];
  readonly serviceAccountName: string;
  readonly imagePullSecrets?: k8s.LocalObjectReference[];
}

const JOB_INFIX = '-buckets-';
const HASH_LENGTH = 8;

/** A regular expression (RE2) matching the names of the bucket Jobs of `namePrefix`, whatever their hash. */
export function bucketJobNamePattern(namePrefix: string): string {
  return `${namePrefix}${JOB_INFIX}[0-9a-f]{${HASH_LENGTH}}`;
}

/**
 * A Job that waits for MinIO to be ready, then creates the buckets (and turns versioning on) and
 * the users with their policies, with `mc`. Every step is idempotent, so a re-run changes nothing.
 * Its name carries a hash of its whole configuration: Jobs are immutable, so a changed bucket or
 * user list becomes a new Job (which runs) instead of a failed update of the old one. It is the one
 * component that creates buckets and users, and the only one besides MinIO that holds the root
 * credentials: the seeder of `@s3www-eks/s3www` only checks that its bucket exists.
 */
export class BucketJob extends Construct {
  public readonly job: k8s.KubeJob;

  constructor(scope: Construct, id: string, props: BucketJobProps) {
    super(scope, id);
    const options = props.options ?? {};
    const buckets = resolveBuckets(props.buckets);
    const image = resolveImage('bucketJob.image', options.image, MC_IMAGE);
    const resources = resolveResources('bucketJob.resources', options.resources, {
      cpuRequest: Cpu.millis(50),
      cpuLimit: Cpu.millis(200),
      memoryRequest: Size.mebibytes(64),
      memoryLimit: Size.mebibytes(128),
    });
    const backoffLimit = options.backoffLimit ?? 4;
    checkInteger('bucketJob.backoffLimit', backoffLimit, 0, 100);
    const deadline = seconds('bucketJob.activeDeadline', options.activeDeadline ?? Duration.minutes(15));
    const ttl = seconds('bucketJob.ttlAfterFinished', options.ttlAfterFinished ?? Duration.hours(1));
    const attempts = options.readinessAttempts ?? 60;
    checkInteger('bucketJob.readinessAttempts', attempts, 1, 10_000);
    const interval = seconds('bucketJob.readinessInterval', options.readinessInterval ?? Duration.seconds(5));
    const wait = attempts * (interval + PROBE_TIMEOUT_SECONDS);
    if (wait >= deadline) {
      fail('bucketJob.activeDeadline', `must be longer than the longest readiness wait ('bucketJob.readinessAttempts' × ('bucketJob.readinessInterval' + ${PROBE_TIMEOUT_SECONDS}s per probe) = ${wait}s)`, `${deadline}s`);
    }

    const users: UserSpec[] = props.users.map((user, i) => ({
      policyName: user.policyName,
      policyDocument: user.policyDocument,
      accessKeyVariable: `USER_${i}_ACCESS_KEY`,
      secretKeyVariable: `USER_${i}_SECRET_KEY`,
      summary: `${user.access === BucketAccess.READ ? 'read' : 'read-write'} on bucket ${user.bucket} (${user.actions.join(', ')})`,
    }));
    const script = bucketScript(buckets, users);
    const env: k8s.EnvVar[] = [
      { name: 'MINIO_HOST', value: props.host },
      { name: 'MINIO_PORT', value: String(props.port) },
      { name: 'READY_ATTEMPTS', value: String(attempts) },
      { name: 'READY_INTERVAL_SECONDS', value: String(interval) },
      { name: 'READY_TIMEOUT_SECONDS', value: String(PROBE_TIMEOUT_SECONDS) },
      ...credentialsEnv(props.credentials, 'MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD'),
      ...props.users.flatMap((user, i) => credentialsEnv(resolved(user), users[i].accessKeyVariable, users[i].secretKeyVariable)),
      // mc keeps its aliases in a config directory; the root filesystem is read-only.
      { name: 'MC_CONFIG_DIR', value: '/tmp/.mc' },
      { name: 'HOME', value: '/tmp' },
    ];
    this.job = runOnceJob(this, 'Resource', {
      namePrefix: `${props.namePrefix}${JOB_INFIX}`,
      hashLength: HASH_LENGTH,
      namespace: props.namespace,
      labels: props.labels,
      podLabels: props.labels,
      serviceAccountName: props.serviceAccountName,
      user: RUN_AS,
      backoffLimit,
      activeDeadlineSeconds: deadline,
      ttlSecondsAfterFinished: ttl,
      imagePullSecrets: props.imagePullSecrets,
      container: {
        name: 'mc',
        image,
        command: ['/bin/bash', '-c', script],
        env,
        resources,
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } }],
    });
  }
}

/** A user's Secret reference, whose keys the grant has filled in. */
function resolved(user: MinioUser): ResolvedCredentials {
  return { secretName: user.credentials.secretName, accessKeyKey: user.credentials.accessKeyKey!, secretKeyKey: user.credentials.secretKeyKey! };
}

/** Validates the bucket list: S3 names, no duplicates. */
function resolveBuckets(buckets: Bucket[]): BucketSpec[] {
  const seen = new Set<string>();
  return buckets.map((bucket, i) => {
    checkMinioBucketName(`buckets[${i}].name`, bucket.name);
    if (seen.has(bucket.name)) {
      fail(`buckets[${i}].name`, 'must not repeat an earlier bucket', bucket.name);
    }
    seen.add(bucket.name);
    return { name: bucket.name, versioning: bucket.versioning ?? false };
  });
}

/** A positive whole number of seconds. */
function seconds(prop: string, duration: Duration): number {
  const value = duration.toSeconds({ integral: false });
  if (!Number.isInteger(value) || value < 1) {
    fail(prop, 'must be a whole number of seconds, at least 1', `${value}s`);
  }
  return value;
}
