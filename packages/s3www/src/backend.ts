import { checkBucketName } from './bucket-name';
import { NetworkPeer } from './network-peer';
import { checkDnsSubdomain, checkHttpUrl, checkSecretKey, fail } from './validation';

/** A Secret that holds the access key and secret key of the backend. */
export interface BackendCredentials {
  /** Name of the Secret, in the namespace of the web tier. */
  readonly secretName: string;

  /**
   * Key of the Secret's data that holds the access key.
   * @default 'accessKey'
   */
  readonly accessKeyKey?: string;

  /**
   * Key of the Secret's data that holds the secret key.
   * @default 'secretKey'
   */
  readonly secretKeyKey?: string;
}

/**
 * Keyless access to AWS S3 through EKS Pod Identity or IRSA: the pods get AWS credentials from
 * their ServiceAccount. The web tier and the seeder each have one, so the web tier can be given
 * read access only (s3:ListBucket, s3:GetObject) and the seeder write access.
 */
export interface WorkloadIdentity {
  /**
   * Annotations of the web tier's ServiceAccount, e.g. `eks.amazonaws.com/role-arn` for IRSA.
   * EKS Pod Identity needs none: associate the role with {@link S3www.serviceAccountName}.
   * @default - none
   */
  readonly annotations?: Record<string, string>;

  /**
   * Annotations of the seeder's ServiceAccount ({@link S3www.seederServiceAccountName}).
   * @default - none
   */
  readonly seederAnnotations?: Record<string, string>;
}

/** The S3-compatible bucket that s3www serves and the seeder fills. */
export interface S3wwwBackend {
  /** Bucket name, following the S3 bucket naming rules. */
  readonly bucket: string;

  /**
   * URL of the S3 API, e.g. `http://minio.storage.svc.cluster.local:9000`.
   * @default - AWS S3 in `region` (https://s3.REGION.amazonaws.com)
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
  readonly credentials?: BackendCredentials;

  /**
   * Keyless access through the pods' ServiceAccounts (AWS S3 only).
   * @default - none: `credentials` must be set
   */
  readonly workloadIdentity?: WorkloadIdentity;

  /**
   * Where the backend runs, for the NetworkPolicy's egress rules (on the endpoint's port), e.g.
   * `NetworkPeer.pods({ 'app.kubernetes.io/name': 'minio' }, 'storage')`. Required with an
   * `endpoint`, as the construct cannot tell where an address leads.
   * @default - for AWS S3 (no endpoint): any IPv4 address on port 443, as S3's addresses change
   */
  readonly peers?: NetworkPeer[];
}

/** A backend with defaults applied and every field checked. */
export interface ResolvedBackend {
  readonly bucket: string;
  /** The endpoint s3www uses: the given one, or AWS S3's regional endpoint. */
  readonly endpoint: string;
  /** Whether the endpoint was given; the seeder then sets S3_ENDPOINT. */
  readonly customEndpoint: boolean;
  readonly region: string;
  readonly port: number;
  readonly credentials?: Required<BackendCredentials>;
  readonly workloadIdentity?: WorkloadIdentity;
  readonly peers: NetworkPeer[];
}

export function resolveBackend(backend: S3wwwBackend): ResolvedBackend {
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
  if (backend.endpoint !== undefined && (backend.peers ?? []).length === 0) {
    fail('backend.peers', `must name where the backend at ${backend.endpoint} runs (e.g. NetworkPeer.pods(...)) so the NetworkPolicy can allow egress to it`, backend.peers ?? []);
  }
  const credentials = backend.credentials && {
    secretName: backend.credentials.secretName,
    accessKeyKey: backend.credentials.accessKeyKey ?? 'accessKey',
    secretKeyKey: backend.credentials.secretKeyKey ?? 'secretKey',
  };
  if (credentials) {
    checkDnsSubdomain('backend.credentials.secretName', credentials.secretName);
    checkSecretKey('backend.credentials.accessKeyKey', credentials.accessKeyKey);
    checkSecretKey('backend.credentials.secretKeyKey', credentials.secretKeyKey);
    if (credentials.accessKeyKey === credentials.secretKeyKey) {
      fail('backend.credentials.secretKeyKey', 'must differ from \'backend.credentials.accessKeyKey\'', credentials.secretKeyKey);
    }
  }
  const endpoint = `${url.protocol}//${url.host}`;
  return {
    bucket: backend.bucket,
    endpoint,
    customEndpoint: backend.endpoint !== undefined,
    region,
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    credentials,
    workloadIdentity: backend.workloadIdentity,
    peers: backend.peers && backend.peers.length > 0 ? backend.peers : [NetworkPeer.anyIpv4()],
  };
}
