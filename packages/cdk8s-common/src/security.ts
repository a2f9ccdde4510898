/**
 * The Pod Security Standard "restricted" profile as every pod of both libraries runs it: an
 * explicit non-root user, no privilege to gain, nothing writable outside volumes, no
 * service-account token and no Service links.
 */
import { k8s } from 'cdk8s-plus-33';

/** Container-level context: nothing to escalate to, nothing writable outside volumes. */
export function containerSecurityContext(user: number): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Pod-spec fields every pod shares: the user and group (which also owns the volumes and reads the
 * mounted Secret files), RuntimeDefault seccomp, no API token (EKS Pod Identity and IRSA project
 * their own), and no Service links (they would put every Service of the namespace into the
 * environment).
 */
export function hardenedPod(user: number): Pick<k8s.PodSpec, 'automountServiceAccountToken' | 'enableServiceLinks' | 'securityContext'> {
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: user,
      runAsGroup: user,
      fsGroup: user,
      // Re-owning every object of a large volume on each start would delay pods by minutes.
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}
