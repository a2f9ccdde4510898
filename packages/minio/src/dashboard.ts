import { createHash } from 'crypto';
import { checkDnsLabel, checkLabels } from '@s3www-eks/cdk8s-common';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { MinioQueries } from './queries';

/** A Grafana dashboard of a MinIO instance, shipped as a ConfigMap for the Grafana sidecar. */
export interface MinioDashboardOptions {
  /**
   * Namespace of the ConfigMap. kube-prometheus-stack's sidecar searches every namespace; a
   * Grafana whose sidecar watches its own namespace only needs it there (e.g. `monitoring`).
   * @default - the namespace of MinIO
   */
  readonly namespace?: string;

  /**
   * Extra labels of the ConfigMap, e.g. for a sidecar configured with another label.
   * @default - `grafana_dashboard: "1"` (the kube-prometheus-stack sidecar's default) and the app labels
   */
  readonly labels?: { [key: string]: string };
}

/** What the dashboard needs to know about the instance. */
export interface MinioDashboardProps {
  readonly options: MinioDashboardOptions;
  readonly queries: MinioQueries;
  readonly name: string;
  readonly namespace: string;
  readonly objectLabels: Record<string, string>;
  /** The MinioCapacityHigh / MinioPvcAlmostFull thresholds, so the panels turn red where the alerts fire. */
  readonly capacityUsedPercent: number;
  readonly pvcUsedPercent: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Panel = Record<string, any>;

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** Grafana's 24-column grid, filled left to right, row by row. */
class Grid {
  private x = 0;
  private y = 0;
  private rowHeight = 0;
  private id = 0;

  public place(content: Panel, w: number, h: number): Panel {
    if (this.x + w > 24) {
      this.x = 0;
      this.y += this.rowHeight;
      this.rowHeight = 0;
    }
    const placed = { id: ++this.id, ...content, gridPos: { h, w, x: this.x, y: this.y } };
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
    return placed;
  }
}

function targets(queries: Array<[string, string]>): Panel[] {
  return queries.map(([legendFormat, expr], i) => ({
    datasource: DATASOURCE, expr, legendFormat, refId: String.fromCharCode(65 + i),
  }));
}

function panel(type: string, title: string, description: string, unit: string, queries: Array<[string, string]>, extra: Panel = {}): Panel {
  return {
    type,
    title,
    description,
    datasource: DATASOURCE,
    fieldConfig: { defaults: { unit, ...extra.defaults }, overrides: [] },
    options: extra.options ?? {},
    targets: targets(queries),
  };
}

function redAbove(value: number): Panel {
  return { thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value }] } };
}

/** The dashboard model (Grafana JSON), deterministic so that synth output is stable. */
export function dashboardModel(props: MinioDashboardProps): Panel {
  const q = props.queries;
  const grid = new Grid();
  const percent = (threshold: number) => ({ defaults: { min: 0, max: 100, ...redAbove(threshold) } });
  const panels = [
    grid.place(panel('stat', 'Scrape targets up', 'MinIO pods Prometheus scrapes successfully (MinioDown when none).', 'none',
      [['up', `sum(up${q.minio})`]], { defaults: redAbove(0.5) }), 4, 4),
    grid.place(panel('stat', 'Nodes', 'Nodes online and offline (MinioNotReady when any is offline).', 'none', [
      ['online', q.cluster('minio_cluster_nodes_online_total')],
      ['offline', q.cluster('minio_cluster_nodes_offline_total')],
    ]), 5, 4),
    grid.place(panel('stat', 'Drives', 'Drives online and offline (MinioDrivesOffline when any is offline).', 'none', [
      ['online', q.cluster('minio_cluster_drive_online_total')],
      ['offline', q.cluster('minio_cluster_drive_offline_total')],
    ]), 5, 4),
    grid.place(panel('gauge', 'Usable capacity used', `MinioCapacityHigh fires above ${props.capacityUsedPercent}%.`, 'percent',
      [['used', q.capacityUsedPercent()]], percent(props.capacityUsedPercent)), 5, 4),
    grid.place(panel('bargauge', 'Volume usage', `Each drive's PersistentVolumeClaim (MinioPvcAlmostFull above ${props.pvcUsedPercent}%).`, 'percent',
      [['{{persistentvolumeclaim}}', q.claimUsedPercent()]], percent(props.pvcUsedPercent)), 5, 4),
    grid.place(panel('timeseries', 'S3 requests', 'Requests per second by API call.', 'reqps',
      [['{{api}}', q.s3Rate('minio_s3_requests_total', ['api'])]]), 12, 8),
    grid.place(panel('timeseries', 'S3 errors', 'Requests per second answered with 4xx (client) and 5xx (server) errors.', 'reqps', [
      ['4xx', q.s3Rate('minio_s3_requests_4xx_errors_total')],
      ['5xx', q.s3Rate('minio_s3_requests_5xx_errors_total')],
    ]), 12, 8),
    grid.place(panel('timeseries', 'Time to first byte', 'Latency of S3 calls until the first byte of the answer (MinIO histogram).', 's', [
      ['p50', `histogram_quantile(0.5, ${q.s3Rate('minio_s3_requests_ttfb_seconds_distribution', ['le'], ['le'])})`],
      ['p99', `histogram_quantile(0.99, ${q.s3Rate('minio_s3_requests_ttfb_seconds_distribution', ['le'], ['le'])})`],
    ]), 12, 8),
    grid.place(panel('timeseries', 'Usable capacity', 'Usable (erasure-coded) bytes used and free.', 'bytes', [
      ['used', `${q.cluster('minio_cluster_capacity_usable_total_bytes')} - ${q.cluster('minio_cluster_capacity_usable_free_bytes')}`],
      ['free', q.cluster('minio_cluster_capacity_usable_free_bytes')],
    ]), 12, 8),
    grid.place(panel('bargauge', 'Bucket size', 'Bytes per bucket (from /minio/v2/metrics/bucket, refreshed by the MinIO scanner).', 'bytes',
      [['{{bucket}}', `max by (bucket) (minio_bucket_usage_total_bytes${q.minio})`]]), 12, 8),
    grid.place(panel('bargauge', 'Bucket objects', 'Objects per bucket (from /minio/v2/metrics/bucket).', 'none',
      [['{{bucket}}', `max by (bucket) (minio_bucket_usage_object_total${q.minio})`]]), 12, 8),
  ];
  return {
    uid: `minio-${createHash('sha256').update(`${props.namespace}/${props.name}`).digest('hex').slice(0, 12)}`,
    title: `MinIO ${props.namespace}/${props.name}`,
    tags: ['minio', 's3www-eks'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }],
    },
    annotations: { list: [] },
    panels,
  };
}

/** The ConfigMap the Grafana sidecar loads, the dashboard under `minio-<namespace>-<name>.json`. */
export function dashboardConfigMap(scope: Construct, id: string, props: MinioDashboardProps): k8s.KubeConfigMap {
  const namespace = props.options.namespace ?? props.namespace;
  checkDnsLabel('metrics.dashboard.namespace', namespace);
  const extra = props.options.labels ?? {};
  checkLabels('metrics.dashboard.labels', extra);
  return new k8s.KubeConfigMap(scope, id, {
    metadata: {
      name: `${props.name}-dashboard`,
      namespace,
      labels: { ...props.objectLabels, grafana_dashboard: '1', ...extra },
    },
    data: { [`minio-${props.namespace}-${props.name}.json`]: JSON.stringify(dashboardModel(props), undefined, 2) },
  });
}
