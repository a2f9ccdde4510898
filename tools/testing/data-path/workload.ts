/**
 * Reads the parts of the synthesized workload that run programs: the MinIO StatefulSet and its
 * Services, the bucket Job, the seeder Job and its ConfigMaps, and the s3www Deployment and its
 * Service. Only what the manifests say is taken; nothing is filled in from the constructs.
 */
export type Json = Record<string, any>;

/** An environment variable as the container spec gives it: a literal, or a key of a Secret. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly secret?: { readonly name: string; readonly key: string };
}

/** Where a mounted volume's files come from. */
export type VolumeSource =
  | { readonly kind: 'emptyDir' }
  /** A PersistentVolumeClaim from the StatefulSet's claim templates (kept across pod restarts). */
  | { readonly kind: 'claim'; readonly claim: string }
  | { readonly kind: 'secret'; readonly secretName: string; readonly items?: Array<{ key: string; path: string }>; readonly defaultMode?: number }
  | { readonly kind: 'configMaps'; readonly names: string[]; readonly defaultMode?: number };

export interface Mount {
  readonly volume: string;
  readonly mountPath: string;
  readonly source: VolumeSource;
}

export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: string | number };
  readonly tcpSocket?: { readonly port: string | number };
}

/** One container of a pod template, as rendered. */
export interface ContainerSpec {
  /** `Kind/name` of the object whose pod template holds it. */
  readonly owner: string;
  readonly name: string;
  readonly image: string;
  /** The container's `command` (the image's entrypoint when absent). */
  readonly command?: string[];
  readonly args: string[];
  readonly env: EnvVar[];
  readonly mounts: Mount[];
  readonly ports: Array<{ readonly name?: string; readonly containerPort: number }>;
  readonly readinessProbe?: Probe;
  readonly runAsUser?: number;
}

export interface ServiceSpec {
  readonly name: string;
  readonly headless: boolean;
  readonly selector: Record<string, string>;
  readonly ports: Array<{ readonly name?: string; readonly port: number; readonly targetPort: string | number }>;
}

export interface JobSpec {
  readonly name: string;
  readonly container: ContainerSpec;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds?: number;
  /** Exit codes on which a podFailurePolicy fails the Job at once. */
  readonly failJobOnExitCodes: number[];
}

export interface Workload {
  readonly namespace: string;
  readonly minio: {
    readonly name: string;
    readonly replicas: number;
    /** The headless Service that names the pods (`<name>-<i>.<serviceName>...`). */
    readonly serviceName: string;
    readonly labels: Record<string, string>;
    readonly container: ContainerSpec;
    /** Topology spread over zones (`topology.kubernetes.io/zone`), if any. */
    readonly zoneSpread?: { readonly maxSkew: number; readonly whenUnsatisfiable: string };
  };
  readonly bucketJob: JobSpec;
  readonly seederJob: JobSpec;
  readonly s3www: {
    readonly name: string;
    readonly labels: Record<string, string>;
    /** Fixed replicas, else the autoscaler's minimum. */
    readonly replicas: number;
    readonly container: ContainerSpec;
  };
  readonly services: ServiceSpec[];
  /** ConfigMaps by name. */
  readonly configMaps: ReadonlyMap<string, Json>;
}

/** The cluster DNS domain the manifests assume. */
export const CLUSTER_DOMAIN = 'cluster.local';

/** Reads the workload out of the objects of one environment's plain manifests. */
export function readWorkload(objects: Json[]): Workload {
  const one = (what: string, match: (o: Json) => boolean): Json => {
    const found = objects.filter(match);
    if (found.length !== 1) throw new Error(`expected exactly one ${what} in the manifests, found ${found.length}`);
    return found[0];
  };
  const labelled = (kind: string, name: string, component?: string) => (o: Json) => o.kind === kind
    && o.metadata?.labels?.['app.kubernetes.io/name'] === name
    && (component === undefined || o.metadata?.labels?.['app.kubernetes.io/component'] === component);

  const statefulSet = one('MinIO StatefulSet', labelled('StatefulSet', 'minio'));
  const bucketJob = one('MinIO bucket Job', labelled('Job', 'minio', 'bucket-job'));
  const seederJob = one('seeder Job', labelled('Job', 's3www', 'seeder'));
  const deployment = one('s3www Deployment', labelled('Deployment', 's3www', 'web'));
  const autoscaler = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec?.scaleTargetRef?.name === deployment.metadata.name);
  const namespace = statefulSet.metadata.namespace;
  if (!namespace) throw new Error('the MinIO StatefulSet has no namespace: the cluster DNS names cannot be formed');

  const zone = (statefulSet.spec.template.spec.topologySpreadConstraints ?? [])
    .find((c: Json) => c.topologyKey === 'topology.kubernetes.io/zone');
  return {
    namespace,
    minio: {
      name: statefulSet.metadata.name,
      replicas: statefulSet.spec.replicas ?? 1,
      serviceName: statefulSet.spec.serviceName,
      labels: statefulSet.spec.template.metadata?.labels ?? {},
      container: onlyContainer(statefulSet, statefulSet.spec.volumeClaimTemplates ?? []),
      zoneSpread: zone ? { maxSkew: zone.maxSkew, whenUnsatisfiable: zone.whenUnsatisfiable } : undefined,
    },
    bucketJob: jobSpec(bucketJob),
    seederJob: jobSpec(seederJob),
    s3www: {
      name: deployment.metadata.name,
      labels: deployment.spec.template.metadata?.labels ?? {},
      replicas: deployment.spec.replicas ?? autoscaler?.spec?.minReplicas ?? 1,
      container: onlyContainer(deployment),
    },
    services: objects.filter((o) => o.kind === 'Service' && o.metadata?.namespace === namespace).map((o) => ({
      name: o.metadata.name,
      headless: o.spec.clusterIP === 'None',
      selector: o.spec.selector ?? {},
      ports: (o.spec.ports ?? []).map((p: Json) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port })),
    })),
    configMaps: new Map(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o])),
  };
}

function jobSpec(job: Json): JobSpec {
  const rules: Json[] = job.spec.podFailurePolicy?.rules ?? [];
  return {
    name: job.metadata.name,
    container: onlyContainer(job),
    backoffLimit: job.spec.backoffLimit ?? 6,
    activeDeadlineSeconds: job.spec.activeDeadlineSeconds,
    failJobOnExitCodes: rules
      .filter((r) => r.action === 'FailJob' && r.onExitCodes?.operator === 'In')
      .flatMap((r) => r.onExitCodes.values as number[]),
  };
}

/** The single container of a workload object's pod template, with its volumes resolved. */
function onlyContainer(object: Json, claimTemplates: Json[] = []): ContainerSpec {
  const owner = `${object.kind}/${object.metadata.name}`;
  const pod = object.spec.template.spec;
  if ((pod.containers ?? []).length !== 1 || (pod.initContainers ?? []).length > 0) {
    throw new Error(`${owner}: the harness runs pods of exactly one container and no init containers`);
  }
  const c = pod.containers[0];
  const volumes = new Map<string, Json>((pod.volumes ?? []).map((v: Json) => [v.name, v]));
  const claims = new Set(claimTemplates.map((t) => t.metadata.name));
  const mounts: Mount[] = (c.volumeMounts ?? []).map((m: Json) => {
    if (m.subPath) throw new Error(`${owner}: volume mount ${m.name} uses subPath, which the harness does not map`);
    return { volume: m.name, mountPath: m.mountPath, source: volumeSource(owner, m.name, volumes.get(m.name), claims) };
  });
  return {
    owner,
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args ?? [],
    env: (c.env ?? []).map((e: Json) => {
      if (e.value !== undefined) return { name: e.name, value: String(e.value) };
      const ref = e.valueFrom?.secretKeyRef;
      if (ref) return { name: e.name, secret: { name: ref.name, key: ref.key } };
      throw new Error(`${owner}: env ${e.name} has a source the harness does not map: ${JSON.stringify(e.valueFrom)}`);
    }),
    mounts,
    ports: (c.ports ?? []).map((p: Json) => ({ name: p.name, containerPort: p.containerPort })),
    readinessProbe: c.readinessProbe,
    runAsUser: c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser,
  };
}

function volumeSource(owner: string, name: string, volume: Json | undefined, claims: Set<string>): VolumeSource {
  if (!volume) {
    if (claims.has(name)) return { kind: 'claim', claim: name };
    throw new Error(`${owner}: volume ${name} is neither a pod volume nor a claim template`);
  }
  if (volume.emptyDir) return { kind: 'emptyDir' };
  if (volume.secret) {
    return { kind: 'secret', secretName: volume.secret.secretName, items: volume.secret.items, defaultMode: volume.secret.defaultMode };
  }
  if (volume.projected && (volume.projected.sources as Json[]).every((s) => s.configMap && !s.configMap.items)) {
    return { kind: 'configMaps', names: volume.projected.sources.map((s: Json) => s.configMap.name), defaultMode: volume.projected.defaultMode };
  }
  if (volume.configMap && !volume.configMap.items) {
    return { kind: 'configMaps', names: [volume.configMap.name], defaultMode: volume.configMap.defaultMode };
  }
  throw new Error(`${owner}: volume ${name} has a source the harness does not map: ${JSON.stringify(volume)}`);
}

/** Every DNS name a Service answers to from inside its namespace, longest first. */
export function serviceNames(service: string, namespace: string): string[] {
  return [`${service}.${namespace}.svc.${CLUSTER_DOMAIN}`, `${service}.${namespace}.svc`, `${service}.${namespace}`];
}

/** The DNS name of a StatefulSet pod behind its headless Service. */
export function podName(statefulSet: string, ordinal: number, headless: string, namespace: string): string {
  return `${statefulSet}-${ordinal}.${headless}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** True when every label of the selector is on the pod. */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/**
 * The zone of each pod when the scheduler spreads `replicas` pods over `zones` zones with a
 * maximum skew (each pod goes to a least-loaded zone, the first on a tie). Zones are named a, b, c...
 */
export function spreadOverZones(replicas: number, zones: number, maxSkew: number): string[] {
  const counts = new Array<number>(zones).fill(0);
  const placed: string[] = [];
  for (let i = 0; i < replicas; i++) {
    const zone = counts.indexOf(Math.min(...counts));
    counts[zone]++;
    if (Math.max(...counts) - Math.min(...counts) > maxSkew) throw new Error('internal error: spread exceeds its skew');
    placed.push(String.fromCharCode(97 + zone));
  }
  return placed;
}
