/** A Grafana dashboard of an s3www instance, shipped as a ConfigMap for the Grafana sidecar. */
import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ERROR_BUDGET_REMAINING, LATENCY, OBJECTIVE_WINDOW, successRatio } from './alerts';
import { kubeSelector, ResolvedMonitoring } from './monitoring';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = Record<string, any>;

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

interface PanelSpec {
  readonly type: 'stat' | 'timeseries';
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  /** Legend and PromQL of each query. */
  readonly queries: Array<[string, string]>;
  readonly defaults?: Json;
}

/**
 * MinIO reports each bucket series once per scraped pod, with a `server` label: deduplicate per
 * server and API before summing, or each node counts as many times as there are pods.
 */
function bucketRate(metric: string, bucket: string, by?: string): string {
  return `sum${by ? ` by (${by}) ` : ''}(max by (server, api) (rate(${metric}{bucket="${bucket}"}[$__rate_interval])))`;
}

/** The panels, row by row; each row shares the 24-column width equally. */
function panelRows(m: ResolvedMonitoring): PanelSpec[][] {
  const { instance } = m;
  const green = (red: number, below = false) => ({
    thresholds: { mode: 'absolute', steps: below ? [{ color: 'red', value: null }, { color: 'green', value: red }] : [{ color: 'green', value: null }, { color: 'red', value: red }] },
  });
  const rows: PanelSpec[][] = [[
    {
      type: 'stat',
      title: 'Probe',
      description: `Last result of fetching ${m.target} (S3wwwProbeFailing after ${m.probeFailingMinutes} minutes of failures).`,
      unit: 'bool_yes_no',
      queries: [['success', `max(probe_success${m.probe})`]],
      defaults: green(1, true),
    },
    {
      type: 'stat',
      title: 'Availability',
      description: 'Share of successful probes over the time range shown.',
      unit: 'percentunit',
      queries: [['availability', `avg(avg_over_time(probe_success${m.probe}[$__range]))`]],
      defaults: { min: 0, max: 1 },
    },
    {
      type: 'stat',
      title: 'Probe duration',
      description: `Last probe duration (S3wwwProbeSlow above ${m.slowProbeSeconds}s for 10 minutes).`,
      unit: 's',
      queries: [['duration', `max(probe_duration_seconds${m.probe})`]],
      defaults: green(m.slowProbeSeconds),
    },
    {
      type: 'stat',
      title: 'Error budget left',
      description: `Share of the ${OBJECTIVE_WINDOW} error budget of the ${m.objectivePercent}% availability objective that is left: `
        + `1 - failed probes / failed probes allowed. Below 0 the objective is missed. It covers the ${OBJECTIVE_WINDOW} only when Prometheus keeps that long.`,
      unit: 'percentunit',
      queries: [['budget left', `${ERROR_BUDGET_REMAINING}${m.probe}`]],
      defaults: {
        max: 1,
        thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'orange', value: 0 }, { color: 'green', value: 0.25 }] },
      },
    },
  ], [
    {
      type: 'timeseries',
      title: 'Probe latency',
      description: 'Total probe duration, its recorded 5-minute average and 1-hour 95th percentile (the latency indicator of the probed object), and the HTTP request by phase (resolve, connect, processing, transfer).',
      unit: 's',
      queries: [
        ['total', `max(probe_duration_seconds${m.probe})`],
        ['average 5m', `${LATENCY.average}${m.probe}`],
        ['p95 1h', `${LATENCY.p95}${m.probe}`],
        ['{{phase}}', `max by (phase) (probe_http_duration_seconds${m.probe})`],
      ],
    },
    {
      type: 'timeseries',
      title: 'Error budget burn rate',
      description: 'How many times faster than the objective allows the error budget is spent, over 1 hour and 6 hours '
        + '(S3wwwErrorBudgetBurnFast pages above 14.4 over 1 hour or 6 over 6 hours; S3wwwErrorBudgetBurnSlow tickets above 3 over 1 day or 1 over 3 days).',
      unit: 'none',
      queries: [
        ['1h', `(1 - ${successRatio('1h')}${m.probe}) / ${m.errorBudget}`],
        ['6h', `(1 - ${successRatio('6h')}${m.probe}) / ${m.errorBudget}`],
        ['1d', `(1 - ${successRatio('1d')}${m.probe}) / ${m.errorBudget}`],
        ['3d', `(1 - ${successRatio('3d')}${m.probe}) / ${m.errorBudget}`],
      ],
    },
    {
      type: 'timeseries',
      title: 'Replicas',
      description: 'Available pods against the desired count and the autoscaler maximum (S3wwwHpaAtMax).',
      unit: 'none',
      queries: [
        ['available', `max(kube_deployment_status_replicas_available${kubeSelector(m, `deployment="${instance.name}"`)})`],
        ['desired', `max(kube_deployment_spec_replicas${kubeSelector(m, `deployment="${instance.name}"`)})`],
        ...(instance.maxReplicas !== undefined
          ? [['autoscaler max', `max(kube_horizontalpodautoscaler_spec_max_replicas${kubeSelector(m, `horizontalpodautoscaler="${instance.name}"`)})`] as [string, string]]
          : []),
      ],
    },
  ], [
    {
      type: 'timeseries',
      title: `Bucket ${instance.bucket}: requests`,
      description: 'S3 requests per second to the bucket by API call, from all clients (MinIO bucket metrics, /minio/v2/metrics/bucket; empty without that scrape).',
      unit: 'reqps',
      queries: [['{{api}}', bucketRate('minio_bucket_requests_total', instance.bucket, 'api')]],
    },
    {
      type: 'timeseries',
      title: `Bucket ${instance.bucket}: errors`,
      description: 'S3 requests per second to the bucket answered with 4xx (client) and 5xx (server) errors (MinIO bucket metrics).',
      unit: 'reqps',
      queries: [
        ['4xx', bucketRate('minio_bucket_requests_4xx_errors_total', instance.bucket)],
        ['5xx', bucketRate('minio_bucket_requests_5xx_errors_total', instance.bucket)],
      ],
    },
  ]];
  if (instance.seedJobPattern) {
    const jobs = kubeSelector(m, `job_name=~"${instance.seedJobPattern}"`, instance.seedJobNamespace);
    rows.push([{
      type: 'timeseries',
      title: 'Seeder Job',
      description: 'Pods of the seeder Job that succeeded and failed (S3wwwSeedJobFailed when the Job gives up).',
      unit: 'none',
      queries: [
        ['succeeded {{job_name}}', `max by (job_name) (kube_job_status_succeeded${jobs})`],
        ['failed {{job_name}}', `max by (job_name) (kube_job_status_failed${jobs})`],
      ],
    }]);
  }
  return rows;
}

/** The dashboard model (Grafana JSON), deterministic so that synth output is stable. */
export function dashboardModel(m: ResolvedMonitoring): Json {
  const { namespace, name } = m.instance;
  let id = 0;
  const panels = panelRows(m).flatMap((row, r) => row.map((p, i) => {
    const w = 24 / row.length;
    const h = r === 0 ? 4 : 8;
    return {
      id: ++id,
      type: p.type,
      title: p.title,
      description: p.description,
      datasource: DATASOURCE,
      gridPos: { h, w, x: i * w, y: r === 0 ? 0 : 4 + (r - 1) * 8 },
      fieldConfig: { defaults: { unit: p.unit, ...p.defaults }, overrides: [] },
      options: {},
      targets: p.queries.map(([legendFormat, expr], q) => ({ datasource: DATASOURCE, expr, legendFormat, refId: String.fromCharCode(65 + q) })),
    };
  }));
  return {
    uid: `s3www-${createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 12)}`,
    title: `s3www ${namespace}/${name}`,
    tags: ['s3www', 's3www-eks'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }] },
    annotations: { list: [] },
    panels,
  };
}

/** The ConfigMap the Grafana sidecar loads (label `grafana_dashboard: "1"`), the dashboard under `s3www-<namespace>-<name>.json`. */
export function dashboardConfigMap(scope: Construct, id: string, m: ResolvedMonitoring): k8s.KubeConfigMap {
  const { namespace, name } = m.instance;
  return new k8s.KubeConfigMap(scope, id, {
    metadata: { name: `${name}-dashboard`, namespace: m.dashboardNamespace, labels: { ...m.objectLabels, grafana_dashboard: '1' } },
    data: { [`s3www-${namespace}-${name}.json`]: JSON.stringify(dashboardModel(m), undefined, 2) },
  });
}
