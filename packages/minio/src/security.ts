/**
 * The Pod Security Standard "restricted" profile as MinIO and mc run it: both images work as an
 * arbitrary non-root user as long as the few paths they write to are volumes.
 */
import { k8s } from 'cdk8s-plus-33';

/** The non-root user and group of every container; also the owner group of the data volumes. */
export const RUN_AS = 1000;

/** Pod-level context: non-root, RuntimeDefault seccomp, volumes owned by the group. */
function podSecurityContext(): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS,
    runAsGroup: RUN_AS,
    fsGroup: RUN_AS,
    // Re-owning every object of a large volume on each start would delay pods by minutes.
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level context: nothing to escalate to, nothing writable outside volumes. */
export function containerSecurityContext(): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS,
    runAsGroup: RUN_AS,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Pod-spec fields every pod of the library shares: restricted context, no token, no service links. */
export function hardenedPod(): Pick<k8s.PodSpec, 'automountServiceAccountToken' | 'enableServiceLinks' | 'securityContext'> {
  return {
    // Neither MinIO nor mc talks to the Kubernetes API.
    automountServiceAccountToken: false,
    // Service links would put every Service of the namespace into the environment.
    enableServiceLinks: false,
    securityContext: podSecurityContext(),
  };
}
