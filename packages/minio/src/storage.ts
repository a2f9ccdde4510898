import { checkDnsSubdomain, positiveQuantity } from '@s3www-eks/cdk8s-common';
import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';

/** A drive of a pod: its claim template (and volume) name and mount path. */
export interface Drive {
  readonly name: string;
  readonly path: string;
}

/** Persistent volumes of the MinIO pods, one PersistentVolumeClaim per drive. */
export interface StorageOptions {
  /**
   * Size of each drive. The volume claim templates of a StatefulSet cannot change: a new size
   * needs the StatefulSet deleted with `--cascade=orphan` and the claims resized by hand.
   * @default Size.gibibytes(10)
   */
  readonly size?: Size;

  /**
   * StorageClass of the drives (same immutability as `size`).
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

/**
 * One ReadWriteOnce claim template per drive: each pod gets its own volumes, which outlive the
 * pod and follow it when it is rescheduled. Nothing is stored in the container filesystem.
 */
export function claimTemplates(options: StorageOptions = {}, drives: Drive[], labels: Record<string, string>): k8s.KubePersistentVolumeClaimProps[] {
  const size = (options.size ?? Size.gibibytes(10)).asString();
  positiveQuantity('storage.size', size);
  if (options.storageClassName !== undefined) {
    checkDnsSubdomain('storage.storageClassName', options.storageClassName);
  }
  return drives.map((drive) => ({
    metadata: { name: drive.name, labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: options.storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(size) } },
    },
  }));
}
