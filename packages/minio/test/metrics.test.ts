import { Duration } from 'cdk8s';
import { MetricsAuth, MinioProps } from '../src';
import { deployMinio, envOf, expectError, expectServiceMonitorShape, only, serverContainer } from './helpers';

const token = { name: 'minio-prometheus', key: 'token' };

const deploy = deployMinio;

describe('metrics', () => {
  test('off by default: no annotations, MinIO keeps its token-protected default', () => {
    const { objects } = deploy();
    expect(only(objects, 'StatefulSet').spec.template.metadata.annotations).toBeUndefined();
    expect(envOf(serverContainer(objects)).MINIO_PROMETHEUS_AUTH_TYPE).toBeUndefined();
  });

  test.each(Object.values(MetricsAuth))('auth %s sets MINIO_PROMETHEUS_AUTH_TYPE and the scrape annotations', (auth) => {
    const { objects } = deploy({ metrics: { auth } });
    expect(envOf(serverContainer(objects)).MINIO_PROMETHEUS_AUTH_TYPE).toBe(auth);
    expect(only(objects, 'StatefulSet').spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true', 'prometheus.io/path': '/minio/v2/metrics/cluster', 'prometheus.io/port': '9000',
    });
    expect(objects.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
  });

  test('the default auth is jwt', () => {
    expect(envOf(serverContainer(deploy({ metrics: {} }).objects)).MINIO_PROMETHEUS_AUTH_TYPE).toBe('jwt');
  });

  test('a ServiceMonitor with a bearer token selects the API service only', () => {
    // GIVEN / WHEN
    const { minio, objects } = deploy({
      metrics: { serviceMonitor: { bearerTokenSecret: token, interval: Duration.minutes(1), labels: { release: 'kube-prometheus-stack' } } },
    });
    const monitor = only(objects, 'ServiceMonitor');
    const apiService = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'minio')!;
    // THEN
    expect(minio.serviceMonitor?.kind).toBe('ServiceMonitor');
    expect(monitor.metadata).toEqual({
      name: 'minio', namespace: 'storage', labels: { ...apiService.metadata.labels, release: 'kube-prometheus-stack' },
    });
    expect(monitor.spec).toEqual({
      selector: { matchLabels: apiService.metadata.labels },
      namespaceSelector: { matchNames: ['storage'] },
      endpoints: [{
        port: 'api',
        path: '/minio/v2/metrics/cluster',
        scheme: 'http',
        interval: '60s',
        authorization: { type: 'Bearer', credentials: { name: 'minio-prometheus', key: 'token' } },
      }],
    });
    const services = objects.filter((o) => o.kind === 'Service');
    const selected = services.filter((s) => Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels[k] === v));
    expect(selected.map((s) => s.metadata.name)).toEqual(['minio']);
  });

  test('a public ServiceMonitor sends no token', () => {
    const { objects } = deploy({ metrics: { auth: MetricsAuth.PUBLIC, serviceMonitor: {} } });
    expect(only(objects, 'ServiceMonitor').spec.endpoints).toEqual([{ port: 'api', path: '/minio/v2/metrics/cluster', scheme: 'http', interval: '30s' }]);
  });

  test('the ServiceMonitor shape check catches unknown fields and a wrong auth type', () => {
    const { objects } = deploy({ metrics: { serviceMonitor: { bearerTokenSecret: token } } });
    const monitor = only(objects, 'ServiceMonitor');
    expect(() => expectServiceMonitorShape({ ...monitor, spec: { ...monitor.spec, endpoint: [] } })).toThrow();
    const endpoint = { ...monitor.spec.endpoints[0], authorization: { type: 'Basic', credentials: token } };
    expect(() => expectServiceMonitorShape({ ...monitor, spec: { ...monitor.spec, endpoints: [endpoint] } })).toThrow();
    expect(() => expectServiceMonitorShape({ ...monitor, spec: { ...monitor.spec, endpoints: [{ ...endpoint, bearerToken: 'x' }] } })).toThrow();
  });

  describe('validation', () => {
    test.each([
      ['jwt without a token', { serviceMonitor: {} },
        "'metrics.serviceMonitor.bearerTokenSecret' is required when 'metrics.auth' is MetricsAuth.JWT (the default): MinIO answers 403 to scrapes without a token"],
      ['public with a token', { auth: MetricsAuth.PUBLIC, serviceMonitor: { bearerTokenSecret: token } },
        "'metrics.serviceMonitor.bearerTokenSecret' is only used with MetricsAuth.JWT; leave it out with MetricsAuth.PUBLIC, got 'minio-prometheus'"],
      ['a bad token Secret name', { serviceMonitor: { bearerTokenSecret: { name: 'Prom', key: 'token' } } },
        "'metrics.serviceMonitor.bearerTokenSecret.name' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'Prom'"],
      ['a bad token key', { serviceMonitor: { bearerTokenSecret: { name: 'prom', key: 'a b' } } },
        "'metrics.serviceMonitor.bearerTokenSecret.key' must be a Secret data key (letters, digits, '-', '_' and '.'), got 'a b'"],
      ['a zero interval', { auth: MetricsAuth.PUBLIC, serviceMonitor: { interval: Duration.seconds(0) } },
        "'metrics.serviceMonitor.interval' must be at least 1 second, got '0s'"],
    ])('%s fails', (_case, metrics, message) => {
      expectError(() => deploy({ metrics } as Partial<MinioProps>), message);
    });
  });
});
