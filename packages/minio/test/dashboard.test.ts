import { Testing } from 'cdk8s';
import { MetricsAuth, MetricsOptions, Minio, MinioDashboardOptions, MinioProps } from '../src';
import { dashboardsOf, deployMinio, expectError, expressions, Json, metricsRead, named, only, synthValid } from './helpers';
import { KNOWN_METRICS, metricNames } from './promql';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** MinIO `minio` in `storage` scraped through a public ServiceMonitor, with a dashboard. */
function deploy(dashboard: MinioDashboardOptions = {}, metrics: Partial<MetricsOptions> = {}, props: Partial<MinioProps> = {}) {
  return deployMinio({ metrics: { auth: MetricsAuth.PUBLIC, serviceMonitor: {}, dashboard, ...metrics }, ...props });
}

function dashboardOf(objects: Json[]): Json {
  const dashboards = dashboardsOf(objects);
  expect(dashboards).toHaveLength(1);
  return dashboards[0];
}

function panelOf(dashboard: Json, title: string): Json {
  const found = dashboard.panels.find((p: Json) => p.title === title);
  if (!found) throw new Error(`no panel ${title}`);
  return found;
}

describe('dashboard', () => {
  test('a ConfigMap for the Grafana sidecar, the dashboard under its own key', () => {
    // GIVEN / WHEN
    const { minio, objects } = deploy();
    const configMap = only(objects, 'ConfigMap');
    // THEN
    expect(minio.dashboard?.kind).toBe('ConfigMap');
    expect(configMap.metadata).toEqual({
      name: 'minio-dashboard',
      namespace: 'storage',
      labels: {
        'app.kubernetes.io/name': 'minio',
        'app.kubernetes.io/instance': 'minio',
        'app.kubernetes.io/component': 'monitoring',
        'app.kubernetes.io/managed-by': 'cdk8s',
        'grafana_dashboard': '1',
      },
    });
    expect(Object.keys(configMap.data)).toEqual(['minio-storage-minio.json']);
  });

  test('valid Grafana JSON with a Prometheus data source variable', () => {
    const dashboard = dashboardOf(deploy().objects);
    expect(dashboard).toMatchObject({ title: 'MinIO storage/minio', schemaVersion: 39, editable: false, tags: ['minio', 's3www-eks'] });
    expect(dashboard.uid).toMatch(/^minio-[0-9a-f]{12}$/);
    expect(dashboard.templating.list).toEqual([
      { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
    ]);
  });

  test('the panels: health, capacity, requests, errors, latency, buckets', () => {
    expect(dashboardOf(deploy().objects).panels.map((p: Json) => [p.type, p.title])).toEqual([
      ['stat', 'Scrape targets up'],
      ['stat', 'Nodes'],
      ['stat', 'Drives'],
      ['gauge', 'Usable capacity used'],
      ['bargauge', 'Volume usage'],
      ['timeseries', 'S3 requests'],
      ['timeseries', 'S3 errors'],
      ['timeseries', 'Time to first byte'],
      ['timeseries', 'Usable capacity'],
      ['bargauge', 'Bucket size'],
      ['bargauge', 'Bucket objects'],
    ]);
  });

  test('every panel and target reads the ${datasource} variable, with unique ids', () => {
    const { panels } = dashboardOf(deploy().objects);
    expect(new Set(panels.map((p: Json) => p.id)).size).toBe(panels.length);
    for (const panel of panels) {
      expect(panel.datasource).toEqual(DATASOURCE);
      expect(panel.targets.length).toBeGreaterThan(0);
      expect(panel.targets.map((t: Json) => t.refId)).toEqual(['A', 'B', 'C'].slice(0, panel.targets.length));
      for (const target of panel.targets) expect(target.datasource).toEqual(DATASOURCE);
    }
  });

  test('the panels tile the 24-column grid without overlapping', () => {
    const { panels } = dashboardOf(deploy().objects);
    const cells = new Set<string>();
    for (const { gridPos: { x, y, w, h } } of panels) {
      expect(x + w).toBeLessThanOrEqual(24);
      for (let col = x; col < x + w; col++) {
        for (let row = y; row < y + h; row++) {
          expect(cells.has(`${col},${row}`)).toBe(false);
          cells.add(`${col},${row}`);
        }
      }
    }
  });

  test('the queries, deduplicated across the pods that each report the whole cluster', () => {
    const dashboard = dashboardOf(deploy().objects);
    const exprs = (title: string) => panelOf(dashboard, title).targets.map((t: Json) => [t.legendFormat, t.expr]);
    const sel = '{job="minio",namespace="storage",pod=~"minio-[0-9]+"}';
    expect(exprs('S3 requests')).toEqual([
      ['{{api}}', `sum by (api) (max by (server, api) (rate(minio_s3_requests_total${sel}[$__rate_interval])))`],
    ]);
    expect(exprs('S3 errors')).toEqual([
      ['4xx', `sum(max by (server, api) (rate(minio_s3_requests_4xx_errors_total${sel}[$__rate_interval])))`],
      ['5xx', `sum(max by (server, api) (rate(minio_s3_requests_5xx_errors_total${sel}[$__rate_interval])))`],
    ]);
    expect(exprs('Time to first byte')).toEqual([
      ['p50', `histogram_quantile(0.5, sum by (le) (max by (server, api, le) (rate(minio_s3_requests_ttfb_seconds_distribution${sel}[$__rate_interval]))))`],
      ['p99', `histogram_quantile(0.99, sum by (le) (max by (server, api, le) (rate(minio_s3_requests_ttfb_seconds_distribution${sel}[$__rate_interval]))))`],
    ]);
    expect(exprs('Bucket size')).toEqual([['{{bucket}}', `max by (bucket) (minio_bucket_usage_total_bytes${sel})`]]);
    expect(exprs('Drives')).toEqual([
      ['online', `max(minio_cluster_drive_online_total${sel})`],
      ['offline', `max(minio_cluster_drive_offline_total${sel})`],
    ]);
  });

  test('every query reads a known metric, and the alerts\' conditions are on the dashboard', () => {
    // GIVEN / WHEN
    const { objects } = deploy({}, { alerts: {} });
    const dashboardExprs = dashboardOf(objects).panels.flatMap((p: Json) => p.targets.map((t: Json) => t.expr));
    const alertExprs = only(objects, 'PrometheusRule').spec.groups[0].rules.map((r: Json) => r.expr);
    // THEN
    for (const expr of dashboardExprs) {
      const names = metricNames(expr);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((m) => !KNOWN_METRICS.includes(m))).toEqual([]);
    }
    const onDashboard = new Set(dashboardExprs.flatMap(metricNames));
    expect(alertExprs.flatMap(metricNames).filter((m: string) => !onDashboard.has(m))).toEqual([]);
    expect(metricsRead(objects)).toEqual([...new Set([...dashboardExprs, ...alertExprs].flatMap(metricNames))].sort());
    expect(expressions(objects)).toHaveLength(dashboardExprs.length + alertExprs.length);
  });

  test('gauges turn red where the alerts fire', () => {
    const dashboard = dashboardOf(deploy({}, { alerts: { capacityUsedPercent: 70, pvcUsedPercent: 90 } }).objects);
    const red = (title: string) => panelOf(dashboard, title).fieldConfig.defaults.thresholds.steps[1];
    expect(red('Usable capacity used')).toEqual({ color: 'red', value: 70 });
    expect(red('Volume usage')).toEqual({ color: 'red', value: 90 });
    const defaults = dashboardOf(deploy().objects);
    expect(panelOf(defaults, 'Usable capacity used').fieldConfig.defaults.thresholds.steps[1].value).toBe(80);
    expect(panelOf(defaults, 'Volume usage').fieldConfig.defaults.thresholds.steps[1].value).toBe(85);
  });

  test('the ServiceMonitor also scrapes the bucket metrics, as a separate series of targets', () => {
    const { objects } = deploy();
    expect(only(objects, 'ServiceMonitor').spec.endpoints).toEqual([
      { port: 'api', path: '/minio/v2/metrics/cluster', scheme: 'http', interval: '30s' },
      {
        port: 'api',
        path: '/minio/v2/metrics/bucket',
        scheme: 'http',
        interval: '30s',
        relabelings: [{ sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path' }],
      },
    ]);
  });

  test.each([
    ['without a dashboard, on request', {}, { auth: MetricsAuth.PUBLIC, serviceMonitor: { bucketMetrics: true } }, 2],
    ['with a dashboard, unless refused', { dashboard: {} }, { auth: MetricsAuth.PUBLIC, serviceMonitor: { bucketMetrics: false } }, 1],
  ])('bucket metrics %s', (_case, extra, metrics, endpoints) => {
    const { objects } = deployMinio({ metrics: { ...metrics, ...extra } as MetricsOptions });
    expect(only(objects, 'ServiceMonitor').spec.endpoints.map((e: Json) => e.path)).toEqual(
      ['/minio/v2/metrics/cluster', '/minio/v2/metrics/bucket'].slice(0, endpoints));
  });

  test('in another namespace with extra labels, for a Grafana that watches only its own', () => {
    const { objects } = deploy({ namespace: 'monitoring', labels: { team: 'storage' } });
    const configMap = named(objects, 'ConfigMap', 'minio-dashboard');
    expect(configMap.metadata.namespace).toBe('monitoring');
    expect(configMap.metadata.labels).toMatchObject({ grafana_dashboard: '1', team: 'storage' });
    expect(Object.keys(configMap.data)).toEqual(['minio-storage-minio.json']);
  });

  test('two instances get distinct keys and uids', () => {
    const chart = Testing.chart();
    const props = { credentials: { secretName: 'minio-root' }, name: 'minio', metrics: { auth: MetricsAuth.PUBLIC, serviceMonitor: {}, dashboard: {} } };
    new Minio(chart, 'A', { ...props, namespace: 'a' });
    new Minio(chart, 'B', { ...props, namespace: 'b' });
    const objects = synthValid(chart);
    const keys = objects.filter((o) => o.kind === 'ConfigMap').map((o) => Object.keys(o.data)[0]);
    expect(keys).toEqual(['minio-a-minio.json', 'minio-b-minio.json']);
    const uids = dashboardsOf(objects).map((d) => d.uid);
    expect(new Set(uids).size).toBe(2);
  });

  describe('validation', () => {
    test.each([
      ['a bad namespace', { namespace: 'Monitoring' },
        "'metrics.dashboard.namespace' must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most 63 characters, got 'Monitoring'"],
      ['a bad label value', { labels: { team: 'a b' } },
        "'metrics.dashboard.labels.team' must be a Kubernetes label value (at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit), got 'a b'"],
    ])('%s fails', (_case, dashboard, message) => {
      expectError(() => deploy(dashboard), message);
    });
  });
});
