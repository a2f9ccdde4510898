/**
 * The Pod Security Standard "restricted" profile, plus the hardening this project adds on top
 * (read-only root filesystem, resources, pinned images, no API token, a fixed UID), checked on every
 * pod spec of a set of Kubernetes objects, where no API server runs: the cdk8s libraries' synth tests
 * and the reference app's output tests.
 *
 * Where a test runs a real API server (kube-apiserver.ts), Pod Security admission itself decides
 * ({@link podAdmissionProblems}); test/pod-security tests keep {@link restrictedProfileProblems} in
 * agreement with it on every pod spec we emit and on broken variants of them.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
type Json = Record<string, any>;

/** A pod spec found in an object, with a readable name for error messages. */
export interface FoundPodSpec {
  readonly owner: string;
  readonly spec: Json;
}

/** A pod template found in an object: what a controller would create a Pod from. */
export interface FoundPodTemplate extends FoundPodSpec {
  readonly namespace?: string;
  readonly metadata: Json;
  /** A StatefulSet's volume claim templates (their volumes are added to each pod). */
  readonly volumeClaimTemplates: Json[];
}

const ALLOWED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

/** Every pod template in the objects: Pods, and the templates of workload controllers and CronJobs. */
export function findPodTemplates(objects: Json[]): FoundPodTemplate[] {
  const found: FoundPodTemplate[] = [];
  for (const obj of objects) {
    const owner = `${obj.kind} ${obj.metadata?.name ?? '(no name)'}`;
    const template = obj.kind === 'Pod' ? obj
      : obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template
        : obj.spec?.template;
    if (template?.spec && Array.isArray(template.spec.containers)) {
      found.push({
        owner,
        spec: template.spec,
        namespace: obj.metadata?.namespace,
        metadata: template.metadata ?? {},
        volumeClaimTemplates: obj.kind === 'StatefulSet' ? obj.spec.volumeClaimTemplates ?? [] : [],
      });
    }
  }
  return found;
}

/** Every pod spec in the objects: Pods, and the templates of workload controllers and CronJobs. */
export function findPodSpecs(objects: Json[]): FoundPodSpec[] {
  return findPodTemplates(objects).map(({ owner, spec }) => ({ owner, spec }));
}

/**
 * The Pod a controller would create from a template, for the API server to admit: a StatefulSet's
 * pods also get a volume per claim template, as the StatefulSet controller adds them.
 */
export function podFromTemplate(template: FoundPodTemplate, name: string): Json {
  const claims = template.volumeClaimTemplates.map((c) => ({ name: c.metadata.name, persistentVolumeClaim: { claimName: `${c.metadata.name}-${name}` } }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...template.metadata, name, ...(template.namespace ? { namespace: template.namespace } : {}) },
    spec: { ...template.spec, ...(claims.length > 0 ? { volumes: [...(template.spec.volumes ?? []), ...claims] } : {}) },
  };
}

/**
 * Every way in which a pod spec breaks the Pod Security Standards' "restricted" profile (which
 * includes "baseline"): what Pod Security admission enforces, no more.
 */
export function restrictedProfileProblems(spec: Json): string[] {
  const problems: string[] = [];
  const fail = (msg: string) => problems.push(msg);
  const pod = spec.securityContext ?? {};
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[field]) fail(`${field} must not be set`);
  }
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (!type || !ALLOWED_VOLUME_TYPES.includes(type)) fail(`volume ${volume.name} has a disallowed type ${type}`);
  }
  for (const sysctl of pod.sysctls ?? []) {
    if (!SAFE_SYSCTLS.includes(sysctl.name)) fail(`sysctl ${sysctl.name} is not allowed`);
  }
  if (pod.windowsOptions?.hostProcess) fail('windowsOptions.hostProcess must not be set');
  if (pod.runAsUser === 0) fail('securityContext.runAsUser must not be 0');
  if (!SELINUX_TYPES.includes(pod.seLinuxOptions?.type ?? '') || pod.seLinuxOptions?.user || pod.seLinuxOptions?.role) {
    fail('securityContext.seLinuxOptions may only set type to a container type');
  }
  if (pod.appArmorProfile && !['RuntimeDefault', 'Localhost'].includes(pod.appArmorProfile.type)) fail('appArmorProfile.type must be RuntimeDefault or Localhost');
  const containers: Json[] = [...spec.containers, ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    const where = (msg: string) => fail(`container ${c.name}: ${msg}`);
    const sc = c.securityContext ?? {};
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) where('runAsNonRoot must be true');
    if (sc.runAsUser === 0) where('runAsUser must not be 0');
    const seccomp = (sc.seccompProfile ?? pod.seccompProfile)?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') where('seccompProfile.type must be RuntimeDefault or Localhost');
    if (sc.seccompProfile && !['RuntimeDefault', 'Localhost'].includes(sc.seccompProfile.type)) where('seccompProfile.type must be RuntimeDefault or Localhost');
    if (sc.allowPrivilegeEscalation !== false) where('allowPrivilegeEscalation must be false');
    if (sc.privileged) where('privileged must not be true');
    if (sc.windowsOptions?.hostProcess) where('windowsOptions.hostProcess must not be set');
    if (sc.procMount && sc.procMount !== 'Default') where('procMount must be Default');
    if (!SELINUX_TYPES.includes(sc.seLinuxOptions?.type ?? '') || sc.seLinuxOptions?.user || sc.seLinuxOptions?.role) {
      where('seLinuxOptions may only set type to a container type');
    }
    if (sc.appArmorProfile && !['RuntimeDefault', 'Localhost'].includes(sc.appArmorProfile.type)) where('appArmorProfile.type must be RuntimeDefault or Localhost');
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) where('capabilities.drop must include ALL');
    const added = (sc.capabilities?.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
    if (added.length > 0) where(`capabilities.add may only hold NET_BIND_SERVICE, not ${added.join(', ')}`);
    const beyondBaseline = (sc.capabilities?.add ?? []).filter((cap: string) => !BASELINE_CAPABILITIES.includes(cap));
    if (beyondBaseline.length > 0) where(`capabilities.add holds ${beyondBaseline.join(', ')}, beyond the baseline set`);
    if ((c.ports ?? []).some((p: Json) => p.hostPort)) where('hostPort must not be set');
  }
  return problems;
}

/** The hardening this project adds on top of the restricted profile (no Kubernetes admission checks these). */
export function hardeningProblems(owner: string, spec: Json, options: RestrictedOptions = {}): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.automountServiceAccountToken !== false && !(options.tokenAllowed ?? []).includes(owner)) {
    problems.push('automountServiceAccountToken must be false');
  }
  const containers: Json[] = [...spec.containers, ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    const where = (msg: string) => problems.push(`container ${c.name}: ${msg}`);
    const sc = c.securityContext ?? {};
    const uid = sc.runAsUser ?? pod.runAsUser;
    if (uid === undefined || uid === 0) where('runAsUser must be set to a non-zero UID');
    if (sc.readOnlyRootFilesystem !== true) where('readOnlyRootFilesystem must be true');
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (!c.resources?.[kind]?.[resource]) where(`resources.${kind}.${resource} must be set`);
      }
    }
    if (!isPinnedImage(c.image)) where(`image ${c.image} must be pinned to a tag other than latest, or a digest`);
  }
  return problems;
}

/** Options for {@link restrictedProblems}. */
export interface RestrictedOptions {
  /** Owners (`Kind name`) allowed to mount a service-account token, for workload identity. */
  readonly tokenAllowed?: string[];
}

/** Every way in which a pod spec of the objects breaks the restricted profile or our hardening. */
export function restrictedProblems(objects: Json[], options: RestrictedOptions = {}): string[] {
  return findPodSpecs(objects).flatMap(({ owner, spec }) =>
    [...restrictedProfileProblems(spec), ...hardeningProblems(owner, spec, options)].map((p) => `${owner}: ${p}`));
}

/** Fails listing every problem when a pod spec is not restricted; fails too when there is no pod spec. */
export function expectRestricted(objects: Json[], options: RestrictedOptions = {}): void {
  if (findPodSpecs(objects).length === 0) {
    throw new Error('no pod spec found: nothing was checked');
  }
  const problems = restrictedProblems(objects, options);
  if (problems.length > 0) {
    throw new Error(`Pod Security "restricted" violations:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** True for `repo:tag` (not latest) or `repo@sha256:...` references. */
export function isPinnedImage(image: unknown): boolean {
  if (typeof image !== 'string' || image === '') return false;
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.split('/').pop()!;
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : undefined;
  return tag !== undefined && tag !== '' && tag !== 'latest';
}
