/** Name of the default StorageClass the cluster gets. */
export const DEFAULT_STORAGE_CLASS = 'gp3';

/**
 * An encrypted gp3 StorageClass marked as the cluster default. EKS stopped marking `gp2` as default
 * in Kubernetes 1.30, and every version this library supports is newer, so gp3 is the only default.
 * Auto Mode has its own EBS CSI driver under a different provisioner name.
 *
 * `volumeTags` become `tagSpecification_N: "key=value"` parameters: the CSI driver puts them on every
 * volume it creates, which is how AWS Backup finds the volumes and Cost Explorer attributes them.
 */
export function defaultStorageClass(autoMode: boolean, volumeTags: Record<string, string> = {}): Record<string, unknown> {
  const tagSpecifications = Object.entries(volumeTags).map(([key, value], i) => [`tagSpecification_${i + 1}`, `${key}=${value}`]);
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: DEFAULT_STORAGE_CLASS,
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: autoMode ? 'ebs.csi.eks.amazonaws.com' : 'ebs.csi.aws.com',
    // Volumes are created in the zone the pod lands in, never in a zone without a node.
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
    reclaimPolicy: 'Delete',
    parameters: { type: 'gp3', encrypted: 'true', ...Object.fromEntries(tagSpecifications) },
  };
}
