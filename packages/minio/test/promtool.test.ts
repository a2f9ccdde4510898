import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promtoolIn } from '../../../tools/testing/promtool';
import { MetricsAuth } from '../src';
import { dashboardsOf, deployMinio, Json, only } from './helpers';

/**
 * The alerts run in Prometheus' own rule engine: `promtool check rules` validates the rule file
 * (PromQL and annotation templates), `promtool test rules` feeds synthetic series through the
 * rules and compares the alerts that fire, labels and rendered annotations included.
 */
const RUNBOOK = 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md';

const { minio, objects } = deployMinio({
  buckets: [{ name: 'site' }],
  metrics: { auth: MetricsAuth.PUBLIC, serviceMonitor: {}, alerts: {}, dashboard: {} },
});
const jobName = minio.bucketJob!.name;
let dir: string;

const promtool = (...args: string[]) => promtoolIn(dir, ...args);

/** Series as Prometheus would store them from a ServiceMonitor that scrapes `pods` pods. */
function scraped(metric: string, values: string, pods = 2, labels = ''): Json[] {
  return Array.from({ length: pods }, (_, i) => ({
    series: `${metric}{job="minio",namespace="storage",pod="minio-${i}",instance="10.0.0.${i}:9000",server="minio-0.minio-hl:9000"${labels}}`,
    values,
  }));
}

function alert(labels: Json, summary: string, description: string, name: string): Json {
  return {
    exp_labels: { namespace: 'storage', component: 'minio/minio', ...labels },
    exp_annotations: { summary, description, runbook_url: `${RUNBOOK}#${name.toLowerCase()}` },
  };
}

const down = (at: string, exp: Json[]) => ({ eval_time: at, alertname: 'MinioDown', exp_alerts: exp });
const DOWN = alert({ severity: 'critical' }, 'MinIO storage/minio is down',
  'Prometheus has scraped no MinIO pod of storage/minio for 5 minutes: the S3 API is most likely unavailable to its clients.', 'MinioDown');

const tests: Json[] = [
  {
    name: 'MinioDown: every pod unreachable for 5 minutes, not before',
    interval: '1m',
    input_series: scraped('up', '0x10'),
    alert_rule_test: [down('4m', []), down('6m', [DOWN])],
  },
  {
    name: 'MinioDown: no series at all (target gone or never selected)',
    interval: '1m',
    input_series: [{ series: 'up{job="other",namespace="storage",pod="web-0"}', values: '1x10' }],
    alert_rule_test: [down('6m', [{ ...DOWN, exp_labels: { ...DOWN.exp_labels, job: 'minio' } }])],
  },
  {
    name: 'MinioDown: one pod up is enough; other namespaces and other pods do not count',
    interval: '1m',
    input_series: [
      { series: 'up{job="minio",namespace="storage",pod="minio-0"}', values: '0x10' },
      { series: 'up{job="minio",namespace="storage",pod="minio-1"}', values: '1x10' },
      { series: 'up{job="minio",namespace="other",pod="minio-0"}', values: '0x10' },
      { series: 'up{job="minio",namespace="storage",pod="minio-console-0"}', values: '0x10' },
    ],
    alert_rule_test: [down('8m', [])],
  },
  {
    name: 'MinioNotReady and MinioDrivesOffline count each node and drive once, whatever the number of scraped pods; another instance in the namespace does not count',
    interval: '1m',
    input_series: [
      ...scraped('minio_cluster_nodes_offline_total', '1x10', 4),
      ...scraped('minio_cluster_drive_offline_total', '0 0 2x10', 4),
      { series: 'minio_cluster_nodes_offline_total{job="minio",namespace="storage",pod="minio-archive-0"}', values: '3x10' },
      { series: 'minio_cluster_drive_offline_total{job="minio",namespace="storage",pod="minio-archive-0"}', values: '5x10' },
    ],
    alert_rule_test: [
      { eval_time: '4m', alertname: 'MinioNotReady', exp_alerts: [] },
      {
        eval_time: '6m',
        alertname: 'MinioNotReady',
        exp_alerts: [alert({ severity: 'warning' }, 'MinIO storage/minio has 1 node(s) offline',
          '1 MinIO node(s) of storage/minio have been offline for 5 minutes. Data stays available while the erasure sets keep their quorum; one more failure may stop writes.',
          'MinioNotReady')],
      },
      { eval_time: '6m', alertname: 'MinioDrivesOffline', exp_alerts: [] },
      {
        eval_time: '8m',
        alertname: 'MinioDrivesOffline',
        exp_alerts: [alert({ severity: 'warning' }, 'MinIO storage/minio has 2 drive(s) offline',
          '2 drive(s) of storage/minio have been offline for 5 minutes. Objects are still served from parity while the quorum holds, with less redundancy.',
          'MinioDrivesOffline')],
      },
    ],
  },
  {
    name: 'MinioCapacityHigh: 85% of the usable capacity for 15 minutes; 75% is fine',
    interval: '1m',
    input_series: [
      ...scraped('minio_cluster_capacity_usable_total_bytes', '100x30'),
      ...scraped('minio_cluster_capacity_usable_free_bytes', '15x30'),
    ],
    alert_rule_test: [
      { eval_time: '14m', alertname: 'MinioCapacityHigh', exp_alerts: [] },
      {
        eval_time: '16m',
        alertname: 'MinioCapacityHigh',
        exp_alerts: [alert({ severity: 'warning' }, 'MinIO storage/minio has used 85% of its usable capacity',
          'More than 80% of the usable capacity of storage/minio has been in use for 15 minutes. MinIO refuses writes when its drives are full.',
          'MinioCapacityHigh')],
      },
    ],
  },
  {
    name: 'MinioCapacityHigh: 75% does not fire',
    interval: '1m',
    input_series: [
      ...scraped('minio_cluster_capacity_usable_total_bytes', '100x30'),
      ...scraped('minio_cluster_capacity_usable_free_bytes', '25x30'),
    ],
    alert_rule_test: [{ eval_time: '20m', alertname: 'MinioCapacityHigh', exp_alerts: [] }],
  },
  {
    name: 'MinioPvcAlmostFull: a MinIO drive at 90%; claims of other workloads are not watched',
    interval: '1m',
    input_series: [
      { series: 'kubelet_volume_stats_available_bytes{job="kubelet",namespace="storage",persistentvolumeclaim="export-minio-0"}', values: '10x10' },
      { series: 'kubelet_volume_stats_capacity_bytes{job="kubelet",namespace="storage",persistentvolumeclaim="export-minio-0"}', values: '100x10' },
      { series: 'kubelet_volume_stats_available_bytes{job="kubelet",namespace="storage",persistentvolumeclaim="data-postgres-0"}', values: '1x10' },
      { series: 'kubelet_volume_stats_capacity_bytes{job="kubelet",namespace="storage",persistentvolumeclaim="data-postgres-0"}', values: '100x10' },
    ],
    alert_rule_test: [{
      eval_time: '6m',
      alertname: 'MinioPvcAlmostFull',
      exp_alerts: [alert({ severity: 'warning', persistentvolumeclaim: 'export-minio-0' }, 'MinIO volume export-minio-0 is 90% full',
        'The PersistentVolumeClaim export-minio-0 of storage/minio has been more than 85% full for 5 minutes.', 'MinioPvcAlmostFull')],
    }],
  },
  {
    name: 'MinioBucketJobFailed: the Job of this instance has failed; a running one has not',
    interval: '1m',
    input_series: [
      { series: `kube_job_failed{job="kube-state-metrics",namespace="storage",job_name="${jobName}",condition="true"}`, values: '1x5' },
      { series: `kube_job_failed{job="kube-state-metrics",namespace="storage",job_name="${jobName}",condition="false"}`, values: '0x5' },
      { series: 'kube_job_failed{job="kube-state-metrics",namespace="storage",job_name="other-buckets-0123abcd",condition="true"}', values: '1x5' },
    ],
    alert_rule_test: [{
      eval_time: '1m',
      alertname: 'MinioBucketJobFailed',
      exp_alerts: [alert({ severity: 'warning', job_name: jobName }, `MinIO bucket Job ${jobName} failed`,
        'The Job creating the buckets of storage/minio gave up after its retries: buckets may be missing or unversioned.', 'MinioBucketJobFailed')],
    }],
  },
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'minio-promtool-'));
  // JSON is YAML: the PrometheusRule's spec is exactly a Prometheus rule file.
  writeFileSync(join(dir, 'rules.yaml'), JSON.stringify(only(objects, 'PrometheusRule').spec));
  writeFileSync(join(dir, 'tests.yaml'), JSON.stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('alerts in promtool', () => {
  test('the rule file is valid for Prometheus', () => {
    expect(promtool('check', 'rules', 'rules.yaml')).toContain('SUCCESS: 6 rules found');
  });

  test('each alert fires on its condition, after its delay, with its labels and rendered annotations', () => {
    expect(promtool('test', 'rules', 'tests.yaml')).toContain('SUCCESS');
  });

  test('a wrong expectation fails (the check can fail)', () => {
    const wrong = { ...tests[0], alert_rule_test: [down('4m', [DOWN])] };
    writeFileSync(join(dir, 'wrong.yaml'), JSON.stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: [wrong] }));
    expect(() => promtool('test', 'rules', 'wrong.yaml')).toThrow(/FAILED/);
  });
});

/** The dashboard's queries by panel title and legend, with Grafana's rate interval as Grafana would set it. */
const queries = new Map<string, string>(dashboardsOf(objects)[0].panels.flatMap((p: Json) =>
  p.targets.map((t: Json) => [`${p.title}/${t.legendFormat}`, t.expr.replace(/\$__rate_interval/g, '5m')])));

function query(key: string): string {
  const expr = queries.get(key);
  if (!expr) throw new Error(`no query ${key} in ${[...queries.keys()].join(', ')}`);
  return expr;
}

/** A counter of one MinIO node (`server`), as scraped from each of `pods` pods: every pod reports every node. */
function nodeCounter(metric: string, server: string, values: string, labels = '', pods = 2): Json[] {
  return Array.from({ length: pods }, (_, i) => ({
    series: `${metric}{job="minio",namespace="storage",pod="minio-${i}",server="${server}",api="getobject"${labels}}`,
    values,
  }));
}

describe('dashboard queries in promtool', () => {
  test('every query is valid PromQL for Prometheus', () => {
    const groups = [{ name: 'dashboard', rules: [...queries.values()].map((expr, i) => ({ record: `minio:dashboard_query_${i}`, expr })) }];
    writeFileSync(join(dir, 'dashboard.yaml'), JSON.stringify({ groups }));
    expect(promtool('check', 'rules', 'dashboard.yaml')).toContain(`SUCCESS: ${queries.size} rules found`);
  });

  test('rates, errors, latency and usage count each node once, however many pods are scraped', () => {
    // GIVEN two nodes, each reported by both scraped pods: 1 request/s each, half of them 4xx
    const input = [
      ...nodeCounter('minio_s3_requests_total', 'minio-0', '0+60x10'),
      ...nodeCounter('minio_s3_requests_total', 'minio-1', '0+60x10'),
      ...nodeCounter('minio_s3_requests_4xx_errors_total', 'minio-0', '0+30x10'),
      ...nodeCounter('minio_s3_requests_5xx_errors_total', 'minio-0', '0x10'),
      // Half of the first bytes within 50 ms, all within 250 ms.
      ...nodeCounter('minio_s3_requests_ttfb_seconds_distribution', 'minio-0', '0+30x10', ',le="0.05"'),
      ...nodeCounter('minio_s3_requests_ttfb_seconds_distribution', 'minio-0', '0+60x10', ',le="0.25"'),
      ...nodeCounter('minio_s3_requests_ttfb_seconds_distribution', 'minio-0', '0+60x10', ',le="+Inf"'),
      ...scraped('minio_bucket_usage_total_bytes', '2048x10', 2, ',bucket="site",metrics_path="/minio/v2/metrics/bucket"'),
      ...scraped('minio_cluster_capacity_usable_total_bytes', '1000x10'),
      ...scraped('minio_cluster_capacity_usable_free_bytes', '250x10'),
    ];
    const at = (expr: string, value: number, labels = '{}') => ({ expr, eval_time: '10m', exp_samples: [{ labels, value }] });
    const file = {
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: input,
        promql_expr_test: [
          // WHEN the dashboard asks / THEN each node counts once
          at(query('S3 requests/{{api}}'), 2, '{api="getobject"}'),
          at(query('S3 errors/4xx'), 0.5),
          at(query('S3 errors/5xx'), 0),
          at(query('Time to first byte/p50'), 0.05),
          at(query('Bucket size/{{bucket}}'), 2048, '{bucket="site"}'),
          at(query('Usable capacity used/used'), 75),
          at(query('Usable capacity/used'), 750),
        ],
      }],
    };
    writeFileSync(join(dir, 'dashboard-tests.yaml'), JSON.stringify(file));
    expect(promtool('test', 'rules', 'dashboard-tests.yaml')).toContain('SUCCESS');
  });
});
