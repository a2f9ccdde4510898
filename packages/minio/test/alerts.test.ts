import { readFileSync } from 'fs';
import { join } from 'path';
import { MetricsAuth, MetricsOptions, MinioAlertOptions, MinioProps, MinioTopology } from '../src';
import { alertRulesOf, deployMinio, expectError, Json, metricsRead, only } from './helpers';
import { KNOWN_METRICS } from './promql';

const RUNBOOK = 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md';
const MINIO = '{job="minio",namespace="storage",pod=~"minio-[0-9]+"}';
const CLAIMS = '{namespace="storage",persistentvolumeclaim=~"export-minio-[0-9]+"}';

/** MinIO `minio` in `storage` scraped through a public ServiceMonitor, with alerts. */
function deploy(alerts: MinioAlertOptions = {}, props: Partial<MinioProps> = {}, metrics: Partial<MetricsOptions> = {}) {
  return deployMinio({ metrics: { auth: MetricsAuth.PUBLIC, serviceMonitor: {}, alerts, ...metrics }, ...props });
}

function ruleOf(objects: Json[], alert: string): Json {
  const found = alertRulesOf(objects).find((r) => r.alert === alert);
  if (!found) throw new Error(`no alert ${alert}`);
  return found;
}

describe('alerts', () => {
  test('the rules of a standalone instance, expression by expression', () => {
    // GIVEN / WHEN
    const { objects } = deploy();
    // THEN
    const runbook = (name: string) => `${RUNBOOK}#${name}`;
    expect(alertRulesOf(objects)).toEqual([
      {
        alert: 'MinioDown',
        expr: `sum(up${MINIO}) == 0 or absent(up${MINIO})`,
        for: '5m',
        labels: { severity: 'critical', namespace: 'storage', component: 'minio/minio' },
        annotations: {
          summary: 'MinIO storage/minio is down',
          description: 'Prometheus has scraped no MinIO pod of storage/minio for 5 minutes: the S3 API is most likely unavailable to its clients.',
          runbook_url: runbook('miniodown'),
        },
      },
      {
        alert: 'MinioNotReady',
        expr: `max(minio_cluster_nodes_offline_total${MINIO}) > 0`,
        for: '5m',
        labels: { severity: 'warning', namespace: 'storage', component: 'minio/minio' },
        annotations: {
          summary: 'MinIO storage/minio has {{ $value }} node(s) offline',
          description: '{{ $value }} MinIO node(s) of storage/minio have been offline for 5 minutes. Data stays available while the erasure sets keep their quorum; one more failure may stop writes.',
          runbook_url: runbook('minionotready'),
        },
      },
      {
        alert: 'MinioDrivesOffline',
        expr: `max(minio_cluster_drive_offline_total${MINIO}) > 0`,
        for: '5m',
        labels: { severity: 'warning', namespace: 'storage', component: 'minio/minio' },
        annotations: {
          summary: 'MinIO storage/minio has {{ $value }} drive(s) offline',
          description: '{{ $value }} drive(s) of storage/minio have been offline for 5 minutes. Objects are still served from parity while the quorum holds, with less redundancy.',
          runbook_url: runbook('miniodrivesoffline'),
        },
      },
      {
        alert: 'MinioCapacityHigh',
        expr: `100 * (1 - max(minio_cluster_capacity_usable_free_bytes${MINIO}) / max(minio_cluster_capacity_usable_total_bytes${MINIO})) > 80`,
        for: '15m',
        labels: { severity: 'warning', namespace: 'storage', component: 'minio/minio' },
        annotations: {
          summary: 'MinIO storage/minio has used {{ $value | humanize }}% of its usable capacity',
          description: 'More than 80% of the usable capacity of storage/minio has been in use for 15 minutes. MinIO refuses writes when its drives are full.',
          runbook_url: runbook('miniocapacityhigh'),
        },
      },
      {
        alert: 'MinioPvcAlmostFull',
        expr: `max by (namespace, persistentvolumeclaim) (100 * (1 - kubelet_volume_stats_available_bytes${CLAIMS} / kubelet_volume_stats_capacity_bytes${CLAIMS})) > 85`,
        for: '5m',
        labels: { severity: 'warning', namespace: 'storage', component: 'minio/minio' },
        annotations: {
          summary: 'MinIO volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanize }}% full',
          description: 'The PersistentVolumeClaim {{ $labels.persistentvolumeclaim }} of storage/minio has been more than 85% full for 5 minutes.',
          runbook_url: runbook('miniopvcalmostfull'),
        },
      },
    ]);
  });

  test('one PrometheusRule named after the instance, with the selector labels of the Prometheus', () => {
    // GIVEN / WHEN
    const { minio, objects } = deploy({}, {}, { ruleSelectorLabels: { release: 'kube-prometheus-stack' } });
    const rule = only(objects, 'PrometheusRule');
    // THEN
    expect(minio.prometheusRule?.kind).toBe('PrometheusRule');
    expect(rule.metadata).toEqual({
      name: 'minio-alerts',
      namespace: 'storage',
      labels: {
        'app.kubernetes.io/name': 'minio',
        'app.kubernetes.io/instance': 'minio',
        'app.kubernetes.io/component': 'monitoring',
        'app.kubernetes.io/managed-by': 'cdk8s',
        'release': 'kube-prometheus-stack',
      },
    });
    expect(rule.spec.groups.map((g: Json) => g.name)).toEqual(['minio.storage.minio']);
    expect(only(objects, 'ServiceMonitor').metadata.labels.release).toBe('kube-prometheus-stack');
  });

  test('no alerts, no PrometheusRule', () => {
    const { minio, objects } = deployMinio({ metrics: { auth: MetricsAuth.PUBLIC, serviceMonitor: {} } });
    expect(objects.some((o) => o.kind === 'PrometheusRule')).toBe(false);
    expect(minio.prometheusRule).toBeUndefined();
  });

  test('thresholds appear in the expressions and the descriptions', () => {
    // GIVEN / WHEN
    const { objects } = deploy({ capacityUsedPercent: 70, pvcUsedPercent: 92.5 });
    // THEN
    expect(ruleOf(objects, 'MinioCapacityHigh').expr).toMatch(/\) > 70$/);
    expect(ruleOf(objects, 'MinioCapacityHigh').annotations.description).toContain('More than 70% ');
    expect(ruleOf(objects, 'MinioPvcAlmostFull').expr).toMatch(/\) > 92\.5$/);
    expect(ruleOf(objects, 'MinioPvcAlmostFull').annotations.description).toContain('more than 92.5% full');
  });

  test('every drive claim of a distributed instance is watched', () => {
    const { objects } = deploy({}, { topology: MinioTopology.distributed({ replicas: 4, drivesPerReplica: 2 }) });
    const claims = only(objects, 'StatefulSet').spec.volumeClaimTemplates.map((t: Json) => t.metadata.name);
    const pattern = '(export-0|export-1)-minio-[0-9]+';
    expect(ruleOf(objects, 'MinioPvcAlmostFull').expr).toContain(`persistentvolumeclaim=~"${pattern}"`);
    // The claims the StatefulSet controller creates match, other claims of the namespace do not.
    const regex = new RegExp(`^${pattern}$`);
    for (const claim of claims) {
      for (const ordinal of [0, 3]) expect(`${claim}-minio-${ordinal}`).toMatch(regex);
    }
    expect('export-0-other-0').not.toMatch(regex);
  });

  test('a bucket Job failure alert matches the Job of this instance, whatever its hash', () => {
    // GIVEN / WHEN
    const { minio, objects } = deploy({}, { buckets: [{ name: 'site' }] });
    const rule = ruleOf(objects, 'MinioBucketJobFailed');
    // THEN
    expect(rule).toEqual({
      alert: 'MinioBucketJobFailed',
      expr: 'max by (job_name) (kube_job_failed{namespace="storage",job_name=~"minio-buckets-[0-9a-f]{8}",condition="true"}) > 0',
      labels: { severity: 'warning', namespace: 'storage', component: 'minio/minio' },
      annotations: {
        summary: 'MinIO bucket Job {{ $labels.job_name }} failed',
        description: 'The Job creating the buckets of storage/minio gave up after its retries: buckets may be missing or unversioned.',
        runbook_url: `${RUNBOOK}#miniobucketjobfailed`,
      },
    });
    const regex = new RegExp(`^${/job_name=~"([^"]+)"/.exec(rule.expr)![1]}$`);
    expect(minio.bucketJob!.name).toMatch(regex);
    expect('minio-other-buckets-0123abcd').not.toMatch(regex);
  });

  test('annotation-based scraping selects the given scrape job', () => {
    const { objects } = deployMinio({ metrics: { auth: MetricsAuth.PUBLIC, jobName: 'kubernetes-pods', alerts: {} } });
    expect(objects.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
    expect(ruleOf(objects, 'MinioDown').expr).toBe(
      'sum(up{job="kubernetes-pods",namespace="storage",pod=~"minio-[0-9]+"}) == 0 or absent(up{job="kubernetes-pods",namespace="storage",pod=~"minio-[0-9]+"})');
    expect(ruleOf(objects, 'MinioNotReady').expr).toBe('max(minio_cluster_nodes_offline_total{job="kubernetes-pods",namespace="storage",pod=~"minio-[0-9]+"}) > 0');
  });

  test('extra labels and a runbook page of your own', () => {
    const { objects } = deploy({ labels: { team: 'storage' }, runbookBaseUrl: 'https://wiki.example.com/minio' });
    for (const rule of alertRulesOf(objects)) {
      expect(rule.labels.team).toBe('storage');
      expect(rule.annotations.runbook_url).toBe(`https://wiki.example.com/minio#${rule.alert.toLowerCase()}`);
    }
  });

  test('the alerts read only known metrics', () => {
    const read = metricsRead(deploy({}, { buckets: [{ name: 'site' }] }).objects);
    expect(read.filter((m) => !KNOWN_METRICS.includes(m))).toEqual([]);
    expect(read).toEqual(expect.arrayContaining([
      'up', 'minio_cluster_nodes_offline_total', 'minio_cluster_drive_offline_total',
      'minio_cluster_capacity_usable_free_bytes', 'minio_cluster_capacity_usable_total_bytes',
      'kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes', 'kube_job_failed',
    ]));
  });

  test.each(alertRulesOf(deploy({}, { buckets: [{ name: 'site' }] }).objects).map((r) => [r.alert, r]))(
    '%s is PascalCase, Minio-prefixed, with a severity and the three annotations', (name, rule) => {
      expect(name).toMatch(/^Minio[A-Z][A-Za-z]+$/);
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(Object.keys(rule.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
    });

  test('every alert has its runbook section and its row in the README', () => {
    const names = alertRulesOf(deploy({}, { buckets: [{ name: 'site' }] }).objects).map((r) => r.alert);
    const runbook = readFileSync(join(__dirname, '..', 'docs', 'alerts.md'), 'utf8');
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    expect([...runbook.matchAll(/^## (\w+)$/gm)].map((m) => m[1])).toEqual(names);
    expect([...readme.matchAll(/^\| `(Minio\w+)` \|/gm)].map((m) => m[1])).toEqual(names);
  });

  describe('validation', () => {
    test.each([
      ['capacity 0%', { capacityUsedPercent: 0 }, "'metrics.alerts.capacityUsedPercent' must be a percentage between 1 and 99, got 0"],
      ['capacity 100%', { capacityUsedPercent: 100 }, "'metrics.alerts.capacityUsedPercent' must be a percentage between 1 and 99, got 100"],
      ['capacity NaN', { capacityUsedPercent: NaN }, "'metrics.alerts.capacityUsedPercent' must be a percentage between 1 and 99, got NaN"],
      ['pvc 99.5%', { pvcUsedPercent: 99.5 }, "'metrics.alerts.pvcUsedPercent' must be a percentage between 1 and 99, got 99.5"],
      ['a runbook without a scheme', { runbookBaseUrl: 'wiki.example.com' }, "'metrics.alerts.runbookBaseUrl' must be an http(s) URL without a fragment, got 'wiki.example.com'"],
      ['a runbook with a fragment', { runbookBaseUrl: 'https://x.example.com/a#b' }, "'metrics.alerts.runbookBaseUrl' must be an http(s) URL without a fragment, got 'https://x.example.com/a#b'"],
      ['a label that is not a Prometheus label', { labels: { 'team-name': 'a' } },
        "'metrics.alerts.labels' must be a Prometheus label name (letters, digits and '_', not starting with a digit or '__'), got 'team-name'"],
      ['a label the rules set', { labels: { severity: 'info' } },
        "'metrics.alerts.labels' must not set 'severity', 'namespace' or 'component', which every alert sets itself, got 'severity'"],
      ['the component label', { labels: { component: 'storage' } },
        "'metrics.alerts.labels' must not set 'severity', 'namespace' or 'component', which every alert sets itself, got 'component'"],
    ])('%s fails', (_case, alerts, message) => {
      expectError(() => deploy(alerts as MinioAlertOptions), message);
    });
  });
});
