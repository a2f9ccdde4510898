import { MetricsAuth, Minio } from '@s3www-eks/minio';
import { S3Backend, S3www, Seeder } from '@s3www-eks/s3www';
import { Chart, JsonPatch } from 'cdk8s';
import { k8s, NetworkPolicyIpBlock } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { EnvironmentConfig } from './environment-config';

/** Properties of a {@link WorkloadChart}. */
export interface WorkloadChartProps {
  /** The environment the workload is sized for. */
  readonly config: EnvironmentConfig;
  /**
   * Name of the Kubernetes Secret, in the workload namespace, holding the MinIO root credentials
   * under the keys {@link CREDENTIALS_USER_KEY} and {@link CREDENTIALS_PASSWORD_KEY}. On EKS the
   * cluster's secret sync writes it from Secrets Manager; elsewhere the user creates it.
   */
  readonly credentialsSecretName: string;
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

    const credentials = { secretName: props.credentialsSecretName, accessKeyKey: CREDENTIALS_USER_KEY, secretKeyKey: CREDENTIALS_PASSWORD_KEY };

    // Storage: MinIO, and the Job that creates the bucket (the only component that creates one).
    this.minio = new Minio(this, 'Minio', {
      ...config.minio,
      name: 'minio',
      namespace: config.namespace,
      credentials,
      buckets: [{ name: config.bucket }],
      // A JWT for Prometheus would be one more credential to generate with mc and sync; the metrics carry no
      // object data, and MinIO admits only s3www, the seeder and kube-prometheus-stack's Prometheus to the port.
      metrics: monitored ? { auth: MetricsAuth.PUBLIC, serviceMonitor: {}, alerts: {}, dashboard: {} } : undefined,
    });
    const backend: S3Backend = { bucket: config.bucket, endpoint: this.minio.endpoint, credentials };

    // Content: the seeder fills the bucket once MinIO's Job has created it.
    this.seeder = new Seeder(this, 'Seeder', { ...config.seeder, name: 's3www-seeder', namespace: config.namespace, backend });
    this.minio.allowFrom(this.seeder);

    // Web tier: s3www serves the bucket.
    this.s3www = new S3www(this, 'S3www', {
      ...config.s3www,
      name: 's3www',
      namespace: config.namespace,
      backend,
      // The blackbox exporter probes the Service for the seeded object: its success and latency are the
      // site's availability and latency indicators. The library admits it to s3www.
      monitoring: monitored ? { path: probedPath(config), seeder: this.seeder } : undefined,
      // Edge: an internet-facing ALB with IP targets, named so that its CloudWatch alarms find it.
      ingress: { healthCheckPath: '/', annotations: { 'alb.ingress.kubernetes.io/load-balancer-name': siteLoadBalancerName(config) } },
    });
    this.minio.allowFrom(this.s3www);
    // The ALB sends to pod IPs (IP targets) from its nodes in the VPC's subnets.
    this.s3www.allowFrom(NetworkPolicyIpBlock.ipv4(this, 'Vpc', config.network.cidr));
  }
}
