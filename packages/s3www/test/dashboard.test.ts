import { Obj, siteSeeder, synth } from './support/synth';
import { runPromtool } from '../../../tools/testing/promtool';

const everything = synth((chart) => ({
  autoscaling: { minReplicas: 2, maxReplicas: 6 },
  monitoring: { seeder: siteSeeder(chart) },
}), { namespace: 'site' });
const configMap = everything.one('ConfigMap', '-dashboard');
const model: Obj = JSON.parse(configMap.data['s3www-site-web.json']);
const queries = (m: Obj): Array<[string, string]> => m.panels.flatMap((p: Obj) => p.targets.map((t: Obj) => [p.title, t.expr]));
const panel = (title: string) => model.panels.find((p: Obj) => p.title === title);

describe('dashboard ConfigMap', () => {
  test('is labelled for the Grafana sidecar and holds one dashboard', () => {
    expect(configMap.metadata).toMatchObject({ name: 'web-dashboard', namespace: 'site', labels: { 'grafana_dashboard': '1', 'app.kubernetes.io/instance': 'web' } });
    expect(Object.keys(configMap.data)).toEqual(['s3www-site-web.json']);
    expect(model).toMatchObject({ title: 's3www site/web', tags: ['s3www', 's3www-eks'], editable: false });
    expect(model.uid).toMatch(/^s3www-[0-9a-f]{12}$/);
  });

  test('every panel and query reads the ${datasource} variable', () => {
    expect(model.templating.list).toEqual([{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }]);
    for (const p of model.panels) {
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const t of p.targets) expect(t.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  test('covers probe success, availability and latency, replicas, bucket requests and errors, and the seeder', () => {
    expect(model.panels.map((p: Obj) => p.title)).toEqual([
      'Probe', 'Availability', 'Probe duration', 'Error budget left', 'Probe latency', 'Error budget burn rate', 'Replicas',
      'Bucket site: requests', 'Bucket site: errors', 'Seeder Job',
    ]);
    expect(panel('Probe').targets[0].expr).toBe('max(probe_success{job="s3www-site-web"})');
    expect(panel('Availability').targets[0].expr).toBe('avg(avg_over_time(probe_success{job="s3www-site-web"}[$__range]))');
    expect(panel('Probe latency').targets.map((t: Obj) => t.expr)).toEqual([
      'max(probe_duration_seconds{job="s3www-site-web"})',
      's3www:probe_duration_seconds:avg_over_time5m{job="s3www-site-web"}',
      's3www:probe_duration_seconds:quantile95_over_time1h{job="s3www-site-web"}',
      'max by (phase) (probe_http_duration_seconds{job="s3www-site-web"})',
    ]);
    expect(panel('Error budget left').targets.map((t: Obj) => t.expr)).toEqual(['s3www:error_budget_remaining:ratio30d{job="s3www-site-web"}']);
    expect(panel('Error budget left').fieldConfig.defaults).toEqual({
      unit: 'percentunit',
      max: 1,
      thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'orange', value: 0 }, { color: 'green', value: 0.25 }] },
    });
    expect(panel('Error budget burn rate').targets.map((t: Obj) => [t.legendFormat, t.expr])).toEqual(['1h', '6h', '1d', '3d'].map((w) => [
      w, `(1 - s3www:probe_success:avg_over_time${w}{job="s3www-site-web"}) / 0.001`,
    ]));
    expect(panel('Replicas').targets.map((t: Obj) => t.expr)).toEqual([
      'max(kube_deployment_status_replicas_available{namespace="site",deployment="web"})',
      'max(kube_deployment_spec_replicas{namespace="site",deployment="web"})',
      'max(kube_horizontalpodautoscaler_spec_max_replicas{namespace="site",horizontalpodautoscaler="web"})',
    ]);
    expect(panel('Bucket site: requests').targets[0].expr)
      .toBe('sum by (api) (max by (server, api) (rate(minio_bucket_requests_total{bucket="site"}[$__rate_interval])))');
    expect(panel('Bucket site: errors').targets.map((t: Obj) => t.expr)).toEqual([
      'sum(max by (server, api) (rate(minio_bucket_requests_4xx_errors_total{bucket="site"}[$__rate_interval])))',
      'sum(max by (server, api) (rate(minio_bucket_requests_5xx_errors_total{bucket="site"}[$__rate_interval])))',
    ]);
    expect(panel('Seeder Job').targets.map((t: Obj) => t.expr)).toEqual([
      'max by (job_name) (kube_job_status_succeeded{namespace="site",job_name=~"web-seed-[0-9a-f]{10}"})',
      'max by (job_name) (kube_job_status_failed{namespace="site",job_name=~"web-seed-[0-9a-f]{10}"})',
    ]);
  });

  test('panel colours turn where the alerts fire', () => {
    const result = synth({ monitoring: { slowProbeMillis: 400 } }, { namespace: 'site' });
    const m = JSON.parse(result.one('ConfigMap').data['s3www-site-web.json']);
    expect(m.panels.find((p: Obj) => p.title === 'Probe duration').fieldConfig.defaults.thresholds.steps).toEqual([{ color: 'green', value: null }, { color: 'red', value: 0.4 }]);
  });

  test('without seeder and autoscaling there is no seeder panel nor HPA maximum', () => {
    const result = synth({ monitoring: {} }, { namespace: 'site' });
    const m = JSON.parse(result.one('ConfigMap').data['s3www-site-web.json']);
    expect(m.panels.map((p: Obj) => p.title)).not.toContain('Seeder Job');
    expect(queries(m).map(([, e]) => e).join('\n')).not.toContain('kube_horizontalpodautoscaler');
  });

  test('panels sit on the 24-column grid without overlapping', () => {
    const cells = new Set<string>();
    for (const p of model.panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          expect(cells.has(`${i},${j}`)).toBe(false);
          cells.add(`${i},${j}`);
        }
      }
    }
    expect(new Set(model.panels.map((p: Obj) => p.id)).size).toBe(model.panels.length);
  });

  test('the dashboard namespace is configurable', () => {
    const result = synth({ monitoring: { dashboardNamespace: 'monitoring' } }, { namespace: 'site' });
    expect(result.one('ConfigMap').metadata.namespace).toBe('monitoring');
  });

  test('every query is valid PromQL for Prometheus itself (promtool check rules, Grafana macros replaced)', () => {
    // GIVEN: each query as a recording rule, which promtool parses with Prometheus' own parser
    const rules = queries(model).map(([, expr], i) => ({
      record: `dashboard:query_${i}`,
      expr: expr.replace(/\$__rate_interval|\$__range/g, '5m'),
    }));
    // WHEN
    const output = runPromtool({ 'queries.yaml': { groups: [{ name: 'dashboard', rules }] } }, 'check', 'rules', 'queries.yaml');
    // THEN
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(rules.length).toBe(20);
  });
});
