import { expectError } from './helpers';
import { checkMinioBucketName, checkPercent, checkPrometheusLabelName } from '../src/validation';

describe('checks of this library\'s own props', () => {
  test('percentages', () => {
    for (const ok of [1, 50.5, 99]) expect(() => checkPercent('t', ok)).not.toThrow();
    expectError(() => checkPercent('t', 0.5), "'t' must be a percentage between 1 and 99, got 0.5");
    expectError(() => checkPercent('t', Infinity), "'t' must be a percentage between 1 and 99, got Infinity");
  });

  test('Prometheus label names', () => {
    for (const ok of ['team', '_x', 'a1_B']) expect(() => checkPrometheusLabelName('l', ok)).not.toThrow();
    for (const bad of ['1a', 'a-b', '__meta', '']) {
      expectError(() => checkPrometheusLabelName('l', bad),
        `'l' must be a Prometheus label name (letters, digits and '_', not starting with a digit or '__'), got '${bad}'`);
    }
  });

  test('bucket names: the S3 rules, and not minio', () => {
    expect(() => checkMinioBucketName('b', 'minio-data')).not.toThrow();
    expectError(() => checkMinioBucketName('buckets[0].name', 'minio'), "'buckets[0].name' must not be 'minio', which MinIO reserves for its own endpoints, got 'minio'");
    expectError(() => checkMinioBucketName('buckets[0].name', '192.168.5.4'), "'buckets[0].name' must not be formatted as an IP address, got '192.168.5.4'");
  });
});
