import { parser } from '@prometheus-io/lezer-promql';

/**
 * PromQL checks with Prometheus' own grammar (the one its web UI uses). Grafana macros are
 * replaced first, as Grafana does before it sends a query.
 */
function prepare(expr: string): string {
  return expr.replace(/\$__rate_interval/g, '5m');
}

/** The syntax errors of an expression, empty when it parses. */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(prepare(expr)).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`syntax error at ${node.from} in ${expr}`);
    },
  });
  return errors;
}

/** The metric names an expression reads (the names of its vector selectors). */
export function metricNames(expr: string): string[] {
  const source = prepare(expr);
  const names = new Set<string>();
  parser.parse(source).iterate({
    enter(node) {
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) names.add(source.slice(identifier.from, identifier.to));
      }
    },
  });
  return [...names].sort();
}

/**
 * Metric names this library may query: MinIO's v2 cluster and bucket metrics (MinIO's
 * docs/metrics/prometheus/list.md), Prometheus' `up`, the kubelet volume statistics and
 * kube-state-metrics' Job status.
 */
export const KNOWN_METRICS = [
  'minio_bucket_usage_object_total',
  'minio_bucket_usage_total_bytes',
  'minio_cluster_capacity_usable_free_bytes',
  'minio_cluster_capacity_usable_total_bytes',
  'minio_cluster_drive_offline_total',
  'minio_cluster_drive_online_total',
  'minio_cluster_nodes_offline_total',
  'minio_cluster_nodes_online_total',
  'minio_s3_requests_4xx_errors_total',
  'minio_s3_requests_5xx_errors_total',
  'minio_s3_requests_total',
  'minio_s3_requests_ttfb_seconds_distribution',
  'up',
  'kubelet_volume_stats_available_bytes',
  'kubelet_volume_stats_capacity_bytes',
  'kube_job_failed',
];
