import { MetricsAuth, Minio, MinioUser } from '@s3www-eks/minio';
import { S3Backend, S3www, Seeder } from '@s3www-eks/s3www';
import { Chart, JsonPatch } from 'cdk8s';
import { k8s, NetworkPolicyIpBlock } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { EnvironmentConfig } from './environment-config';

/**
 * The Kubernetes Secrets, in the workload namespace, of the three MinIO identities, each holding the
 * access key under {@link CREDENTIALS_USER_KEY} and the secret key under {@link CREDENTIALS_PASSWORD_KEY}.
 * On EKS the cluster's secret sync writes them from Secrets Manager; elsewhere the user creates them.
 */
export interface MinioCredentialSecrets {
  /** The root credentials: read by MinIO and its bucket Job, nothing else. */
  readonly root: string;
  /** s3www's MinIO user: may list the bucket and read its objects. */
  readonly site: string;
  /** The seeder's MinIO user: may list, read and write the bucket's objects, not delete them. */
  readonly seeder: string;
}

/** The Secrets the reference app syncs, and the plain manifests' users create. */
export const CREDENTIAL_SECRETS: MinioCredentialSecrets = {
  root: 'minio-root-credentials',
  site: 'minio-s3www-credentials',
  seeder: 'minio-seeder-credentials',
};

/** The access key (user name) of each MinIO identity; the secret keys are generated. */
export const MINIO_USERS: MinioCredentialSecrets = { root: 's3www-admin', site: 's3www-web', seeder: 's3www-seeder' };

/** HTTPS at the ALB. */
export interface WorkloadTls {
  /** ARN of the ACM certificate (an AWS CDK token when the stack issues it). */
  readonly certificateArn: string;
  /**
   * The name the site is served under: the Ingress answers only to it.
   * @default - every host name
   */
  readonly domainName?: string;
}

/** Properties of a {@link WorkloadChart}. */
export interface WorkloadChartProps {
  /** The environment the workload is sized for. */
  readonly config: EnvironmentConfig;
  /**
   * The Secrets of the MinIO identities.
   * @default CREDENTIAL_SECRETS
   */
  readonly credentialSecrets?: MinioCredentialSecrets;
  /**
   * Serves the site over HTTPS only (the ALB redirects HTTP).
   * @default - plain HTTP on port 80
   */
  readonly tls?: WorkloadTls;
}

/** Name the Ingress gives the site's load balancer, so that its CloudWatch alarms can find it. */
export function siteLoadBalancerName(config: EnvironmentConfig): string {
  return `${config.clusterName}-site`;
}

/** URL path of the first seeded file, which the blackbox probe fetches (the gif of the original system). */
export function probedPath(config: EnvironmentConfig): string {
  const [first] = config.seeder.sources;
  return `/${first.key ?? new URL(first.url).pathname.split('/').pop()}`;
}

/** Key of the MinIO root user in the credentials Secret. */
export const CREDENTIALS_USER_KEY = 'username';
/** Key of the MinIO root password in the credentials Secret. */
export const CREDENTIALS_PASSWORD_KEY = 'password';

/**
 * The Kubernetes side of the reference system, top to bottom like the architecture: its namespace
 * (Pod Security "restricted" enforced) and a default-deny NetworkPolicy, MinIO, the seeder, the web
 * tier, and the edge (the ALB's Ingress and the VPC it sends from). It carries no AWS dependency,
 * so the same chart is added to the EKS cluster and written as plain manifests.
 */
export class WorkloadChart extends Chart {
  /** The namespace every object of the workload lives in. */
  public readonly namespaceName: string;
  /** MinIO, holding the bucket; its bucket Job creates it. */
  public readonly minio: Minio;
  /** The seeder, filling the bucket. */
  public readonly seeder: Seeder;
  /** The web tier. */
  public readonly s3www: S3www;

  constructor(scope: Construct, id: string, props: WorkloadChartProps) {
    const { config } = props;
    super(scope, id, { namespace: config.namespace, labels: { 'app.kubernetes.io/part-of': 's3www-eks' } });
    this.namespaceName = config.namespace;
    const monitored = config.operations?.prometheusRetention !== undefined;

    const namespace = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: config.namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    // The chart gives every object its namespace; a Namespace is cluster-scoped and takes none.
    namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    // Nothing reaches or leaves a pod of the namespace unless a later policy allows it.
    new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: 'default-deny' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    const secrets = props.credentialSecrets ?? CREDENTIAL_SECRETS;
    const credentials = (secretName: string) => ({ secretName, accessKeyKey: CREDENTIALS_USER_KEY, secretKeyKey: CREDENTIALS_PASSWORD_KEY });

    // Storage: MinIO, and the Job that creates the bucket and the users (the only component that creates
    // them, and the only one besides MinIO that holds the root credentials).
    this.minio = new Minio(this, 'Minio', {
      ...config.minio,
      name: 'minio',
      namespace: config.namespace,
      credentials: credentials(secrets.root),
      buckets: [{ name: config.bucket }],
      // A JWT for Prometheus would be one more credential to generate with mc and sync; the metrics carry no
      // object data, and MinIO admits only s3www, the seeder and kube-prometheus-stack's Prometheus to the port.
      metrics: monitored ? { auth: MetricsAuth.PUBLIC, serviceMonitor: {}, alerts: {}, dashboard: {} } : undefined,
    });
    // One MinIO user per consumer, limited to the bucket: s3www reads, the seeder writes, nobody deletes.
    const siteUser = this.minio.grantRead('S3www', { bucket: config.bucket, credentials: credentials(secrets.site) });
    const seederUser = this.minio.grantReadWrite('Seeder', { bucket: config.bucket, credentials: credentials(secrets.seeder) });
    const backend = (user: MinioUser): S3Backend => ({ bucket: user.bucket, endpoint: this.minio.endpoint, credentials: user.credentials });

    // Content: the seeder fills the bucket once MinIO's Job has created it.
    this.seeder = new Seeder(this, 'Seeder', { ...config.seeder, name: 's3www-seeder', namespace: config.namespace, backend: backend(seederUser) });
    this.minio.allowFrom(this.seeder);

    // Web tier: s3www serves the bucket.
    this.s3www = new S3www(this, 'S3www', {
      ...config.s3www,
      name: 's3www',
      namespace: config.namespace,
      backend: backend(siteUser),
      // The blackbox exporter probes the Service for the seeded object: its success and latency are the
      // site's availability and latency indicators. The library admits it to s3www.
      monitoring: monitored ? { path: probedPath(config), seeder: this.seeder } : undefined,
      // Edge: an internet-facing ALB with IP targets, named so that its CloudWatch alarms find it; with a
      // certificate it serves HTTPS only (HTTP answers with a redirect) with a current TLS policy.
      ingress: {
        healthCheckPath: '/',
        host: props.tls?.domainName,
        tls: props.tls && { certificateArns: [props.tls.certificateArn] },
        annotations: { 'alb.ingress.kubernetes.io/load-balancer-name': siteLoadBalancerName(config) },
      },
    });
    this.minio.allowFrom(this.s3www);
    // The ALB sends to pod IPs (IP targets) from its nodes in the VPC's subnets.
    this.s3www.allowFrom(NetworkPolicyIpBlock.ipv4(this, 'Vpc', config.network.cidr));
  }
}
