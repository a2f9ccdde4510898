import {
  checkExclusive, checkInteger, checkPort, checkUrlPath, connect, containerSecurityContext, credentialsVolume,
  declareServingPorts, disruptionBudget, fail, hardenedPod, isolate, kubeDns, objectLabels, opens, openedPorts, podsOf, resolveImage,
  resolveMaxUnavailable, resolveName, resolveNamespace, resolveResources, selectorLabels as labelsOf,
} from '@s3www-eks/cdk8s-common';
import { ApiObject, Size } from 'cdk8s';
import {
  ContainerResources, Cpu, INetworkPolicyPeer, IPodSelector, k8s, Namespaces, NetworkPolicy, NetworkPolicyIpBlock,
  NetworkPolicyPeerConfig, NetworkPolicyPort, PodConnectionsIsolation, Pods, PodSelectorConfig,
} from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { prometheusRule } from './alerts';
import { autoscalerSpec, AutoscalingOptions } from './autoscaling';
import { resolveBackend, ResolvedBackend, S3Backend, unreachableBackend } from './backend';
import { AllowFromOptions, allowTo, AllowToOptions } from './connections';
import { corsFlag, CorsOptions } from './cors';
import { dashboardConfigMap } from './dashboard';
import { AlbIngressOptions, ingressSpec, loadBalancerSpec, LoadBalancerOptions } from './exposure';
import { ImageOptions, S3WWW_IMAGE } from './image';
import { MONITORING_DEFAULTS, probeObject, resolveMonitoring, S3wwwMonitoringOptions } from './monitoring';
import { CREDENTIALS_DIR, WEB_USER } from './security';
import { seedJobPattern } from './seeder-job';
import { spreadConstraints, TopologySpreadOptions } from './topology';

/** The port s3www listens on inside the pod. */
const S3WWW_PORT = 8080;

/** Properties of {@link S3www}. */
export interface S3wwwProps {
  /** The bucket to serve and how to reach it. */
  readonly backend: S3Backend;

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
   * The s3www image.
   * @default - y4m4/s3www:v1.0.0
   */
  readonly image?: ImageOptions;

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
   * Pods a voluntary disruption (drain, upgrade) may take down at once, enforced by a
   * PodDisruptionBudget; below the fewest pods (`replicas`, or `autoscaling.minReplicas`), so that
   * a drain never takes them all. A single pod gets no budget.
   * @default 1 (no budget with a single pod)
   */
  readonly maxUnavailable?: number;

  /**
   * The cluster DNS, which the pods may query (UDP and TCP 53), e.g. an IP block for NodeLocal DNSCache.
   * @default - pods labelled k8s-app=kube-dns in kube-system (CoreDNS on EKS)
   */
  readonly dns?: INetworkPolicyPeer | IPodSelector;

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
 * ALB Ingress, and autoscaled. Content comes from a {@link Seeder}, or from anything else that
 * writes the bucket.
 *
 * It is a cdk8s-plus pod selector and network peer of its web pods: clients are let in with
 * `site.allowFrom(peer)`, the backend admits it by name (`minio.allowFrom(site)`), and anything
 * else it must reach is opened with `site.allowTo(peer)`. An exposed site that admits nobody
 * fails synthesis.
 *
 * @example
 * const site = new S3www(chart, 'Site', {
 *   backend: { bucket: 'my-site', region: 'eu-west-1', workloadIdentity: {} },
 *   ingress: { host: 'www.example.com' },
 * });
 * site.allowFrom(NetworkPolicyIpBlock.ipv4(chart, 'Vpc', '10.0.0.0/16'));
 */
export class S3www extends Construct implements IPodSelector, INetworkPolicyPeer {
  /** The port s3www listens on in the pod, and that the NetworkPolicy opens. */
  public static readonly CONTAINER_PORT = S3WWW_PORT;

  /** Base name of the objects. */
  public readonly name: string;
  /** Namespace of the objects, when the construct or its chart names one. */
  public readonly namespace?: string;
  /** Name of the Service. */
  public readonly serviceName: string;
  /** Port of the Service. */
  public readonly servicePort: number;
  /** URL of the site inside the cluster. */
  public readonly url: string;
  /** Labels that select the web pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** ServiceAccount of the web pods: the one to associate with an IAM role for Pod Identity. */
  public readonly serviceAccountName: string;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Service. */
  public readonly service: ApiObject;
  /** The Ingress, if `ingress` is set. */
  public readonly ingressObject?: ApiObject;
  /** The default-deny NetworkPolicy of the web pods, which lets out DNS and, for AWS S3, the backend (escape hatch). */
  public readonly networkPolicy: NetworkPolicy;
  /** The blackbox-exporter Probe, if `monitoring` is set. */
  public readonly probe?: ApiObject;
  /** The PrometheusRule with the alerts, if `monitoring` is set. */
  public readonly prometheusRule?: ApiObject;
  /** The Grafana dashboard ConfigMap, if `monitoring` is set. */
  public readonly dashboard?: ApiObject;

  constructor(scope: Construct, id: string, props: S3wwwProps) {
    super(scope, id);
    const backend = resolveBackend(props.backend);
    this.name = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace);
    checkExclusive({ replicas: props.replicas, autoscaling: props.autoscaling });
    checkExclusive({ loadBalancer: props.loadBalancer, ingress: props.ingress });
    const replicas = props.replicas ?? 2;
    checkInteger('replicas', replicas, 0, 1000);
    const maxUnavailable = props.autoscaling
      ? resolveMaxUnavailable('maxUnavailable', props.maxUnavailable, props.autoscaling.minReplicas, 'autoscaling.minReplicas')
      : resolveMaxUnavailable('maxUnavailable', props.maxUnavailable, replicas, 'replicas');
    this.servicePort = props.servicePort ?? 80;
    checkPort('servicePort', this.servicePort);
    const image = resolveImage('image', props.image, S3WWW_IMAGE);

    this.serviceName = this.name;
    this.url = `http://${this.serviceName}${this.namespace ? `.${this.namespace}.svc` : ''}:${this.servicePort}`;
    this.selectorLabels = labelsOf('s3www', this.name, 'web');
    declareServingPorts(this, [S3WWW_PORT]);
    const labels = objectLabels('s3www', this.name, 'web');
    const metadata = (name: string, extra: Partial<k8s.ObjectMeta> = {}): k8s.ObjectMeta => ({ name, namespace: props.namespace, labels, ...extra });

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

    if (maxUnavailable !== undefined) {
      disruptionBudget(this, 'DisruptionBudget', metadata(this.name), this.selectorLabels, maxUnavailable);
    }

    this.networkPolicy = isolate(this, 'NetworkPolicy', { name: this.name, namespace: this.namespace, dns: props.dns ?? kubeDns(this) });
    if (!backend.customEndpoint) {
      // AWS S3's addresses change: any IPv4 address, on 443 only.
      this.networkPolicy.addEgressRule(NetworkPolicyIpBlock.anyIpv4(this, 'AwsS3'), [NetworkPolicyPort.tcp(443)]);
    }

    let proberPolicy: NetworkPolicy | undefined;
    if (props.monitoring) {
      if (!this.namespace) {
        fail('namespace', 'must be set (on the S3www or its chart) when \'monitoring\' is on: the blackbox exporter reaches the Service by <name>.<namespace>.svc', this.namespace);
      }
      const { seeder } = props.monitoring;
      const monitoring = resolveMonitoring(props.monitoring, {
        name: this.name,
        namespace: this.namespace,
        serviceName: this.serviceName,
        servicePort: this.servicePort,
        bucket: backend.bucket,
        labels: objectLabels('s3www', this.name, 'monitoring'),
        seedJobPattern: seeder ? seedJobPattern(seeder.name) : undefined,
        seedJobNamespace: seeder ? (seeder.namespace ?? this.namespace) : undefined,
        // A fixed-size autoscaler (min = max) always runs at its maximum: no alert for that.
        maxReplicas: props.autoscaling && props.autoscaling.maxReplicas > props.autoscaling.minReplicas ? props.autoscaling.maxReplicas : undefined,
      });
      this.probe = probeObject(this, 'Probe', monitoring);
      this.prometheusRule = prometheusRule(this, 'Alerts', monitoring);
      this.dashboard = dashboardConfigMap(this, 'Dashboard', monitoring);
      // The exporter is not egress-isolated by this library: only s3www's side is written.
      proberPolicy = connect(this, props.monitoring.prober ?? blackboxExporter(this), {
        direction: 'Ingress', label: 'prober', namespace: this.namespace, ports: [NetworkPolicyPort.tcp(S3WWW_PORT)], isolation: PodConnectionsIsolation.POD, verb: 'monitoring.prober',
      });
    }

    // Checked at synth, so that allow* calls after construction (on this or on the backend) count.
    const exposedBy = props.ingress ? { prop: 'ingress', what: 'an ALB' } : props.loadBalancer ? { prop: 'loadBalancer', what: 'an NLB' } : undefined;
    this.node.addValidation({
      validate: () => {
        const pods = { labels: this.selectorLabels, namespace: this.namespace };
        const errors = unreachableBackend(this, `s3www '${this.name}'`, backend, pods);
        if (exposedBy && !opens(openedPorts(this, pods, 'Ingress', proberPolicy ? [proberPolicy] : []), S3WWW_PORT, 'http')) {
          errors.push(`'${exposedBy.prop}' exposes s3www '${this.name}' through ${exposedBy.what}, but no NetworkPolicy admits anyone to its pods on port ${S3WWW_PORT}, `
            + 'so every target would stay unhealthy: call allowFrom() with the load balancer\'s sources, usually the VPC CIDR for IP targets '
            + '(allowFrom(NetworkPolicyIpBlock.ipv4(scope, \'Vpc\', vpcCidr)))');
        }
        return errors;
      },
    });
  }

  /** Selects the web pods in their namespace (without one, in the namespace of the selecting policy). */
  public toPodSelectorConfig(): PodSelectorConfig { return podsOf(this.selectorLabels, this.namespace); }

  /** The web pods as a network peer, e.g. for `minio.allowFrom(site)`. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig { return { podSelector: this.toPodSelectorConfig() }; }

  /** The web pods as a pod selector. */
  public toPodSelector(): IPodSelector | undefined { return this; }

  /**
   * Lets the peer reach the web pods (port 8080), as cdk8s-plus `connections.allowFrom` does: the
   * web pods' ingress policy, and an egress policy selecting the peer's pods (none for an IP block).
   * With ALB or NLB IP targets, admit the VPC CIDR; for an in-cluster ingress controller, its pods
   * (with `PodConnectionsIsolation.POD` unless they are egress-isolated). Calling it again for the
   * same peer returns the same policy.
   *
   * @param peer pods, namespaces or an IP block; in Java and C#, `Pods.select(...)` as is
   * @returns the web pods' ingress policy (the peer's egress policy with `PodConnectionsIsolation.PEER`)
   */
  public allowFrom(peer: INetworkPolicyPeer | IPodSelector, options: AllowFromOptions = {}): NetworkPolicy {
    return connect(this, peer, {
      direction: 'Ingress', label: 'http', namespace: this.namespace, ports: [NetworkPolicyPort.tcp(S3WWW_PORT)], isolation: options.isolation, verb: 'allowFrom',
    });
  }

  /**
   * Lets the web pods reach the peer, as cdk8s-plus `connections.allowTo` does: the web pods'
   * egress policy, and an ingress policy selecting the peer's pods (none for an IP block), e.g.
   * for a backend that is not a `Minio` of `@s3www-eks/minio` (whose `allowFrom(site)` does both).
   * Calling it again for the same peer returns the same policy.
   *
   * @param peer pods, namespaces or an IP block; in Java and C#, `Pods.select(...)` as is
   * @returns the web pods' egress policy (the peer's ingress policy with `PodConnectionsIsolation.PEER`)
   */
  public allowTo(peer: INetworkPolicyPeer | IPodSelector, options: AllowToOptions = {}): NetworkPolicy {
    return allowTo(this, this.namespace, peer, options);
  }

  private podSpec(props: S3wwwProps, backend: ResolvedBackend, image: { image: string; pullPolicy: string }): k8s.PodSpec {
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
      checkUrlPath('probePath', props.probePath);
      readiness = { httpGet: { path: props.probePath, port: k8s.IntOrString.fromString('http') } };
    }
    return {
      serviceAccountName: this.serviceAccountName,
      ...hardenedPod(WEB_USER),
      topologySpreadConstraints: spreadConstraints(props.topologySpread ?? {}, this.selectorLabels),
      containers: [{
        name: 's3www',
        image: image.image,
        imagePullPolicy: image.pullPolicy,
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
      volumes: backend.credentials ? [credentialsVolume('credentials', backend.credentials)] : [],
    };
  }
}

/** The blackbox exporter's pods as the prometheus-blackbox-exporter chart labels them, in the `monitoring` namespace. */
function blackboxExporter(scope: Construct): IPodSelector {
  return Pods.select(scope, 'Prober', {
    labels: { ...MONITORING_DEFAULTS.proberLabels },
    namespaces: Namespaces.select(scope, 'MonitoringNamespace', { names: [MONITORING_DEFAULTS.proberNamespace] }),
  });
}
