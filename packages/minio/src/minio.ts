import { createHash } from 'crypto';
import { ApiObject, Chart, Names, Size } from 'cdk8s';
import {
  ContainerResources, Cpu, INetworkPolicyPeer, IPodSelector, ISecret, LabelSelector,
  NetworkPolicy, NetworkPolicyPeerConfig, NetworkPolicyPort, PodSelectorConfig, Secret, k8s,
} from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { Bucket, BucketJob, BucketJobOptions, bucketJobNamePattern } from './bucket-job';
import { CONSOLE_PORT, ConsoleOptions, consoleEnv } from './console';
import { MinioCredentials, resolveCredentials, rootCredentialsEnv } from './credentials';
import { ImageOptions, MINIO_IMAGE, resolveImage } from './image';
import { COMPONENT, objectLabels, selectorLabels } from './labels';
import { MetricsAuth, MetricsOptions, scrapeAnnotations } from './metrics';
import { monitoringObjects } from './monitoring';
import { NetworkIsolation } from './network';
import { resolveResources } from './resources';
import { drives, MinioServer } from './server';
import { MinioServices, PORT_NAMES } from './services';
import { StorageOptions } from './storage';
import { MinioTopology } from './topology';
import { checkDnsLabel, checkDnsSubdomain } from './validation';

/** Properties of a {@link Minio}. */
export interface MinioProps {
  /** The existing Secret holding the root user and password. */
  readonly credentials: MinioCredentials;

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
   * Buckets created by a Job once MinIO is ready; existing buckets are left as they are.
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
  /** Key of the root user in `credentialsSecret`. */
  public readonly rootUserKey: string;
  /** Key of the root password in `credentialsSecret`. */
  public readonly rootPasswordKey: string;
  /** Labels that select the MinIO server pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The topology the construct deployed. */
  public readonly topology: MinioTopology;
  /** The StatefulSet (escape hatch). */
  public readonly statefulSet: ApiObject;
  /** The ClusterIP Service of the S3 API (escape hatch). */
  public readonly service: ApiObject;
  /** The default-deny NetworkPolicy of the server pods (escape hatch). */
  public readonly networkPolicy: ApiObject;
  /** The Job creating the buckets, when there are buckets. */
  public readonly bucketJob?: ApiObject;
  /** The ServiceMonitor, when requested. */
  public readonly serviceMonitor?: ApiObject;
  /** The PrometheusRule with the alerts, when `metrics.alerts` is set. */
  public readonly prometheusRule?: ApiObject;
  /** The ConfigMap holding the Grafana dashboard, when `metrics.dashboard` is set. */
  public readonly dashboard?: ApiObject;

  private readonly consoleEnabled: boolean;

  constructor(scope: Construct, id: string, props: MinioProps) {
    super(scope, id);
    this.name = props.name ?? Names.toDnsLabel(this, { maxLen: 40 });
    checkDnsLabel('name', this.name, 40);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    checkDnsLabel('namespace', this.namespace);
    const clusterDomain = props.clusterDomain ?? 'cluster.local';
    checkDnsSubdomain('clusterDomain', clusterDomain);
    const credentials = resolveCredentials(props.credentials);
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
    this.rootUserKey = credentials.userKey;
    this.rootPasswordKey = credentials.passwordKey;
    this.selectorLabels = selectorLabels(this.name, COMPONENT.server);

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
        ...rootCredentialsEnv(credentials),
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
    if (props.buckets && props.buckets.length > 0) {
      jobLabels = selectorLabels(this.name, COMPONENT.bucketJob);
      this.bucketJob = new BucketJob(this, 'Buckets', {
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
      }).job;
    } else if (props.bucketJob) {
      throw new Error('\'bucketJob\' is set but \'buckets\' is empty: declare the buckets the job should create');
    }

    this.networkPolicy = new NetworkIsolation(this, 'Isolation', {
      namePrefix: this.name,
      namespace: this.namespace,
      serverLabels: this.selectorLabels,
      apiPort: this.port,
      distributed: this.topology.isDistributed,
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
    }
  }

  /**
   * Lets the peer's pods reach the S3 API (port 9000) through MinIO's NetworkPolicy. Opens
   * MinIO's side only: if the peer is itself egress-isolated, open its side too, e.g.
   * `app.connections.allowTo(minio, { isolation: PodConnectionsIsolation.POD, ports: [NetworkPolicyPort.tcp(9000)] })`.
   * Calling it again for the same peer returns the same policy.
   *
   * @param peer pods (`Pods.select`, a Deployment...), namespaces or an IP block
   * @returns the NetworkPolicy that admits the peer
   */
  public allowFrom(peer: INetworkPolicyPeer): NetworkPolicy {
    return this.allowIngress('AllowApi', peer, this.port);
  }

  /**
   * Lets the selected pods reach the S3 API (port 9000), as {@link Minio.allowFrom} does.
   *
   * For Java and C#: cdk8s-plus's `Pods.select(...)` is an `IPodSelector` but not declared an
   * `INetworkPolicyPeer`, so `allowFrom` does not accept it there; this does. Calling it again for
   * the same selector returns the same policy.
   *
   * @param pods the client pods, e.g. `Pods.select(chart, 'App', { labels, namespaces })`
   * @returns the NetworkPolicy that admits the pods
   */
  public allowFromPods(pods: IPodSelector): NetworkPolicy {
    return this.allowFrom(podsPeer(pods));
  }

  /**
   * Lets the peer's pods reach the web console (port 9001). Fails when the console is off.
   *
   * @param peer pods, namespaces or an IP block (e.g. your ingress controller)
   * @returns the NetworkPolicy that admits the peer
   */
  public allowConsoleFrom(peer: INetworkPolicyPeer): NetworkPolicy {
    if (!this.consoleEnabled) {
      throw new Error(`allowConsoleFrom(${peer.node.path}): the console is off; set 'console' to turn it on first`);
    }
    return this.allowIngress('AllowConsole', peer, Minio.CONSOLE_PORT);
  }

  /** Selects the MinIO server pods in their namespace. */
  public toPodSelectorConfig(): PodSelectorConfig {
    return { labelSelector: LabelSelector.of({ labels: this.selectorLabels }), namespaces: { names: [this.namespace] } };
  }

  /** The MinIO server pods as a network peer. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** The MinIO server pods as a pod selector. */
  public toPodSelector(): IPodSelector | undefined {
    return this;
  }

  private allowIngress(prefix: string, peer: INetworkPolicyPeer, port: number): NetworkPolicy {
    const id = `${prefix}${peer.node.addr}`;
    const existing = this.node.tryFindChild(id);
    if (existing) return existing as NetworkPolicy;
    const suffix = createHash('sha256').update(peer.node.path).digest('hex').slice(0, 8);
    return new NetworkPolicy(this, id, {
      selector: this,
      metadata: { name: `${this.name}-${prefix === 'AllowApi' ? 'api' : 'console'}-${suffix}`, namespace: this.namespace },
      ingress: { rules: [{ peer, ports: [NetworkPolicyPort.tcp(port)] }] },
    });
  }
}

/**
 * A pod selector as a network peer: the same pods, and the same construct (node, id, path) for the
 * policy's id and name, so allowFrom and allowFromPods of one selector give one policy.
 */
function podsPeer(pods: IPodSelector): INetworkPolicyPeer {
  const peer: Pick<INetworkPolicyPeer, 'toNetworkPolicyPeerConfig' | 'toPodSelector'> = {
    toNetworkPolicyPeerConfig: () => ({ podSelector: pods.toPodSelectorConfig() }),
    toPodSelector: () => pods,
  };
  return Object.assign(Object.create(pods), peer);
}
