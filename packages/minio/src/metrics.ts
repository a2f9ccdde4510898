import { checkDnsSubdomain, checkSecretKey, fail } from '@s3www-eks/cdk8s-common';
import { ApiObject, Duration } from 'cdk8s';
import { IPodSelector } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { MinioAlertOptions } from './alerts';
import { MinioDashboardOptions } from './dashboard';

/** Who may read MinIO's Prometheus metrics (`MINIO_PROMETHEUS_AUTH_TYPE`). */
export enum MetricsAuth {
  /** A bearer token is required; generate one with `mc admin prometheus generate ALIAS`. */
  JWT = 'jwt',
  /** Anyone who reaches the API port may read the metrics; the NetworkPolicy still decides who reaches it. */
  PUBLIC = 'public',
}

/** A key of an existing Secret. */
export interface SecretKeyReference {
  /** Name of the Secret, in the namespace of MinIO. */
  readonly name: string;
  /** Key within the Secret. */
  readonly key: string;
}

/** A Prometheus Operator ServiceMonitor for the MinIO API service. */
export interface ServiceMonitorOptions {
  /**
   * Scrape interval.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * Labels of the ServiceMonitor, for the `serviceMonitorSelector` of your Prometheus (e.g. `release: kube-prometheus-stack`).
   * @default - no extra labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * The Secret key holding the bearer token Prometheus sends; required when `auth` is `MetricsAuth.JWT`.
   * @default - none; only valid with `MetricsAuth.PUBLIC`
   */
  readonly bearerTokenSecret?: SecretKeyReference;

  /**
   * Also scrape the per-bucket metrics at `/minio/v2/metrics/bucket` (usage, traffic and requests
   * per bucket, e.g. for the dashboard of an application that serves one bucket).
   * @default - true with `metrics.dashboard` (its bucket panels read them), else false
   */
  readonly bucketMetrics?: boolean;
}

/** Prometheus metrics of the cluster at `/minio/v2/metrics/cluster`. */
export interface MetricsOptions {
  /**
   * The Prometheus pods that scrape MinIO, which the NetworkPolicy admits to the API port. Only
   * MinIO's side is written: a Prometheus is not egress-isolated, and an egress policy would cut it
   * off from its other targets.
   * @default - the Prometheus of kube-prometheus-stack: pods labelled app.kubernetes.io/name=prometheus in the `monitoring` namespace
   */
  readonly scraper?: IPodSelector;

  /**
   * Authentication of the metrics endpoints.
   * @default MetricsAuth.JWT
   */
  readonly auth?: MetricsAuth;

  /**
   * Also emit a ServiceMonitor (monitoring.coreos.com/v1); needs the Prometheus Operator's CRDs in the cluster.
   * @default - no ServiceMonitor; pods carry the prometheus.io scrape annotations only
   */
  readonly serviceMonitor?: ServiceMonitorOptions;

  /**
   * Also emit a PrometheusRule (monitoring.coreos.com/v1) with the MinIO alerts: down, nodes or
   * drives offline, capacity and volumes filling up, bucket Job failed.
   * @default - no alerts
   */
  readonly alerts?: MinioAlertOptions;

  /**
   * Also emit a Grafana dashboard as a ConfigMap labelled `grafana_dashboard: "1"`. With a
   * ServiceMonitor, it also scrapes `/minio/v2/metrics/bucket` for the per-bucket panels.
   * @default - no dashboard
   */
  readonly dashboard?: MinioDashboardOptions;

  /**
   * Labels of the ServiceMonitor and the PrometheusRule, for the `serviceMonitorSelector` and
   * `ruleSelector` of your Prometheus (kube-prometheus-stack selects `release: <helm release>`
   * unless its `*SelectorNilUsesHelmValues` values are false).
   * @default - no extra labels
   */
  readonly ruleSelectorLabels?: { [key: string]: string };

  /**
   * The `job` label Prometheus gives MinIO's targets, which the alerts and the dashboard select.
   * Only for annotation-based scraping, where it is the name of your scrape job (e.g.
   * `kubernetes-pods`); the Prometheus Operator names the job of a ServiceMonitor's targets
   * after the Service.
   * @default - the API Service name with `serviceMonitor`; required with `alerts` or `dashboard` without it
   */
  readonly jobName?: string;
}

/** Path of the cluster-wide metrics. */
export const METRICS_PATH = '/minio/v2/metrics/cluster';
/** Path of the per-bucket metrics (usage, traffic), split from the cluster ones in RELEASE.2023-07-21. */
export const BUCKET_METRICS_PATH = '/minio/v2/metrics/bucket';

/** The `prometheus.io/*` annotations of the pods, for annotation-based scrape configs. */
export function scrapeAnnotations(port: number): Record<string, string> {
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/path': METRICS_PATH, 'prometheus.io/port': String(port) };
}

/** What the ServiceMonitor needs to know about the API service. */
export interface ServiceMonitorProps {
  readonly options: ServiceMonitorOptions;
  readonly auth: MetricsAuth;
  readonly name: string;
  readonly namespace: string;
  readonly serviceLabels: Record<string, string>;
  readonly portName: string;
  /** Labels for the Prometheus `serviceMonitorSelector`, under the options' own labels. */
  readonly selectorLabels?: Record<string, string>;
  /** Also scrape the per-bucket metrics. */
  readonly bucketMetrics?: boolean;
}

/** Emits the ServiceMonitor custom resource (the Operator's CRD types are not a dependency). */
export function serviceMonitor(scope: Construct, id: string, props: ServiceMonitorProps): ApiObject {
  const secret = props.options.bearerTokenSecret;
  if (props.auth === MetricsAuth.JWT && !secret) {
    throw new Error('\'metrics.serviceMonitor.bearerTokenSecret\' is required when \'metrics.auth\' is MetricsAuth.JWT (the default): MinIO answers 403 to scrapes without a token');
  }
  if (props.auth === MetricsAuth.PUBLIC && secret) {
    fail('metrics.serviceMonitor.bearerTokenSecret', 'is only used with MetricsAuth.JWT; leave it out with MetricsAuth.PUBLIC', secret.name);
  }
  if (secret) {
    checkDnsSubdomain('metrics.serviceMonitor.bearerTokenSecret.name', secret.name);
    checkSecretKey('metrics.serviceMonitor.bearerTokenSecret.key', secret.key);
  }
  const interval = (props.options.interval ?? Duration.seconds(30)).toSeconds();
  if (interval < 1) fail('metrics.serviceMonitor.interval', 'must be at least 1 second', `${interval}s`);
  const endpoint = (path: string) => ({
    port: props.portName,
    path,
    scheme: 'http',
    interval: `${interval}s`,
    authorization: secret ? { type: 'Bearer', credentials: { name: secret.name, key: secret.key } } : undefined,
  });
  // Both endpoints scrape the same pods: without a label telling them apart, their `up` series
  // would be one series written by two scrape pools.
  const bucketEndpoint = { ...endpoint(BUCKET_METRICS_PATH), relabelings: [{ sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path' }] };
  return new ApiObject(scope, id, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: props.name, namespace: props.namespace, labels: { ...props.serviceLabels, ...props.selectorLabels, ...props.options.labels } },
    spec: {
      selector: { matchLabels: props.serviceLabels },
      namespaceSelector: { matchNames: [props.namespace] },
      endpoints: [endpoint(METRICS_PATH), ...(props.bucketMetrics ? [bucketEndpoint] : [])],
    },
  });
}
