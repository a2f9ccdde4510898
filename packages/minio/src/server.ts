/**
 * The MinIO server pods: a StatefulSet whose command line, drives, placement and probes follow
 * from the topology, and in distributed mode the PodDisruptionBudget that guards its quorum.
 */
import { containerSecurityContext, disruptionBudget, hardenedPod, ResolvedImage } from '@s3www-eks/cdk8s-common';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { COMPONENT, objectLabels, selectorLabels } from './labels';
import { RUN_AS } from './security';
import { PORT_NAMES } from './services';
import { claimTemplates, Drive, StorageOptions } from './storage';
import { MinioTopology, PlacementPolicy } from './topology';

/** $HOME of the server: MinIO creates `~/.minio` and `~/.minio/certs/CAs` at start and exits if it cannot. */
export const HOME = '/home/minio';

/** `/export` for one drive, `/export0`...`/exportN-1` for several (claim templates `export-0`...). */
export function drives(topology: MinioTopology): Drive[] {
  if (topology.drivesPerReplica === 1) return [{ name: 'export', path: '/export' }];
  return Array.from({ length: topology.drivesPerReplica }, (_, i) => ({ name: `export-${i}`, path: `/export${i}` }));
}

/** Where the pods live, for the peer addresses of distributed mode. */
export interface ServerAddressing {
  /** StatefulSet name: pods are `<statefulSet>-0`...`<statefulSet>-N-1`. */
  readonly statefulSet: string;
  readonly headlessService: string;
  readonly namespace: string;
  readonly clusterDomain: string;
  readonly apiPort: number;
  /** Console port, when the console is on. */
  readonly consolePort?: number;
  readonly certsDir: string;
}

/**
 * `minio server` arguments. Distributed mode lists every drive of every pod with MinIO's
 * `{0...N}` expansion against the headless Service, e.g.
 * `http://minio-{0...3}.minio-hl.storage.svc.cluster.local/export{0...1}`.
 */
export function serverArgs(topology: MinioTopology, at: ServerAddressing): string[] {
  const paths = topology.drivesPerReplica === 1 ? '/export' : `/export{0...${topology.drivesPerReplica - 1}}`;
  const volumes = topology.isDistributed
    ? `http://${at.statefulSet}-{0...${topology.replicas - 1}}.${at.headlessService}.${at.namespace}.svc.${at.clusterDomain}${paths}`
    : paths;
  return [
    'server', volumes,
    '--address', `:${at.apiPort}`,
    ...(at.consolePort ? ['--console-address', `:${at.consolePort}`] : []),
    '--certs-dir', at.certsDir,
  ];
}

/** Pod placement of distributed mode: zone spread and node anti-affinity; none when standalone. */
export function placement(topology: MinioTopology, labels: Record<string, string>): Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'> {
  if (!topology.isDistributed) return {};
  const selector = { matchLabels: labels };
  const term: k8s.PodAffinityTerm = { labelSelector: selector, topologyKey: 'kubernetes.io/hostname' };
  return {
    affinity: {
      podAntiAffinity: topology.nodeSpread === PlacementPolicy.REQUIRED
        ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
        : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] },
    },
    topologySpreadConstraints: [{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: topology.zoneSpread === PlacementPolicy.REQUIRED ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: selector,
    }],
  };
}

/**
 * Startup, liveness and readiness probes on the health endpoints. A distributed start waits
 * for its peers, so liveness only counts once the startup probe passed (up to 5 minutes).
 * Readiness is MinIO's read-quorum check: `/minio/health/ready` answers 200 as soon as the HTTP
 * server runs, also on a pod that answers every S3 request with 503 "Server not initialized"
 * (seen with the real server: a distributed pod started alone), and the Service would send
 * clients there. `/minio/health/cluster/read` answers 200 once the pod serves reads: it stays
 * ready with one pod or one zone lost (reads go on), and not before the cluster has formed.
 */
export function probes(portName: string): Pick<k8s.Container, 'startupProbe' | 'livenessProbe' | 'readinessProbe'> {
  const probe = (path: string, periodSeconds: number, failureThreshold: number): k8s.Probe => ({
    httpGet: { path, port: k8s.IntOrString.fromString(portName), scheme: 'HTTP' },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  });
  return {
    startupProbe: probe('/minio/health/live', 5, 60),
    livenessProbe: probe('/minio/health/live', 10, 3),
    readinessProbe: probe('/minio/health/cluster/read', 10, 3),
  };
}

/** Everything the server pods need, resolved and validated by the Minio construct. */
export interface MinioServerProps {
  readonly instance: string;
  readonly namespace: string;
  readonly headlessService: string;
  readonly clusterDomain: string;
  readonly topology: MinioTopology;
  readonly storage?: StorageOptions;
  readonly image: ResolvedImage;
  readonly resources: k8s.ResourceRequirements;
  readonly env: k8s.EnvVar[];
  readonly apiPort: number;
  /** Console port, when the console is on. */
  readonly consolePort?: number;
  readonly serviceAccountName: string;
  readonly podAnnotations?: Record<string, string>;
  readonly imagePullSecrets?: k8s.LocalObjectReference[];
}

/** The StatefulSet of the MinIO server and, in distributed mode, its PodDisruptionBudget. */
export class MinioServer extends Construct {
  public readonly statefulSet: k8s.KubeStatefulSet;

  constructor(scope: Construct, id: string, props: MinioServerProps) {
    super(scope, id);
    const { topology } = props;
    const selector = selectorLabels(props.instance, COMPONENT.server);
    const metadata = { name: props.instance, namespace: props.namespace, labels: objectLabels(props.instance, COMPONENT.server) };
    const driveList = drives(topology);

    this.statefulSet = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata,
      spec: {
        serviceName: props.headlessService,
        replicas: topology.replicas,
        // All nodes must start together: with OrderedReady, pod 0 would wait for a quorum forever.
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: metadata.labels, annotations: props.podAnnotations },
          spec: {
            serviceAccountName: props.serviceAccountName,
            ...hardenedPod(RUN_AS),
            imagePullSecrets: props.imagePullSecrets,
            ...placement(topology, selector),
            containers: [{
              name: 'minio',
              image: props.image.image,
              imagePullPolicy: props.image.pullPolicy,
              command: ['minio'],
              args: serverArgs(topology, {
                statefulSet: props.instance,
                headlessService: props.headlessService,
                namespace: props.namespace,
                clusterDomain: props.clusterDomain,
                apiPort: props.apiPort,
                consolePort: props.consolePort,
                certsDir: `${HOME}/.minio/certs`,
              }),
              env: [...props.env, { name: 'HOME', value: HOME }],
              ports: [
                { name: PORT_NAMES.api, containerPort: props.apiPort, protocol: 'TCP' },
                ...(props.consolePort ? [{ name: PORT_NAMES.console, containerPort: props.consolePort, protocol: 'TCP' }] : []),
              ],
              resources: props.resources,
              securityContext: containerSecurityContext(RUN_AS),
              ...probes(PORT_NAMES.api),
              volumeMounts: [
                ...driveList.map((d) => ({ name: d.name, mountPath: d.path })),
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'config', mountPath: `${HOME}/.minio` },
              ],
            }],
            // The root filesystem is read-only; these are the only paths MinIO writes besides its drives.
            volumes: [
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } },
              { name: 'config', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
            ],
          },
        },
        volumeClaimTemplates: claimTemplates(props.storage, driveList, selector),
      },
    });

    // A pod that is not ready holds no quorum: the budget lets it go, so it never blocks a node drain.
    if (topology.maxUnavailable > 0) {
      disruptionBudget(this, 'DisruptionBudget', metadata, selector, topology.maxUnavailable);
    }
  }
}
