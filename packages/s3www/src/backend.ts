import {
  checkBucketName, checkHttpUrl, fail, opens, openedPorts, PodsInQuestion, ResolvedCredentials, resolveCredentials,
} from '@s3www-eks/cdk8s-common';
import { IConstruct } from 'constructs';
import { S3Credentials } from './credentials';

/**
 * Keyless access to AWS S3 through EKS Pod Identity or IRSA: the pods get AWS credentials from
 * their ServiceAccount. The web tier and the seeder each have their own, so the web tier can be
 * given read access only (s3:ListBucket, s3:GetObject) and the seeder write access.
 */
export interface WorkloadIdentity {
  /**
   * Annotations of the pods' ServiceAccount, e.g. `eks.amazonaws.com/role-arn` for IRSA. EKS Pod
   * Identity needs none: associate the role with the construct's `serviceAccountName`.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** An S3-compatible bucket and how to reach it: what s3www serves, or what the seeder fills. */
export interface S3Backend {
  /** Bucket name, following the S3 bucket naming rules. */
  readonly bucket: string;

  /**
   * URL of the S3 API, e.g. `http://minio.storage.svc.cluster.local:9000`. The pods must be let
   * out to it: with `@s3www-eks/minio`, `minio.allowFrom(...)` does it; for any other backend in the
   * cluster, call `allowTo()` with its pods and port. Synthesis fails while no NetworkPolicy does.
   * @default - AWS S3 in `region` (https://s3.REGION.amazonaws.com), reached on port 443 of any IPv4 address
   */
  readonly endpoint?: string;

  /**
   * Region of the bucket; MinIO accepts any value and defaults to us-east-1.
   * @default 'us-east-1'
   */
  readonly region?: string;

  /**
   * The Secret with static keys, mounted into the pods as files (never as values in the pod spec).
   * Exactly one of `credentials` and `workloadIdentity` must be set.
   * @default - none: `workloadIdentity` must be set
   */
  readonly credentials?: S3Credentials;

  /**
   * Keyless access through the pods' ServiceAccount (AWS S3 only).
   * @default - none: `credentials` must be set
   */
  readonly workloadIdentity?: WorkloadIdentity;
}

/** A backend with defaults applied and every field checked. */
export interface ResolvedBackend {
  readonly bucket: string;
  /** The endpoint the pods use: the given one, or AWS S3's regional endpoint. */
  readonly endpoint: string;
  /** Whether the endpoint was given (MinIO or another S3 API, in or near the cluster). */
  readonly customEndpoint: boolean;
  readonly region: string;
  readonly port: number;
  readonly credentials?: ResolvedCredentials;
  readonly workloadIdentity?: WorkloadIdentity;
}

export function resolveBackend(backend: S3Backend): ResolvedBackend {
  checkBucketName('backend.bucket', backend.bucket);
  const region = backend.region ?? 'us-east-1';
  // MinIO takes any region name; AWS S3 only its own.
  const regionPattern = backend.endpoint === undefined ? /^[a-z]{2}(-[a-z0-9]+)+-\d+$/ : /^[\w-]{1,64}$/;
  if (!regionPattern.test(region)) fail('backend.region', 'must be a region name such as eu-west-1', region);
  if (backend.credentials && backend.workloadIdentity) {
    throw new Error('\'backend.credentials\' and \'backend.workloadIdentity\' are mutually exclusive: set one of them');
  }
  if (!backend.credentials && !backend.workloadIdentity) {
    throw new Error('\'backend\' needs \'credentials\' (a Secret with static keys) or \'workloadIdentity\' (Pod Identity or IRSA on AWS S3)');
  }
  const url = backend.endpoint === undefined ? new URL(`https://s3.${region}.amazonaws.com`) : checkHttpUrl('backend.endpoint', backend.endpoint);
  if (backend.endpoint !== undefined && (url.pathname !== '/' || url.search || url.username || url.password)) {
    fail('backend.endpoint', 'must be scheme://host[:port] without path, query or user info', backend.endpoint);
  }
  return {
    bucket: backend.bucket,
    endpoint: `${url.protocol}//${url.host}`,
    customEndpoint: backend.endpoint !== undefined,
    region,
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    credentials: backend.credentials && resolveCredentials('backend.credentials', backend.credentials),
    workloadIdentity: backend.workloadIdentity,
  };
}

/**
 * The error of a workload whose backend in the cluster no NetworkPolicy lets it reach: the
 * backend's side (e.g. MinIO's `allowFrom`) or its own `allowTo` must open the endpoint's port.
 */
export function unreachableBackend(workload: IConstruct, what: string, backend: ResolvedBackend, pods: PodsInQuestion): string[] {
  if (!backend.customEndpoint || opens(openedPorts(workload, pods, 'Egress'), backend.port)) return [];
  return [`'backend.endpoint' (${backend.endpoint}) is out of reach: no NetworkPolicy lets the pods of ${what} out to port ${backend.port}; `
    + 'admit them on the backend (with @s3www-eks/minio: minio.allowFrom(...)) or call allowTo() with the backend\'s pods and port'];
}
