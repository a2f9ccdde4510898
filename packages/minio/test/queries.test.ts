import { promqlErrors } from './promql';
import { MinioQueries } from '../src/queries';

const single = new MinioQueries({ job: 'minio', namespace: 'storage', statefulSet: 'minio', claimTemplates: ['export'] });
const multi = new MinioQueries({ job: 'kubernetes-pods', namespace: 'data', statefulSet: 'store', claimTemplates: ['export-0', 'export-1', 'export-2'] });

describe('MinioQueries', () => {
  test('selectors of the series of the instance and of its drive claims', () => {
    expect(single.minio).toBe('{job="minio",namespace="storage",pod=~"minio-[0-9]+"}');
    expect(single.claims).toBe('{namespace="storage",persistentvolumeclaim=~"export-minio-[0-9]+"}');
    expect(multi.claims).toBe('{namespace="data",persistentvolumeclaim=~"(export-0|export-1|export-2)-store-[0-9]+"}');
  });

  test('cluster gauges are the max over the pods that report them', () => {
    expect(single.cluster('minio_cluster_drive_total')).toBe('max(minio_cluster_drive_total{job="minio",namespace="storage",pod=~"minio-[0-9]+"})');
  });

  test('S3 rates are deduplicated per node and API before they are summed', () => {
    expect(multi.s3Rate('minio_s3_requests_total')).toBe(
      'sum(max by (server, api) (rate(minio_s3_requests_total{job="kubernetes-pods",namespace="data",pod=~"store-[0-9]+"}[$__rate_interval])))');
    expect(multi.s3Rate('x_total', ['api'])).toBe('sum by (api) (max by (server, api) (rate(x_total{job="kubernetes-pods",namespace="data",pod=~"store-[0-9]+"}[$__rate_interval])))');
    expect(multi.s3Rate('x', ['le'], ['le'])).toBe('sum by (le) (max by (server, api, le) (rate(x{job="kubernetes-pods",namespace="data",pod=~"store-[0-9]+"}[$__rate_interval])))');
  });

  test.each([
    single.capacityUsedPercent(), single.claimUsedPercent(), multi.claimUsedPercent(), multi.s3Rate('x_total', ['api']),
  ])('%s is valid PromQL', (expr) => {
    expect(promqlErrors(expr)).toEqual([]);
  });
});
