import {
  checkDnsSubdomain, connect, credentialsEnv, declareServingPorts, kubeDns, podsOf, ResolvedCredentials, resolveCredentials, resolveImage,
  resolveName, resolveNamespace, resolveResources,
} from '@s3www-eks/cdk8s-common';
import { ApiObject, Size } from 'cdk8s';
import {
  Cpu, INetworkPolicyPeer, IPodSelector, ISecret, Namespaces, NetworkPolicy, NetworkPolicyPeerConfig,
  NetworkPolicyPort, PodConnectionsIsolation, Pods, PodSelectorConfig, Secret, ContainerResources, k8s,
} from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { Bucket, BucketJob, BucketJobOptions, bucketJobNamePattern, BucketJobProps } from './bucket-job';
import { CONSOLE_PORT, ConsoleOptions, consoleEnv } from './console';
import { S3Credentials } from './credentials';
import { ImageOptions, MINIO_IMAGE } from './image';
import { COMPONENT, objectLabels, selectorLabels } from './labels';
import { MetricsAuth, MetricsOptions, scrapeAnnotations } from './metrics';
import { monitoringObjects } from './monitoring';
import { NetworkIsolation } from './network';
import { drives, MinioServer } from './server';
import { MinioServices, PORT_NAMES } from './services';
import { StorageOptions } from './storage';
import { MinioTopology } from './topology';
import { BucketAccess, createUser, GrantReadOptions, GrantReadWriteOptions, MinioUser } from './users';

/** Options of {@link Minio.allowFrom} and {@link Minio.allowConsoleFrom}. */
export interface AllowFromOptions {
  /**
   * Which side gets a NetworkPolicy, as in cdk8s-plus `connections.allowFrom`:
   * `PodConnectionsIsolation.POD` writes only MinIO's ingress policy (for a peer that is not
   * egress-isolated, whose pods an egress policy would cut off from everything else, such as
   * Prometheus), `PodConnectionsIsolation.PEER` only the peer's egress policy.
   * @default - both: MinIO's ingress policy and the peer's egress policy (none for an IP block)
   */
  readonly isolation?: PodConnectionsIsolation;
}

/** Properties of a {@link Minio}. */
export interface MinioProps {
  /**
   * The existing Secret holding the root credentials: the root user (access key) and password (secret
   * key). Only MinIO and its bucket Job read it; give every client a user of its own with
   * `grantRead()` or `grantReadWrite()`.
   */
  readonly credentials: S3Credentials;

  /**
   * Standalone (one pod) or distributed (erasure-coded pods).
   * @default MinioTopology.standalone()
   */
  readonly topology?: MinioTopology;

  /**
   * Size and StorageClass of each drive.
   * @default - 10 GiB on the cluster's default StorageClass
   */
  readonly storage?: StorageOptions;

  /**
   * Buckets created by a Job once MinIO is ready; existing buckets are left as they are. The same
   * Job creates the users of `grantRead()` and `grantReadWrite()`.
   * @default - no buckets and no Job
   */
  readonly buckets?: Bucket[];

  /**
   * Settings of the bucket Job (image, retries, deadlines); only used with `buckets`.
   * @default - mc pinned by tag and digest, 4 retries, 15 minute deadline, deleted 1 hour after it finished
   */
  readonly bucketJob?: BucketJobOptions;

  /**
   * Turns the web console on (port 9001, a ClusterIP Service). Nothing may reach it until
   * `allowConsoleFrom()` opens it.
   * @default - console off (`MINIO_BROWSER=off`)
   */
  readonly console?: ConsoleOptions;

  /**
   * Prometheus metrics: scrape annotations on the pods, the auth mode, and optionally a
   * ServiceMonitor, alerts (PrometheusRule) and a Grafana dashboard.
   * @default - no scrape annotations; metrics need a bearer token (MinIO's default)
   */
  readonly metrics?: MetricsOptions;

  /**
   * The MinIO server image.
   * @default - quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z pinned by digest
   */
  readonly image?: ImageOptions;

  /**
   * Names of `kubernetes.io/dockerconfigjson` Secrets for pulling the images from a private mirror.
   * @default - none
   */
  readonly imagePullSecrets?: string[];

  /**
   * Requests and limits of the MinIO container; unset leaves take the defaults.
   * @default - cpu 250m request / 1 limit, memory 512Mi request / 1Gi limit
   */
  readonly resources?: ContainerResources;

  /**
   * The cluster DNS, which the pods may query (UDP and TCP 53), e.g. an IP block for NodeLocal DNSCache.
   * @default - pods labelled k8s-app=kube-dns in kube-system (CoreDNS on EKS)
   */
  readonly dns?: INetworkPolicyPeer | IPodSelector;

  /**
   * Base name of every object (StatefulSet, Services, ...), at most 40 characters. Renaming replaces them all, data claims included.
   * @default - a unique name derived from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of every object. It is part of the endpoint and of the peer addresses of
   * distributed nodes, so it is always written into the manifests.
   * @default - the chart's namespace, else `default`
   */
  readonly namespace?: string;

  /**
   * DNS domain of the cluster, for the fully qualified addresses of pods and services.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/**
 * MinIO object storage on any Kubernetes cluster: a StatefulSet with persistent drives,
 * hardened to the restricted Pod Security Standard, isolated by NetworkPolicies, with
 * health probes, optional buckets, console and metrics.
 *
 * It is a cdk8s-plus pod selector and network peer of its server pods: clients are let in with
 * `minio.allowFrom(client)`, which writes MinIO's ingress policy and the client's egress policy.
 *
 * @example
 * import { Minio } from '@s3www-eks/minio';
 *
 * const minio = new Minio(chart, 'Minio', {
 *   credentials: { secretName: 'minio-root' },
 *   buckets: [{ name: 'site', versioning: true }],
 * });
 */
export class Minio extends Construct implements IPodSelector, INetworkPolicyPeer {
  /** Port of the S3 API. */
  public static readonly API_PORT = 9000;
  /** Port of the web console, when enabled. */
  public static readonly CONSOLE_PORT = CONSOLE_PORT;

  /** Base name of the objects. */
  public readonly name: string;
  /** Namespace of the objects. */
  public readonly namespace: string;
  /** Name of the ClusterIP Service of the S3 API. */
  public readonly serviceName: string;
  /** Port of the S3 API on the Service. */
  public readonly port: number;
  /** In-cluster URL of the S3 API, e.g. `http://minio.storage.svc.cluster.local:9000`. */
  public readonly endpoint: string;
  /** Name of the headless Service that gives each pod its DNS name. */
  public readonly headlessServiceName: string;
  /** Name of the console Service, when the console is on. */
  public readonly consoleServiceName?: string;
  /** The Secret holding the root credentials (a reference; the construct does not create it). */
  public readonly credentialsSecret: ISecret;
  /** The root credentials: the Secret's name and the keys of the root user (access key) and password (secret key). */
  public readonly credentials: S3Credentials;
  /** Labels that select the MinIO server pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The topology the construct deployed. */
  public readonly topology: MinioTopology;
  /** The StatefulSet (escape hatch). */
  public readonly statefulSet: ApiObject;
  /** The ClusterIP Service of the S3 API (escape hatch). */
  public readonly service: ApiObject;
  /** The default-deny NetworkPolicy of the server pods, which lets out DNS only (escape hatch). */
  public readonly networkPolicy: NetworkPolicy;
  /** The ServiceMonitor, when requested. */
  public readonly serviceMonitor?: ApiObject;
  /** The PrometheusRule with the alerts, when `metrics.alerts` is set. */
  public readonly prometheusRule?: ApiObject;
  /** The ConfigMap holding the Grafana dashboard, when `metrics.dashboard` is set. */
  public readonly dashboard?: ApiObject;

  private readonly consoleEnabled: boolean;
  private readonly bucketNames: string[];
  private readonly jobProps?: Omit<BucketJobProps, 'users'>;
  private readonly grants: MinioUser[] = [];
  private job?: ApiObject;

  constructor(scope: Construct, id: string, props: MinioProps) {
    super(scope, id);
    this.name = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace, 'default')!;
    const clusterDomain = props.clusterDomain ?? 'cluster.local';
    checkDnsSubdomain('clusterDomain', clusterDomain);
    const credentials = resolveCredentials('credentials', props.credentials);
    const pullSecrets = (props.imagePullSecrets ?? []).map((secret, i) => {
      checkDnsSubdomain(`imagePullSecrets[${i}]`, secret);
      return { name: secret };
    });
    const imagePullSecrets = pullSecrets.length ? pullSecrets : undefined;

    this.topology = props.topology ?? MinioTopology.standalone();
    this.consoleEnabled = props.console !== undefined;
    this.port = Minio.API_PORT;
    this.serviceName = this.name;
    this.headlessServiceName = `${this.name}-hl`;
    this.consoleServiceName = this.consoleEnabled ? `${this.name}-console` : undefined;
    this.endpoint = `http://${this.serviceName}.${this.namespace}.svc.${clusterDomain}:${this.port}`;
    this.credentialsSecret = Secret.fromSecretName(this, 'Credentials', credentials.secretName);
    this.credentials = credentials;
    this.selectorLabels = selectorLabels(this.name, COMPONENT.server);
    declareServingPorts(this, [this.port]);

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, namespace: this.namespace, labels: objectLabels(this.name, COMPONENT.server) },
      automountServiceAccountToken: false,
    });

    const services = new MinioServices(this, 'Services', {
      instance: this.name,
      namespace: this.namespace,
      apiName: this.serviceName,
      headlessName: this.headlessServiceName,
      consoleName: this.consoleServiceName,
      apiPort: this.port,
      consolePort: CONSOLE_PORT,
    });
    this.service = services.api;

    this.statefulSet = new MinioServer(this, 'Server', {
      instance: this.name,
      namespace: this.namespace,
      headlessService: this.headlessServiceName,
      clusterDomain,
      topology: this.topology,
      storage: props.storage,
      image: resolveImage('image', props.image, MINIO_IMAGE),
      resources: resolveResources('resources', props.resources, {
        cpuRequest: Cpu.millis(250),
        cpuLimit: Cpu.units(1),
        memoryRequest: Size.mebibytes(512),
        memoryLimit: Size.gibibytes(1),
      }),
      env: [
        ...credentialsEnv(credentials, 'MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD'),
        ...consoleEnv(props.console),
        ...(props.metrics ? [{ name: 'MINIO_PROMETHEUS_AUTH_TYPE', value: props.metrics.auth ?? MetricsAuth.JWT }] : []),
      ],
      apiPort: this.port,
      consolePort: this.consoleEnabled ? CONSOLE_PORT : undefined,
      serviceAccountName: this.name,
      podAnnotations: props.metrics ? scrapeAnnotations(this.port) : undefined,
      imagePullSecrets,
    }).statefulSet;

    let jobLabels: Record<string, string> | undefined;
    this.bucketNames = (props.buckets ?? []).map((bucket) => bucket.name);
    if (props.buckets && props.buckets.length > 0) {
      jobLabels = selectorLabels(this.name, COMPONENT.bucketJob);
      this.jobProps = {
        buckets: props.buckets,
        options: props.bucketJob,
        namePrefix: this.name,
        namespace: this.namespace,
        labels: jobLabels,
        host: `${this.serviceName}.${this.namespace}.svc.${clusterDomain}`,
        port: this.port,
        credentials,
        serviceAccountName: this.name,
        imagePullSecrets,
      };
      this.renderBucketJob();
    } else if (props.bucketJob) {
      throw new Error('\'bucketJob\' is set but \'buckets\' is empty: declare the buckets the job should create');
    }

    this.networkPolicy = new NetworkIsolation(this, 'Isolation', this, {
      namespace: this.namespace,
      apiPort: this.port,
      distributed: this.topology.isDistributed,
      dns: props.dns ?? kubeDns(this),
      jobLabels,
    }).serverPolicy;

    if (props.metrics) {
      const monitoring = monitoringObjects(this, {
        metrics: props.metrics,
        name: this.name,
        namespace: this.namespace,
        serviceLabels: services.apiLabels,
        portName: PORT_NAMES.api,
        statefulSet: this.name,
        claimTemplates: drives(this.topology).map((drive) => drive.name),
        bucketJobPattern: this.bucketJob ? bucketJobNamePattern(this.name) : undefined,
      });
      this.serviceMonitor = monitoring.serviceMonitor;
      this.prometheusRule = monitoring.prometheusRule;
      this.dashboard = monitoring.dashboard;
      // Prometheus is not egress-isolated by this library: only MinIO's side is written.
      this.connect('metrics', props.metrics.scraper ?? kubePrometheus(this), Minio.API_PORT, { isolation: PodConnectionsIsolation.POD }, 'metrics.scraper');
    }
  }

  /**
   * Lets the peer reach the S3 API (port 9000), as cdk8s-plus `connections.allowFrom` does: MinIO's
   * ingress policy admits the peer, and an egress policy selecting the peer's pods (in each of
   * their namespaces) lets them out to MinIO; an IP block gets MinIO's side only. Calling it again
   * for the same peer returns the same policy.
   *
   * @param peer pods (`Pods.select`, a cdk8s-plus workload, an `S3www`, a `Seeder`), namespaces or
   * an IP block. In Java and C#, where cdk8s-plus's `Pods.select(...)` is only an `IPodSelector`, pass it as is.
   * @returns MinIO's ingress policy (the peer's egress policy with `PodConnectionsIsolation.PEER`)
   */
  public allowFrom(peer: INetworkPolicyPeer | IPodSelector, options: AllowFromOptions = {}): NetworkPolicy {
    return this.connect('api', peer, Minio.API_PORT, options, 'allowFrom');
  }

  /**
   * Lets the peer reach the web console (port 9001), as {@link Minio.allowFrom} does for the S3
   * API. Fails when the console is off.
   *
   * @param peer pods, namespaces or an IP block (e.g. your ingress controller)
   * @returns MinIO's ingress policy (the peer's egress policy with `PodConnectionsIsolation.PEER`)
   */
  public allowConsoleFrom(peer: INetworkPolicyPeer | IPodSelector, options: AllowFromOptions = {}): NetworkPolicy {
    if (!this.consoleEnabled) {
      throw new Error(`allowConsoleFrom(${peer.node.path}): the console is off; set 'console' to turn it on first`);
    }
    return this.connect('console', peer, Minio.CONSOLE_PORT, options, 'allowConsoleFrom');
  }

  /**
   * The Job that creates the buckets and the users, when there are buckets. Its name hashes its whole
   * configuration, so each `grantRead()` or `grantReadWrite()` replaces it with one that knows the new
   * user: patch it after the last grant.
   */
  public get bucketJob(): ApiObject | undefined {
    return this.job;
  }

  /** The users granted so far, in the order of the grants. */
  public get users(): MinioUser[] {
    return [...this.grants];
  }

  /**
   * Gives a consumer a MinIO user of its own that may list one bucket and read its objects
   * (`s3:ListBucket`, `s3:GetObject`) and nothing else, e.g. a web server such as s3www. The bucket
   * Job creates the user from the consumer's Secret, with a policy of its own. It opens no network
   * path: `allowFrom()` does that.
   *
   * @param id names the user's policy, `<name>-<id in lowercase>`
   * @returns the user; its `credentials` are what the consumer reads
   */
  public grantRead(id: string, options: GrantReadOptions): MinioUser {
    // Only what a read grant takes: a stray allowDelete from an untyped caller adds nothing.
    return this.grant('grantRead', id, BucketAccess.READ, { bucket: options.bucket, credentials: options.credentials });
  }

  /**
   * Gives a consumer a MinIO user of its own that may list one bucket, read its objects and write
   * them as a verified multipart upload does (`s3:ListBucket`, `s3:GetObject`,
   * `s3:GetObjectTagging`, `s3:PutObject`, `s3:PutObjectTagging`, `s3:AbortMultipartUpload`), e.g.
   * the Seeder of `@s3www-eks/s3www`; deleting only with `allowDelete`. The bucket Job creates the
   * user from the consumer's Secret, with a policy of its own. It opens no network path:
   * `allowFrom()` does that.
   *
   * @param id names the user's policy, `<name>-<id in lowercase>`
   * @returns the user; its `credentials` are what the consumer reads
   */
  public grantReadWrite(id: string, options: GrantReadWriteOptions): MinioUser {
    return this.grant('grantReadWrite', id, BucketAccess.READ_WRITE, options);
  }

  /** Selects the MinIO server pods in their namespace. */
  public toPodSelectorConfig(): PodSelectorConfig { return podsOf(this.selectorLabels, this.namespace); }

  /** The MinIO server pods as a network peer. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig { return { podSelector: this.toPodSelectorConfig() }; }

  /** The MinIO server pods as a pod selector. */
  public toPodSelector(): IPodSelector | undefined { return this; }

  private grant(verb: string, id: string, access: BucketAccess, options: GrantReadWriteOptions): MinioUser {
    const user = createUser(verb, id, access, options, {
      minioName: this.name, buckets: this.bucketNames, root: this.credentials as ResolvedCredentials, users: this.grants,
    });
    this.grants.push(user);
    this.renderBucketJob();
    return user;
  }

  /** (Re)creates the bucket Job with every user granted so far. */
  private renderBucketJob(): void {
    if (!this.jobProps) return;
    this.node.tryRemoveChild('Buckets');
    this.job = new BucketJob(this, 'Buckets', { ...this.jobProps, users: this.grants }).job;
  }

  private connect(label: string, peer: INetworkPolicyPeer | IPodSelector, port: number, options: AllowFromOptions, verb: string): NetworkPolicy {
    return connect(this, peer, {
      direction: 'Ingress', label, namespace: this.namespace, ports: [NetworkPolicyPort.tcp(port)], isolation: options.isolation, verb,
    });
  }
}

/** The Prometheus of kube-prometheus-stack, as installed in the `monitoring` namespace. */
function kubePrometheus(scope: Construct): IPodSelector {
  return Pods.select(scope, 'Prometheus', {
    labels: { 'app.kubernetes.io/name': 'prometheus' },
    namespaces: Namespaces.select(scope, 'MonitoringNamespace', { names: ['monitoring'] }),
  });
}
