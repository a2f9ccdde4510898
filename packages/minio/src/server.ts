/**
 * The parts of the MinIO pod spec that follow from the topology: the `minio server` command
 * line, the drives, the placement rules and the health probes.
 */
import { k8s } from 'cdk8s-plus-33';
import { MinioTopology, PlacementPolicy } from './topology';

/** A drive of a pod: its claim template (and volume) name and mount path. */
export interface Drive {
  readonly name: string;
  readonly path: string;
}

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
    readinessProbe: probe('/minio/health/ready', 10, 3),
  };
}
