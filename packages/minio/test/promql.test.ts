import { metricNames, promqlErrors } from './promql';

describe('PromQL test helper', () => {
  test('accepts valid expressions, Grafana macros included', () => {
    expect(promqlErrors('sum by (api) (rate(minio_s3_requests_total{job="minio"}[$__rate_interval])) > 0 or absent(up)')).toEqual([]);
  });

  test.each(['max(up{job="minio"} >', 'sum(up{job=minio})', 'rate(up[5x])'])('reports a syntax error in %s', (expr) => {
    expect(promqlErrors(expr).length).toBeGreaterThan(0);
  });

  test('lists the metrics an expression reads', () => {
    expect(metricNames('max(b_total{x="1"}) / max(a_bytes) - max(b_total) or absent(up)')).toEqual(['a_bytes', 'b_total', 'up']);
  });
});
