import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkDnsSubdomain, checkSecretKey, fail } from './validation';

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
}

/** Prometheus metrics of the cluster at `/minio/v2/metrics/cluster`. */
export interface MetricsOptions {
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
}

/** Path of the cluster-wide metrics. */
export const METRICS_PATH = '/minio/v2/metrics/cluster';

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
  return new ApiObject(scope, id, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: props.name, namespace: props.namespace, labels: { ...props.serviceLabels, ...props.options.labels } },
    spec: {
      selector: { matchLabels: props.serviceLabels },
      namespaceSelector: { matchNames: [props.namespace] },
      endpoints: [{
        port: props.portName,
        path: METRICS_PATH,
        scheme: 'http',
        interval: `${interval}s`,
        authorization: secret ? { type: 'Bearer', credentials: { name: secret.name, key: secret.key } } : undefined,
      }],
    },
  });
}
