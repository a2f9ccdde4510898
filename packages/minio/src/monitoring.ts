import { checkLabels, fail } from '@s3www-eks/cdk8s-common';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { alertThresholds, prometheusRule } from './alerts';
import { dashboardConfigMap } from './dashboard';
import { COMPONENT, objectLabels } from './labels';
import { MetricsAuth, MetricsOptions, serviceMonitor } from './metrics';
import { MinioQueries } from './queries';

/** What the monitoring objects need to know about the instance. */
export interface MonitoringProps {
  readonly metrics: MetricsOptions;
  readonly name: string;
  readonly namespace: string;
  /** Labels of the API Service the ServiceMonitor selects. */
  readonly serviceLabels: Record<string, string>;
  readonly portName: string;
  /** StatefulSet name and claim templates, for the kubelet volume series of the drives. */
  readonly statefulSet: string;
  readonly claimTemplates: string[];
  /** RE2 pattern of the bucket Jobs' names, when there are buckets. */
  readonly bucketJobPattern?: string;
}

/** The Prometheus Operator and Grafana objects that were asked for. */
export interface MonitoringObjects {
  readonly serviceMonitor?: ApiObject;
  readonly prometheusRule?: ApiObject;
  readonly dashboard?: ApiObject;
}

/**
 * The job label the alerts and the dashboard select. The Prometheus Operator calls the job of a
 * ServiceMonitor's targets after the Service; an annotation-based scrape config has a job name
 * only the user knows.
 */
function resolveJob(metrics: MetricsOptions, serviceName: string): string | undefined {
  if (metrics.jobName !== undefined) {
    if (metrics.serviceMonitor) {
      fail('metrics.jobName', `is only used without 'metrics.serviceMonitor', whose targets' job is the Service name '${serviceName}'; leave it out`, metrics.jobName);
    }
    if (metrics.jobName.length === 0 || /["\\\n]/.test(metrics.jobName)) {
      fail('metrics.jobName', 'must be the non-empty name of a Prometheus scrape job, without quotes, backslashes or line breaks', metrics.jobName);
    }
    return metrics.jobName;
  }
  return metrics.serviceMonitor ? serviceName : undefined;
}

/** Emits the ServiceMonitor, PrometheusRule and dashboard ConfigMap that `metrics` asks for. */
export function monitoringObjects(scope: Construct, props: MonitoringProps): MonitoringObjects {
  const { metrics, name, namespace } = props;
  const selectorLabels = metrics.ruleSelectorLabels ?? {};
  checkLabels('metrics.ruleSelectorLabels', selectorLabels);
  const job = resolveJob(metrics, name);
  const wantsQueries = metrics.alerts !== undefined || metrics.dashboard !== undefined;
  if (wantsQueries && job === undefined) {
    throw new Error('\'metrics.jobName\' is required for \'metrics.alerts\' and \'metrics.dashboard\' without \'metrics.serviceMonitor\': '
      + 'give the name of the scrape job that reads the prometheus.io annotations (e.g. \'kubernetes-pods\')');
  }

  const result: { -readonly [K in keyof MonitoringObjects]: MonitoringObjects[K] } = {};
  if (metrics.serviceMonitor) {
    result.serviceMonitor = serviceMonitor(scope, 'ServiceMonitor', {
      options: metrics.serviceMonitor,
      auth: metrics.auth ?? MetricsAuth.JWT,
      name,
      namespace,
      serviceLabels: props.serviceLabels,
      portName: props.portName,
      selectorLabels,
      bucketMetrics: metrics.serviceMonitor.bucketMetrics ?? metrics.dashboard !== undefined,
    });
  }
  if (!wantsQueries) return result;

  const queries = new MinioQueries({ job: job!, namespace, statefulSet: props.statefulSet, claimTemplates: props.claimTemplates });
  const thresholds = alertThresholds(metrics.alerts);
  const labels = objectLabels(name, COMPONENT.monitoring);
  if (metrics.alerts) {
    result.prometheusRule = prometheusRule(scope, 'PrometheusRule', {
      options: metrics.alerts,
      queries,
      name,
      namespace,
      objectLabels: { ...labels, ...selectorLabels },
      bucketJobPattern: props.bucketJobPattern,
    });
  }
  if (metrics.dashboard) {
    result.dashboard = dashboardConfigMap(scope, 'Dashboard', {
      options: metrics.dashboard,
      queries,
      name,
      namespace,
      objectLabels: labels,
      ...thresholds,
    });
  }
  return result;
}
