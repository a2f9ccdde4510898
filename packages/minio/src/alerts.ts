import { fail } from '@s3www-eks/cdk8s-common';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MinioQueries } from './queries';
import { checkPercent, checkPrometheusLabelName } from './validation';

/** Prometheus alerting rules of a MinIO instance (a PrometheusRule). */
export interface MinioAlertOptions {
  /**
   * Share of the usable (erasure-coded) capacity in use, in percent (1-99), above which
   * `MinioCapacityHigh` fires.
   * @default 80
   */
  readonly capacityUsedPercent?: number;

  /**
   * Share of a drive's PersistentVolumeClaim in use, in percent (1-99), above which
   * `MinioPvcAlmostFull` fires.
   * @default 85
   */
  readonly pvcUsedPercent?: number;

  /**
   * Page the `runbook_url` annotation of each alert points at; `#<alert name in lowercase>` is appended.
   * @default 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md'
   */
  readonly runbookBaseUrl?: string;

  /**
   * Extra labels on every alert, for Alertmanager routing (e.g. `team: storage`).
   * @default - `severity`, `namespace` and `component` only
   */
  readonly labels?: { [key: string]: string };
}

/** The default `runbookBaseUrl`. */
export const RUNBOOK_BASE_URL = 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md';

/** Default thresholds, shared with the dashboard so that its colours match the alerts. */
export const ALERT_DEFAULTS = { capacityUsedPercent: 80, pvcUsedPercent: 85 } as const;

/** One alerting rule as the Prometheus Operator takes it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** What the rules need to know about the instance. */
export interface MinioAlertsProps {
  readonly options: MinioAlertOptions;
  readonly queries: MinioQueries;
  readonly name: string;
  readonly namespace: string;
  /** Labels of the PrometheusRule object (selector labels for the Prometheus `ruleSelector`). */
  readonly objectLabels: Record<string, string>;
  /** RE2 pattern of the bucket Jobs' names, when there are buckets. */
  readonly bucketJobPattern?: string;
}

type Severity = 'critical' | 'warning';

/** The resolved thresholds, validated. */
export function alertThresholds(options: MinioAlertOptions = {}): { capacityUsedPercent: number; pvcUsedPercent: number } {
  const capacityUsedPercent = options.capacityUsedPercent ?? ALERT_DEFAULTS.capacityUsedPercent;
  const pvcUsedPercent = options.pvcUsedPercent ?? ALERT_DEFAULTS.pvcUsedPercent;
  checkPercent('metrics.alerts.capacityUsedPercent', capacityUsedPercent);
  checkPercent('metrics.alerts.pvcUsedPercent', pvcUsedPercent);
  return { capacityUsedPercent, pvcUsedPercent };
}

/**
 * The alerting rules. Each names the instance in its summary and says in its description what
 * the condition means for clients, so that an alert read on a phone is actionable.
 */
export function alertRules(props: MinioAlertsProps): AlertRule[] {
  const { options, queries: q, namespace } = props;
  const { capacityUsedPercent, pvcUsedPercent } = alertThresholds(options);
  const base = options.runbookBaseUrl ?? RUNBOOK_BASE_URL;
  if (!/^https?:\/\/[^\s#]+$/.test(base)) {
    fail('metrics.alerts.runbookBaseUrl', 'must be an http(s) URL without a fragment', base);
  }
  const extra = options.labels ?? {};
  for (const key of Object.keys(extra)) {
    checkPrometheusLabelName('metrics.alerts.labels', key);
    if (key === 'severity' || key === 'namespace' || key === 'component') {
      fail('metrics.alerts.labels', 'must not set \'severity\', \'namespace\' or \'component\', which every alert sets itself', key);
    }
  }
  const instance = `${namespace}/${props.name}`;
  // Alertmanager inhibits an instance's warnings while one of its critical alerts fires, by this label.
  const component = `minio/${props.name}`;
  const rule = (alert: string, severity: Severity, expr: string, waitFor: string | undefined, summary: string, description: string): AlertRule => ({
    alert,
    expr,
    for: waitFor,
    labels: { ...extra, severity, namespace, component },
    annotations: { summary, description, runbook_url: `${base}#${alert.toLowerCase()}` },
  });

  const rules = [
    rule('MinioDown', 'critical', `sum(up${q.minio}) == 0 or absent(up${q.minio})`, '5m',
      `MinIO ${instance} is down`,
      `Prometheus has scraped no MinIO pod of ${instance} for 5 minutes: the S3 API is most likely unavailable to its clients.`),
    rule('MinioNotReady', 'warning', `${q.cluster('minio_cluster_nodes_offline_total')} > 0`, '5m',
      `MinIO ${instance} has {{ $value }} node(s) offline`,
      `{{ $value }} MinIO node(s) of ${instance} have been offline for 5 minutes. Data stays available while the erasure sets keep their quorum; one more failure may stop writes.`),
    rule('MinioDrivesOffline', 'warning', `${q.cluster('minio_cluster_drive_offline_total')} > 0`, '5m',
      `MinIO ${instance} has {{ $value }} drive(s) offline`,
      `{{ $value }} drive(s) of ${instance} have been offline for 5 minutes. Objects are still served from parity while the quorum holds, with less redundancy.`),
    rule('MinioCapacityHigh', 'warning', `${q.capacityUsedPercent()} > ${capacityUsedPercent}`, '15m',
      `MinIO ${instance} has used {{ $value | humanize }}% of its usable capacity`,
      `More than ${capacityUsedPercent}% of the usable capacity of ${instance} has been in use for 15 minutes. MinIO refuses writes when its drives are full.`),
    rule('MinioPvcAlmostFull', 'warning', `${q.claimUsedPercent()} > ${pvcUsedPercent}`, '5m',
      'MinIO volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanize }}% full',
      `The PersistentVolumeClaim {{ $labels.persistentvolumeclaim }} of ${instance} has been more than ${pvcUsedPercent}% full for 5 minutes.`),
  ];
  if (props.bucketJobPattern) {
    const jobs = `{namespace="${namespace}",job_name=~"${props.bucketJobPattern}",condition="true"}`;
    rules.push(rule('MinioBucketJobFailed', 'warning', `max by (job_name) (kube_job_failed${jobs}) > 0`, undefined,
      'MinIO bucket Job {{ $labels.job_name }} failed',
      `The Job creating the buckets of ${instance} gave up after its retries: buckets may be missing or unversioned.`));
  }
  return rules;
}

/** Emits the PrometheusRule custom resource (the Operator's CRD types are not a dependency). */
export function prometheusRule(scope: Construct, id: string, props: MinioAlertsProps): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: `${props.name}-alerts`, namespace: props.namespace, labels: props.objectLabels },
    spec: { groups: [{ name: `minio.${props.namespace}.${props.name}`, rules: alertRules(props) }] },
  });
}
