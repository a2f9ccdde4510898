import { Size } from 'cdk8s';
import { expectError } from './helpers';
import { claimTemplates } from '../src/storage';

/* eslint-disable @typescript-eslint/no-explicit-any */
const render = (templates: any[]) => JSON.parse(JSON.stringify(templates, (_k, v) => (v && typeof v === 'object' && 'value' in v && Object.keys(v).length === 1 ? v.value : v)));
const drives = [{ name: 'export-0', path: '/export0' }, { name: 'export-1', path: '/export1' }];

describe('storage', () => {
  test('one ReadWriteOnce claim per drive, 10Gi on the default StorageClass', () => {
    expect(render(claimTemplates(undefined, drives, { app: 'minio' }))).toEqual([
      { metadata: { name: 'export-0', labels: { app: 'minio' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } },
      { metadata: { name: 'export-1', labels: { app: 'minio' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } },
    ]);
  });

  test('size and class', () => {
    const [template] = render(claimTemplates({ size: Size.tebibytes(1), storageClassName: 'ebs-gp3' }, drives, {}));
    expect(template.spec.storageClassName).toBe('ebs-gp3');
    expect(template.spec.resources.requests.storage).toBe('1Ti');
  });

  describe('validation', () => {
    test('malformed size', () => {
      expectError(() => claimTemplates({ size: Size.gibibytes(NaN) }, drives, {}), "'storage.size' must be a Kubernetes quantity such as 500m, 2, 512Mi or 10Gi, got 'NaNGi'");
    });
    test('empty size', () => {
      expectError(() => claimTemplates({ size: Size.mebibytes(0) }, drives, {}), "'storage.size' must be greater than zero, got '0Mi'");
    });
    test('invalid class', () => {
      expectError(() => claimTemplates({ storageClassName: 'gp3 encrypted' }, drives, {}),
        "'storage.storageClassName' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'gp3 encrypted'");
    });
  });
});
