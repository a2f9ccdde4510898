/**
 * The Pod Security Standard "restricted" profile, plus the hardening this project adds on top
 * (read-only root filesystem, resources, pinned images), checked on every pod spec of a set
 * of Kubernetes objects. Shared by the cdk8s libraries' and the reference app's tests.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
type Json = Record<string, any>;

/** A pod spec found in an object, with a readable name for error messages. */
export interface FoundPodSpec {
  readonly owner: string;
  readonly spec: Json;
}

const ALLOWED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** Every pod spec in the objects: Pods, and the templates of workload controllers and CronJobs. */
export function findPodSpecs(objects: Json[]): FoundPodSpec[] {
  const found: FoundPodSpec[] = [];
  for (const obj of objects) {
    const owner = `${obj.kind} ${obj.metadata?.name ?? '(no name)'}`;
    const spec = obj.kind === 'Pod' ? obj.spec
      : obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template?.spec
        : obj.spec?.template?.spec;
    if (spec && Array.isArray(spec.containers)) {
      found.push({ owner, spec });
    }
  }
  return found;
}

/** Options for {@link restrictedProblems}. */
export interface RestrictedOptions {
  /** Owners (`Kind name`) allowed to mount a service-account token, for workload identity. */
  readonly tokenAllowed?: string[];
}

/** Every way in which a pod spec of the objects breaks the restricted profile or our hardening. */
export function restrictedProblems(objects: Json[], options: RestrictedOptions = {}): string[] {
  const problems: string[] = [];
  for (const { owner, spec } of findPodSpecs(objects)) {
    const fail = (msg: string) => problems.push(`${owner}: ${msg}`);
    const pod = spec.securityContext ?? {};
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (spec[field]) fail(`${field} must not be set`);
    }
    if (spec.automountServiceAccountToken !== false && !(options.tokenAllowed ?? []).includes(owner)) {
      fail('automountServiceAccountToken must be false');
    }
    for (const volume of spec.volumes ?? []) {
      const type = Object.keys(volume).find((k) => k !== 'name');
      if (!type || !ALLOWED_VOLUME_TYPES.includes(type)) fail(`volume ${volume.name} has a disallowed type ${type}`);
    }
    const containers: Json[] = [...spec.containers, ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
    for (const c of containers) {
      const where = (msg: string) => fail(`container ${c.name}: ${msg}`);
      const sc = c.securityContext ?? {};
      if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) where('runAsNonRoot must be true');
      const uid = sc.runAsUser ?? pod.runAsUser;
      if (uid === undefined || uid === 0) where('runAsUser must be set to a non-zero UID');
      const seccomp = (sc.seccompProfile ?? pod.seccompProfile)?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') where('seccompProfile.type must be RuntimeDefault or Localhost');
      if (sc.allowPrivilegeEscalation !== false) where('allowPrivilegeEscalation must be false');
      if (sc.privileged) where('privileged must not be true');
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) where('capabilities.drop must include ALL');
      const added = (sc.capabilities?.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
      if (added.length > 0) where(`capabilities.add may only hold NET_BIND_SERVICE, not ${added.join(', ')}`);
      if (sc.readOnlyRootFilesystem !== true) where('readOnlyRootFilesystem must be true');
      if ((c.ports ?? []).some((p: Json) => p.hostPort)) where('hostPort must not be set');
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (!c.resources?.[kind]?.[resource]) where(`resources.${kind}.${resource} must be set`);
        }
      }
      if (!isPinnedImage(c.image)) where(`image ${c.image} must be pinned to a tag other than latest, or a digest`);
    }
  }
  return problems;
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
