import { MetricsAuth, Minio, MinioTopology, PlacementPolicy } from '@s3www-eks/minio';
import { NetworkPeer, S3www } from '@s3www-eks/s3www';
import { Chart, JsonPatch } from 'cdk8s';
import { k8s, Namespaces, Pods } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { EnvironmentConfig, MinioMode, MinioSettings } from './environment-config';

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
  const [first] = config.seed;
  return `/${first.key ?? new URL(first.url).pathname.split('/').pop()}`;
}

/** Key of the MinIO root user in the credentials Secret. */
export const CREDENTIALS_USER_KEY = 'username';
/** Key of the MinIO root password in the credentials Secret. */
export const CREDENTIALS_PASSWORD_KEY = 'password';

/**
 * The Kubernetes side of the reference system: its namespace (Pod Security "restricted"
 * enforced), a default-deny NetworkPolicy, MinIO, s3www and the seed job. It carries no AWS
 * dependency, so the same chart is added to the EKS cluster and written as plain manifests.
 */
export class WorkloadChart extends Chart {
  /** The namespace every object of the workload lives in. */
  public readonly namespaceName: string;
  /** MinIO, holding the bucket. */
  public readonly minio: Minio;
  /** The web tier and the seeder Job. */
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

    this.minio = new Minio(this, 'Minio', {
      name: 'minio',
      namespace: config.namespace,
      credentials: {
        secretName: props.credentialsSecretName,
        userKey: CREDENTIALS_USER_KEY,
        passwordKey: CREDENTIALS_PASSWORD_KEY,
      },
      topology: minioTopology(config.minio),
      storage: { size: config.minio.driveSize },
      resources: config.minio.resources,
      buckets: [{ name: config.bucket }],
      // A JWT for Prometheus would be one more credential to generate with mc and sync; the metrics carry no
      // object data, and the NetworkPolicy admits only s3www, the seeder and Prometheus to the port.
      metrics: monitored ? { auth: MetricsAuth.PUBLIC, serviceMonitor: {}, alerts: {}, dashboard: {} } : undefined,
    });
    const web = config.s3www;
    this.s3www = new S3www(this, 'S3www', {
      name: 's3www',
      namespace: config.namespace,
      backend: {
        bucket: config.bucket,
        endpoint: this.minio.endpoint,
        credentials: {
          secretName: props.credentialsSecretName,
          accessKeyKey: CREDENTIALS_USER_KEY,
          secretKeyKey: CREDENTIALS_PASSWORD_KEY,
        },
        peers: [NetworkPeer.pods(this.minio.selectorLabels, config.namespace)],
      },
      replicas: web.autoscaling ? undefined : web.replicas,
      autoscaling: web.autoscaling && {
        minReplicas: web.autoscaling.minReplicas,
        maxReplicas: web.autoscaling.maxReplicas,
        cpuUtilization: web.autoscaling.targetCpuPercent,
      },
      maxUnavailable: web.maxUnavailable,
      resources: web.resources,
      // The ALB sends to pod IPs (IP targets) from its nodes in the VPC's public subnets.
      ingress: { healthCheckPath: '/', annotations: { 'alb.ingress.kubernetes.io/load-balancer-name': siteLoadBalancerName(config) } },
      allowFrom: [NetworkPeer.ipBlock(config.network.cidr)],
      seed: { sources: config.seed },
      // The blackbox exporter probes the Service for the seeded object: its success and latency are the
      // site's availability and latency indicators. The library opens s3www's policy to it.
      monitoring: monitored ? { path: probedPath(config) } : undefined,
    });
    // MinIO admits the pods of this s3www instance (the web tier and the seeder), nothing else.
    // The library exposes the web pods' labels only: the seeder shares their name and instance.
    const instance = Object.fromEntries(Object.entries(this.s3www.selectorLabels).filter(([k]) => k !== 'app.kubernetes.io/component'));
    this.minio.allowFrom(Pods.select(this, 'S3wwwPods', { labels: instance }));
    if (monitored) {
      // Prometheus (kube-prometheus-stack, namespace monitoring) scrapes MinIO's metrics on the API port.
      this.minio.allowFrom(Pods.select(this, 'Prometheus', {
        labels: { 'app.kubernetes.io/name': 'prometheus' },
        namespaces: Namespaces.select(this, 'MonitoringNamespace', { names: ['monitoring'] }),
      }));
    }
  }
}

/** The library's topology for the environment's MinIO settings. */
function minioTopology(settings: MinioSettings): MinioTopology {
  if (settings.mode === MinioMode.STANDALONE) return MinioTopology.standalone();
  return MinioTopology.distributed({
    replicas: settings.replicas,
    drivesPerReplica: settings.drivesPerReplica,
    // The nodes span every zone of the environment: a zone outage leaves the erasure sets readable.
    zoneSpread: PlacementPolicy.REQUIRED,
    nodeSpread: PlacementPolicy.REQUIRED,
    maxUnavailable: 1,
  });
}
