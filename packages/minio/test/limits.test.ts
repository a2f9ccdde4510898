import { deployMinio } from './helpers';
import { expectWithinLimits, largest, MAX_OBJECT_BYTES, objectSizes } from '../../../tools/testing/limits';
import { MetricsAuth, MinioTopology } from '../src';

/**
 * The largest configuration this library emits (every optional object on, the most pods, drives
 * and buckets a test uses), measured as kubectl sends each object: with its last-applied copy.
 * tools/testing/limits.ts says where each limit comes from.
 */
describe('size limits', () => {
  test('every object of the largest configuration, as kubectl sends it, stays within 200 KiB', () => {
    // GIVEN / WHEN
    const { objects } = deployMinio({
      topology: MinioTopology.distributed({ replicas: 16, drivesPerReplica: 4 }),
      buckets: Array.from({ length: 20 }, (_, i) => ({ name: `bucket-${i}` })),
      console: {},
      metrics: { auth: MetricsAuth.PUBLIC, serviceMonitor: {}, alerts: {}, dashboard: {}, ruleSelectorLabels: { release: 'monitoring' } },
      imagePullSecrets: ['mirror'],
    });
    // THEN
    const sizes = objectSizes(objects);
    expectWithinLimits(sizes);
    expect(largest(sizes).bytes).toBeGreaterThan(0);
  });

  test('the measure can fail: a 300 KB ConfigMap is over the limit', () => {
    const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { blob: 'x'.repeat(300_000) } };
    expect(() => expectWithinLimits(objectSizes([big]))).toThrow(`ConfigMap big: ${objectSizes([big])[0].bytes} bytes > ${MAX_OBJECT_BYTES}`);
    // kubectl's copy doubles it
    expect(objectSizes([big])[0].bytes).toBeGreaterThan(600_000);
  });
});
