import { expectSchemaValid } from '../../../tools/testing/kubernetes';
import { DEFAULT_STORAGE_CLASS, defaultStorageClass } from '../src/storage-class';

describe('default StorageClass', () => {
  test.each([[false, 'ebs.csi.aws.com'], [true, 'ebs.csi.eks.amazonaws.com']])('autoMode=%s: an encrypted gp3 default on %s', (autoMode, provisioner) => {
    const sc = defaultStorageClass(autoMode);
    expectSchemaValid([sc]);
    expect(sc).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner,
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
      parameters: { type: 'gp3', encrypted: 'true' },
    });
  });

  test('volume tags become numbered tagSpecification parameters and keep the schema valid', () => {
    // GIVEN / WHEN
    const sc = defaultStorageClass(false, { 'backup': 'web-prod', 'cost-center': 'cc-1' }) as { parameters: Record<string, string> };

    // THEN
    expectSchemaValid([sc as unknown as Record<string, unknown>]);
    expect(sc.parameters).toEqual({ type: 'gp3', encrypted: 'true', tagSpecification_1: 'backup=web-prod', tagSpecification_2: 'cost-center=cc-1' });
  });
});
