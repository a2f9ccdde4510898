import { MetricsAuth, MetricsOptions } from '../src';
import { deployMinio, expectError, only } from './helpers';

const deploy = (metrics: MetricsOptions) => deployMinio({ metrics });

describe('monitoring', () => {
  test('everything at once: ServiceMonitor, PrometheusRule and dashboard, all labelled for the Prometheus', () => {
    // GIVEN / WHEN
    const { minio, objects } = deploy({
      auth: MetricsAuth.PUBLIC, serviceMonitor: {}, alerts: {}, dashboard: {}, ruleSelectorLabels: { release: 'monitoring' },
    });
    // THEN
    expect([minio.serviceMonitor, minio.prometheusRule, minio.dashboard].map((o) => o?.kind)).toEqual(['ServiceMonitor', 'PrometheusRule', 'ConfigMap']);
    expect(only(objects, 'ServiceMonitor').metadata.labels.release).toBe('monitoring');
    expect(only(objects, 'PrometheusRule').metadata.labels.release).toBe('monitoring');
    // The sidecar selects the dashboard by its own label, not the Prometheus selectors.
    expect(only(objects, 'ConfigMap').metadata.labels.release).toBeUndefined();
  });

  test('the ServiceMonitor\'s own labels win over the shared selector labels', () => {
    const { objects } = deploy({
      auth: MetricsAuth.PUBLIC, serviceMonitor: { labels: { release: 'other' } }, ruleSelectorLabels: { release: 'monitoring', team: 'storage' },
    });
    expect(only(objects, 'ServiceMonitor').metadata.labels).toMatchObject({ release: 'other', team: 'storage' });
  });

  test('annotation-based scraping: the alerts and dashboard select the named job, nothing else is emitted', () => {
    const { minio, objects } = deploy({ auth: MetricsAuth.PUBLIC, jobName: 'kubernetes-pods', alerts: {}, dashboard: {} });
    expect(minio.serviceMonitor).toBeUndefined();
    expect(only(objects, 'PrometheusRule').spec.groups[0].rules[1].expr).toBe('max(minio_cluster_nodes_offline_total{job="kubernetes-pods",namespace="storage",pod=~"minio-[0-9]+"}) > 0');
    expect(only(objects, 'ConfigMap').data['minio-storage-minio.json']).toContain('job=\\"kubernetes-pods\\",namespace=\\"storage\\",pod=~\\"minio-[0-9]+\\"');
  });

  describe('validation', () => {
    test.each([
      ['alerts without a job', { alerts: {} },
        "'metrics.jobName' is required for 'metrics.alerts' and 'metrics.dashboard' without 'metrics.serviceMonitor': give the name of the scrape job that reads the prometheus.io annotations (e.g. 'kubernetes-pods')"],
      ['a dashboard without a job', { dashboard: {} },
        "'metrics.jobName' is required for 'metrics.alerts' and 'metrics.dashboard' without 'metrics.serviceMonitor': give the name of the scrape job that reads the prometheus.io annotations (e.g. 'kubernetes-pods')"],
      ['a job name with a ServiceMonitor', { auth: MetricsAuth.PUBLIC, serviceMonitor: {}, jobName: 'minio' },
        "'metrics.jobName' is only used without 'metrics.serviceMonitor', whose targets' job is the Service name 'minio'; leave it out, got 'minio'"],
      ['an empty job name', { jobName: '', alerts: {} },
        "'metrics.jobName' must be the non-empty name of a Prometheus scrape job, without quotes, backslashes or line breaks, got ''"],
      ['a job name with a quote', { jobName: 'a"b', alerts: {} },
        "'metrics.jobName' must be the non-empty name of a Prometheus scrape job, without quotes, backslashes or line breaks, got 'a\"b'"],
      ['a bad selector label key', { ruleSelectorLabels: { 'a b': 'x' } },
        "'metrics.ruleSelectorLabels' keys must be Kubernetes label keys ([prefix/]name, the name at most 63 letters, digits, '-', '_' and '.'), got 'a b'"],
    ])('%s fails', (_case, metrics, message) => {
      expectError(() => deploy(metrics as MetricsOptions), message);
    });
  });
});
