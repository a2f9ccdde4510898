/**
 * Jobs that do one thing once per configuration (create buckets, seed a bucket): one hardened
 * container, bounded retries, run time and lifetime, and a name that carries a hash of everything
 * that shapes the Job. A Job's pod template is immutable, so a changed configuration becomes a new
 * Job (which runs) instead of an update the API server would refuse.
 */
import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ResolvedImage } from './image';
import { containerSecurityContext, hardenedPod } from './security';

/** The one container of the Job; its security context is the restricted one of `user`. */
export interface JobContainer extends Omit<k8s.Container, 'image' | 'imagePullPolicy' | 'securityContext'> {
  readonly image: ResolvedImage;
}

/** Everything a run-once Job is made of. */
export interface RunOnceJobProps {
  /** The Job is named `<namePrefix><hash>`. */
  readonly namePrefix: string;
  /** Hex digits of the hash in the name. */
  readonly hashLength: number;
  readonly namespace?: string;
  /** Labels of the Job. */
  readonly labels: Record<string, string>;
  /** Labels of its pods. */
  readonly podLabels: Record<string, string>;
  readonly serviceAccountName: string;
  /** UID and GID the pods run as. */
  readonly user: number;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  readonly ttlSecondsAfterFinished: number;
  readonly podFailurePolicy?: k8s.PodFailurePolicy;
  readonly imagePullSecrets?: k8s.LocalObjectReference[];
  readonly container: JobContainer;
  readonly volumes?: k8s.Volume[];
  /** What else must run the Job again when it changes, such as the files it mounts from ConfigMaps. */
  readonly alsoChangesWith?: unknown;
}

/** The Job; its name changes with its whole spec and `alsoChangesWith`. */
export function runOnceJob(scope: Construct, id: string, props: RunOnceJobProps): k8s.KubeJob {
  const { image, ...container } = props.container;
  const spec: k8s.JobSpec = {
    backoffLimit: props.backoffLimit,
    activeDeadlineSeconds: props.activeDeadlineSeconds,
    ttlSecondsAfterFinished: props.ttlSecondsAfterFinished,
    podFailurePolicy: props.podFailurePolicy,
    template: {
      metadata: { labels: props.podLabels },
      spec: {
        restartPolicy: 'Never',
        serviceAccountName: props.serviceAccountName,
        ...hardenedPod(props.user),
        imagePullSecrets: props.imagePullSecrets,
        containers: [{ ...container, image: image.image, imagePullPolicy: image.pullPolicy, securityContext: containerSecurityContext(props.user) }],
        volumes: props.volumes,
      },
    },
  };
  const hash = createHash('sha256').update(JSON.stringify({ spec, also: props.alsoChangesWith, labels: props.labels })).digest('hex').slice(0, props.hashLength);
  return new k8s.KubeJob(scope, id, {
    metadata: { name: `${props.namePrefix}${hash}`, namespace: props.namespace, labels: props.labels },
    spec,
  });
}
