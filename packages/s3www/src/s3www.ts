import { ApiObject, Chart, Lazy, Names, Size } from 'cdk8s';
import {
  ContainerResources, Cpu, INetworkPolicyPeer, IPodSelector, k8s, LabelSelector, NetworkPolicyPeerConfig, PodSelectorConfig,
} from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { prometheusRule } from './alerts';
import { autoscalerSpec, AutoscalingOptions } from './autoscaling';
import { resolveBackend, ResolvedBackend, S3wwwBackend } from './backend';
import { corsFlag, CorsOptions } from './cors';
import { dashboardConfigMap } from './dashboard';
import { AlbIngressOptions, ingressSpec, loadBalancerSpec, LoadBalancerOptions } from './exposure';
import { MONITORING_DEFAULTS, probeObject, resolveMonitoring, S3wwwMonitoringOptions } from './monitoring';
import { NetworkPeer } from './network-peer';
import { dnsEgressRule, egressRule, ingressRule, KUBE_DNS } from './network-policy';
import { resolveResources } from './resources';
import { containerSecurityContext, CREDENTIALS_DIR, credentialsVolume, podSecurityContext, WEB_USER } from './security';
import { SEEDER_IMAGE, SeederJob, SeedOptions } from './seeder-job';
import { spreadConstraints, TopologySpreadOptions } from './topology';
import { checkDnsLabel, checkExclusive, checkImage, checkInteger, checkPort, fail } from './validation';

/** The port s3www listens on inside the pod. */
const S3WWW_PORT = 8080;

/** Properties of {@link S3www}. */
export interface S3wwwProps {
  /** The bucket to serve and seed, and how to reach it. */
  readonly backend: S3wwwBackend;

  /**
   * Base name of every object (Deployment, Service, ...). Changing it replaces all of them.
   * @default - a unique name derived from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of every object.
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * The s3www image, for a mirror; pinned to a tag or digest.
   * @default 'y4m4/s3www:v1.0.0'
   */
  readonly image?: string;

  /**
   * Number of pods. Mutually exclusive with `autoscaling`, which then owns the count.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Requests and limits of the s3www container.
   * @default - cpu 50m request / 500m limit, memory 32Mi request / 128Mi limit
   */
  readonly resources?: ContainerResources;

  /**
   * Folder of the bucket served as the site root (`-bucketPath`).
   * @default - the whole bucket
   */
  readonly bucketPath?: string;

  /**
   * File served for paths that match no object, for single-page applications (`-spaFile`).
   * @default - a missing object answers 404
   */
  readonly spaFile?: string;

  /**
   * Cross-origin access (`-allowed-cors-origins`).
   * @default - no origin is allowed (s3www's own default would allow every origin)
   */
  readonly cors?: CorsOptions;

  /**
   * Spread of the pods over zones and nodes.
   * @default - zones, then nodes, max skew 1, ScheduleAnyway
   */
  readonly topologySpread?: TopologySpreadOptions;

  /**
   * Path of an object the readiness probe requests (HTTP 200 expected), e.g. `/index.html`.
   * The liveness probe always opens a TCP connection: s3www has no health endpoint, and a
   * missing object must not restart pods.
   * @default - readiness is a TCP connection to port 8080
   */
  readonly probePath?: string;

  /**
   * Port of the Service.
   * @default 80
   */
  readonly servicePort?: number;

  /**
   * Exposes the Service as a Network Load Balancer (type LoadBalancer). Mutually exclusive with `ingress`.
   * @default - a ClusterIP Service
   */
  readonly loadBalancer?: LoadBalancerOptions;

  /**
   * Exposes the Service through an Ingress of class `alb`. Mutually exclusive with `loadBalancer`.
   * @default - no Ingress
   */
  readonly ingress?: AlbIngressOptions;

  /**
   * Scales the pods on CPU with a HorizontalPodAutoscaler.
   * @default - a fixed number of `replicas`
   */
  readonly autoscaling?: AutoscalingOptions;

  /**
   * Pods a voluntary disruption (drain, upgrade) may take down at once (PodDisruptionBudget).
   * @default 1
   */
  readonly maxUnavailable?: number;

  /**
   * Where requests to s3www may come from (NetworkPolicy ingress to port 8080). With ALB or NLB IP
   * targets, name the VPC CIDR; for an in-cluster ingress controller, its pods. More can be
   * added with {@link S3www.allowFrom}.
   * @default - none: the pods accept no traffic until a peer is allowed
   */
  readonly allowFrom?: NetworkPeer[];

  /**
   * The cluster DNS, which the pods may query (UDP and TCP 53).
   * @default - pods labelled k8s-app=kube-dns in kube-system (CoreDNS on EKS)
   */
  readonly dns?: NetworkPeer;

  /**
   * Seeds the bucket with files downloaded from URLs, in a Job.
   * @default - no seeder
   */
  readonly seed?: SeedOptions;

  /**
   * Monitors the site from outside (s3www serves no metrics): a blackbox-exporter `Probe` on the
   * Service, a `PrometheusRule` and a Grafana dashboard ConfigMap. Needs the Prometheus Operator CRDs
   * and a namespace (on the construct or its chart); the NetworkPolicy admits the prober.
   * @default - no monitoring objects
   */
  readonly monitoring?: S3wwwMonitoringOptions;
}

/**
 * The s3www web server for an S3-compatible bucket: a hardened Deployment, its Service,
 * PodDisruptionBudget, NetworkPolicy and ServiceAccount, optionally exposed through an NLB or an
 * ALB Ingress, autoscaled, and with a Job that seeds the bucket.
 *
 * It is a cdk8s-plus pod selector and network peer of all its pods (web and seeder), so a backend
 * admits it by name, e.g. `minio.allowFrom(site)`.
 */
export class S3www extends Construct implements IPodSelector, INetworkPolicyPeer {
  /**
   * The s3www image run by default, pinned by tag (the digest could not be verified offline;
   * pass `image` with a digest to pin harder).
   */
  public static readonly DEFAULT_IMAGE = 'y4m4/s3www:v1.0.0';

  /** The Node.js image that runs the seeder by default. */
  public static readonly DEFAULT_SEEDER_IMAGE = SEEDER_IMAGE;

  /** The port s3www listens on in the pod, and that the NetworkPolicy opens. */
  public static readonly CONTAINER_PORT = S3WWW_PORT;

  /** Base name of the objects. */
  public readonly name: string;
  /** Name of the Service. */
  public readonly serviceName: string;
  /** Port of the Service. */
  public readonly servicePort: number;
  /** URL of the site inside the cluster. */
  public readonly url: string;
  /** Labels that select the web pods (e.g. for a NetworkPolicy of a client). */
  public readonly selectorLabels: Record<string, string>;
  /**
   * Labels of every pod of this instance: the web pods and the seeder's. The backend must admit
   * these; {@link S3www.toPodSelectorConfig} selects them.
   */
  public readonly instanceLabels: Record<string, string>;
  /** ServiceAccount of the web pods: the one to associate with an IAM role for Pod Identity. */
  public readonly serviceAccountName: string;
  /** ServiceAccount of the seeder Job, if any. */
  public readonly seederServiceAccountName?: string;
  /** Name of the seeder Job, if any; it changes with the seeder's configuration. */
  public readonly seedJobName?: string;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Service. */
  public readonly service: ApiObject;
  /** The Ingress, if `ingress` is set. */
  public readonly ingressObject?: ApiObject;
  /** The blackbox-exporter Probe, if `monitoring` is set. */
  public readonly probe?: ApiObject;
  /** The PrometheusRule with the alerts, if `monitoring` is set. */
  public readonly prometheusRule?: ApiObject;
  /** The Grafana dashboard ConfigMap, if `monitoring` is set. */
  public readonly dashboard?: ApiObject;

  private readonly ingressPeers: NetworkPeer[];
  private readonly podNamespace?: string;

  constructor(scope: Construct, id: string, props: S3wwwProps) {
    super(scope, id);
    const backend = resolveBackend(props.backend);
    this.name = props.name ?? Names.toDnsLabel(this, { maxLen: 40 });
    checkDnsLabel('name', this.name, 40);
    if (props.namespace !== undefined) checkDnsLabel('namespace', props.namespace);
    checkExclusive({ replicas: props.replicas, autoscaling: props.autoscaling });
    checkExclusive({ loadBalancer: props.loadBalancer, ingress: props.ingress });
    const replicas = props.replicas ?? 2;
    checkInteger('replicas', replicas, 0, 1000);
    const maxUnavailable = props.maxUnavailable ?? 1;
    checkInteger('maxUnavailable', maxUnavailable, 1, 1000);
    this.servicePort = props.servicePort ?? 80;
    checkPort('servicePort', this.servicePort);
    const image = props.image ?? S3www.DEFAULT_IMAGE;
    checkImage('image', image);
    this.ingressPeers = [...(props.allowFrom ?? [])];
    const dns = props.dns ?? KUBE_DNS;
    const prober = props.monitoring ? (props.monitoring.prober ?? MONITORING_DEFAULTS.prober) : undefined;

    const namespace = props.namespace ?? Chart.of(this).namespace;
    this.serviceName = this.name;
    this.url = `http://${this.serviceName}${namespace ? `.${namespace}.svc` : ''}:${this.servicePort}`;
    this.podNamespace = namespace;
    this.instanceLabels = { 'app.kubernetes.io/name': 's3www', 'app.kubernetes.io/instance': this.name };
    this.selectorLabels = { ...this.instanceLabels, 'app.kubernetes.io/component': 'web' };
    const metadata = (name: string, extra: Partial<k8s.ObjectMeta> = {}): k8s.ObjectMeta => ({
      name, namespace: props.namespace, labels: { ...this.selectorLabels, 'app.kubernetes.io/managed-by': 'cdk8s' }, ...extra,
    });

    this.serviceAccountName = this.name;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: metadata(this.serviceAccountName, backend.workloadIdentity?.annotations ? { annotations: backend.workloadIdentity.annotations } : {}),
      automountServiceAccountToken: false,
    });

    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata: metadata(this.name),
      spec: {
        ...(props.autoscaling ? {} : { replicas }),
        selector: { matchLabels: this.selectorLabels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels: this.selectorLabels },
          spec: this.podSpec(props, backend, image),
        },
      },
    });

    const exposure = props.loadBalancer ? loadBalancerSpec(props.loadBalancer) : undefined;
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: metadata(this.serviceName, exposure ? { annotations: exposure.annotations } : {}),
      spec: {
        type: 'ClusterIP',
        ...exposure?.spec,
        selector: this.selectorLabels,
        ports: [{ name: 'http', port: this.servicePort, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });

    if (props.ingress) {
      const ingress = ingressSpec(props.ingress, this.serviceName, this.servicePort);
      this.ingressObject = new k8s.KubeIngress(this, 'Ingress', { metadata: metadata(this.name, { annotations: ingress.annotations }), spec: ingress.spec });
    }

    if (props.autoscaling) {
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', { metadata: metadata(this.name), spec: autoscalerSpec(props.autoscaling, this.name) });
    }

    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: metadata(this.name),
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable), selector: { matchLabels: this.selectorLabels } },
    });

    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(this.name),
      spec: {
        podSelector: { matchLabels: this.selectorLabels },
        policyTypes: ['Ingress', 'Egress'],
        // Resolved at synth, so that allowFrom() calls after construction count.
        ingress: Lazy.any({
          produce: () => [
            ...(this.ingressPeers.length ? [ingressRule(this.ingressPeers, [S3WWW_PORT])] : []),
            ...(prober ? [ingressRule([prober], [S3WWW_PORT])] : []),
          ],
        }),
        egress: [dnsEgressRule(dns), egressRule(backend.peers, [backend.port])],
      },
    });

    if (props.seed) {
      const seeder = new SeederJob(this, 'Seeder', props.seed, {
        name: this.name,
        namespace: props.namespace,
        backend,
        dns,
        labels: { ...this.instanceLabels, 'app.kubernetes.io/component': 'seeder' },
      });
      this.seedJobName = seeder.jobName;
      this.seederServiceAccountName = seeder.serviceAccountName;
    }

    if (props.monitoring) {
      if (!namespace) {
        fail('namespace', 'must be set (on the S3www or its chart) when \'monitoring\' is on: the blackbox exporter reaches the Service by <name>.<namespace>.svc', namespace);
      }
      const monitoring = resolveMonitoring(props.monitoring, {
        name: this.name,
        namespace,
        serviceName: this.serviceName,
        servicePort: this.servicePort,
        bucket: backend.bucket,
        labels: { ...this.selectorLabels, 'app.kubernetes.io/component': 'monitoring', 'app.kubernetes.io/managed-by': 'cdk8s' },
        seedJobPattern: props.seed ? `${this.name}-seed-[0-9a-f]+` : undefined,
        // A fixed-size autoscaler (min = max) always runs at its maximum: no alert for that.
        maxReplicas: props.autoscaling && props.autoscaling.maxReplicas > props.autoscaling.minReplicas ? props.autoscaling.maxReplicas : undefined,
      });
      this.probe = probeObject(this, 'Probe', monitoring);
      this.prometheusRule = prometheusRule(this, 'Alerts', monitoring);
      this.dashboard = dashboardConfigMap(this, 'Dashboard', monitoring);
    }
  }

  /**
   * Selects every pod of this instance (web and seeder, {@link S3www.instanceLabels}) in its namespace,
   * or in the namespace of the selecting policy when neither the construct nor its chart has one.
   */
  public toPodSelectorConfig(): PodSelectorConfig {
    return {
      labelSelector: LabelSelector.of({ labels: this.instanceLabels }),
      namespaces: this.podNamespace ? { names: [this.podNamespace] } : undefined,
    };
  }

  /** Every pod of this instance as a network peer, e.g. for `minio.allowFrom(site)`. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** Every pod of this instance as a pod selector. */
  public toPodSelector(): IPodSelector | undefined {
    return this;
  }

  /**
   * Allows requests from a peer to the web pods (port 8080), e.g. the VPC CIDR for ALB IP targets.
   * @returns the peer
   */
  public allowFrom(peer: NetworkPeer): NetworkPeer {
    this.ingressPeers.push(peer);
    return peer;
  }

  private podSpec(props: S3wwwProps, backend: ResolvedBackend, image: string): k8s.PodSpec {
    const args = ['-address', `0.0.0.0:${S3WWW_PORT}`, '-endpoint', backend.endpoint, '-bucket', backend.bucket];
    if (props.bucketPath !== undefined) {
      if (!/^[^\s]+$/.test(props.bucketPath)) fail('bucketPath', 'must be a non-empty path without spaces', props.bucketPath);
      args.push('-bucketPath', props.bucketPath);
    }
    if (props.spaFile !== undefined) {
      if (!/^[^\s/][^\s]*$/.test(props.spaFile)) fail('spaFile', 'must be an object key without spaces, not starting with \'/\'', props.spaFile);
      args.push('-spaFile', props.spaFile);
    }
    const cors = corsFlag(props.cors);
    if (cors !== undefined) args.push('-allowed-cors-origins', cors);
    if (backend.credentials) args.push('-accessKeyFile', `${CREDENTIALS_DIR}/accessKey`, '-secretKeyFile', `${CREDENTIALS_DIR}/secretKey`);

    const tcp = { tcpSocket: { port: k8s.IntOrString.fromString('http') } };
    let readiness: k8s.Probe = tcp;
    if (props.probePath !== undefined) {
      if (!/^\/[\x21-\x7e]*$/.test(props.probePath)) fail('probePath', 'must be an absolute URL path starting with \'/\'', props.probePath);
      readiness = { httpGet: { path: props.probePath, port: k8s.IntOrString.fromString('http') } };
    }
    return {
      serviceAccountName: this.serviceAccountName,
      // EKS Pod Identity and IRSA mount their own projected tokens; the API token is never needed.
      automountServiceAccountToken: false,
      securityContext: podSecurityContext(WEB_USER),
      topologySpreadConstraints: spreadConstraints(props.topologySpread ?? {}, this.selectorLabels),
      containers: [{
        name: 's3www',
        image,
        args,
        ports: [{ name: 'http', containerPort: S3WWW_PORT, protocol: 'TCP' }],
        resources: resolveResources('resources', props.resources, {
          cpuRequest: Cpu.millis(50), cpuLimit: Cpu.millis(500), memoryRequest: Size.mebibytes(32), memoryLimit: Size.mebibytes(128),
        }),
        readinessProbe: { ...readiness, periodSeconds: 10, failureThreshold: 3 },
        livenessProbe: { ...tcp, initialDelaySeconds: 5, periodSeconds: 20, failureThreshold: 3 },
        securityContext: containerSecurityContext(WEB_USER),
        volumeMounts: backend.credentials ? [{ name: 'credentials', mountPath: CREDENTIALS_DIR, readOnly: true }] : [],
      }],
      volumes: backend.credentials ? [credentialsVolume(backend.credentials)] : [],
    };
  }
}
