/**
 * The rules of an s3www instance, as a Prometheus Operator `PrometheusRule`: the service level
 * indicators recorded from the blackbox probe, and the alerts.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { decimal, kubeSelector, ResolvedMonitoring } from './monitoring';

/** One alerting rule as the Prometheus Operator takes it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** One recording rule as the Prometheus Operator takes it. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Record<string, string>;
}

/** The windows the share of successful probes is recorded over from the probes themselves, shortest first. */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h'] as const;

/**
 * The windows recorded from the hourly share instead: a day of probes every 30 s is 2,880 samples per
 * evaluation, the hourly share sampled at every evaluation averages to the same (each probe counts as
 * often as any other, for any evaluation interval up to an hour).
 */
export const LONG_SLI_WINDOWS = ['1d', '3d', '30d'] as const;

/** The period of the availability objective and its error budget. */
export const OBJECTIVE_WINDOW = '30d';

/**
 * The multi-window burn-rate conditions of the Google SRE workbook for a 30-day objective: each
 * fires when both its long and its short window burn the error budget `factor` times faster than
 * the objective allows. 14.4x for 1 hour spends 2% of the budget, 6x for 6 hours 5% (pages);
 * 3x for 1 day 10%, 1x for 3 days 10% (tickets).
 */
export const BURN_RATES = {
  fast: [{ long: '1h', short: '5m', factor: 14.4 }, { long: '6h', short: '30m', factor: 6 }],
  slow: [{ long: '1d', short: '2h', factor: 3 }, { long: '3d', short: '6h', factor: 1 }],
} as const;

/** Name of the recorded share of successful probes over a window. */
export function successRatio(window: string): string {
  return `s3www:probe_success:avg_over_time${window}`;
}

/** Name of the recorded share of the 30-day error budget that is left (1 = untouched, 0 = spent, below 0 = overspent). */
export const ERROR_BUDGET_REMAINING = 's3www:error_budget_remaining:ratio30d';

/** Names of the recorded probe latency: average over 5 minutes and 95th percentile over 1 hour. */
export const LATENCY = {
  average: 's3www:probe_duration_seconds:avg_over_time5m',
  p95: 's3www:probe_duration_seconds:quantile95_over_time1h',
} as const;

/**
 * The recorded service level indicators of the site, from the blackbox probe (one sample per probe):
 * the share of successful probes over each window of the burn-rate alerts, over 30 days, the error
 * budget left, and the latency of the probed object. Each series carries the probe's `job` and the
 * instance's `namespace`.
 */
export function recordingRules(m: ResolvedMonitoring): RecordingRule[] {
  const labels = { namespace: m.instance.namespace };
  const rule = (record: string, expr: string): RecordingRule => ({ record, expr, labels });
  return [
    ...SLI_WINDOWS.map((w) => rule(successRatio(w), `avg by (job) (avg_over_time(probe_success${m.probe}[${w}]))`)),
    ...LONG_SLI_WINDOWS.map((w) => rule(successRatio(w), `avg_over_time(${successRatio('1h')}${m.probe}[${w}])`)),
    rule(ERROR_BUDGET_REMAINING, `1 - (1 - ${successRatio(OBJECTIVE_WINDOW)}${m.probe}) / ${m.errorBudget}`),
    rule(LATENCY.average, `avg by (job) (avg_over_time(probe_duration_seconds${m.probe}[5m]))`),
    rule(LATENCY.p95, `max by (job) (quantile_over_time(0.95, probe_duration_seconds${m.probe}[1h]))`),
  ];
}

/** The PromQL of one set of burn-rate conditions: any pair whose long and short windows both burn too fast. */
function burnExpression(m: ResolvedMonitoring, pairs: ReadonlyArray<{ long: string; short: string; factor: number }>): string {
  const over = (window: string, factor: number) => `(1 - ${successRatio(window)}${m.probe}) > ${decimal(factor * m.errorBudget)}`;
  return pairs.map((p) => `(${over(p.long, p.factor)} and ${over(p.short, p.factor)})`).join(' or ');
}

/** "43.2 minutes" of failed probes in 30 days for a 99.9% objective. */
function budgetDuration(m: ResolvedMonitoring): string {
  const minutes = decimal(30 * 24 * 60 * m.errorBudget);
  return minutes >= 120 ? `${decimal(minutes / 60)} hours` : `${minutes} minutes`;
}

/**
 * The rules. Each summary names the instance and each description says what the condition means
 * for visitors, so that an alert read on a phone is actionable.
 */
export function alertRules(m: ResolvedMonitoring): AlertRule[] {
  const { namespace, name } = m.instance;
  const site = `${namespace}/${name}`;
  const rule = (alert: string, severity: 'critical' | 'warning', expr: string, waitFor: string | undefined, summary: string, description: string): AlertRule => ({
    alert,
    expr,
    ...(waitFor ? { for: waitFor } : {}),
    labels: { severity, namespace, component: m.component },
    annotations: { summary, description, runbook_url: `${m.runbookBaseUrl}#${alert.toLowerCase()}` },
  });
  const objective = `the ${m.objectivePercent}% availability objective (${budgetDuration(m)} of failed probes in 30 days)`;
  const rules = [
    rule('S3wwwProbeFailing', 'critical', `max(probe_success${m.probe}) == 0 or absent(probe_success${m.probe})`, `${m.probeFailingMinutes}m`,
      `s3www ${site} fails its probe`,
      `The blackbox exporter has not fetched ${m.target} successfully for ${m.probeFailingMinutes} minutes (or has not probed it at all): visitors most likely get errors.`),
    rule('S3wwwProbeSlow', 'warning', `max(probe_duration_seconds${m.probe}) > ${m.slowProbeSeconds}`, '10m',
      `s3www ${site} answers its probe in {{ $value | humanizeDuration }}`,
      `Fetching ${m.target} has taken more than ${m.slowProbeSeconds}s for 10 minutes: the pods, the network or the bucket are slow.`),
    rule('S3wwwErrorBudgetBurnFast', 'critical', burnExpression(m, BURN_RATES.fast), '2m',
      `s3www ${site} is spending its error budget fast`,
      `Failed probes spend the error budget of ${objective} so fast that it is gone within 2 days (more than 2% of it in 1 hour, or 5% in 6 hours): some visitors get errors.`),
    rule('S3wwwErrorBudgetBurnSlow', 'warning', burnExpression(m, BURN_RATES.slow), '15m',
      `s3www ${site} is spending its error budget too fast for the month`,
      `Failed probes spend the error budget of ${objective} so fast that it is gone before the 30 days are over (10% of it in 1 day, or in 3 days): a few visitors get errors.`),
  ];
  if (m.instance.seedJobPattern) {
    rules.push(rule('S3wwwSeedJobFailed', 'warning',
      `max by (namespace, job_name) (kube_job_failed${kubeSelector(m, `job_name=~"${m.instance.seedJobPattern}",condition="true"`, m.instance.seedJobNamespace)}) > 0`, undefined,
      's3www seeder Job {{ $labels.job_name }} failed',
      `The Job seeding the bucket of ${site} gave up after its retries: the site may be missing files or serve old ones.`));
  }
  if (m.instance.maxReplicas !== undefined) {
    const hpa = kubeSelector(m, `horizontalpodautoscaler="${name}"`);
    rules.push(rule('S3wwwHpaAtMax', 'warning',
      `max(kube_horizontalpodautoscaler_status_current_replicas${hpa}) >= max(kube_horizontalpodautoscaler_spec_max_replicas${hpa})`, '15m',
      `s3www ${site} has run at its maximum of ${m.instance.maxReplicas} replicas for 15 minutes`,
      `The autoscaler of ${site} cannot add pods: more load will slow the site down. Raise 'autoscaling.maxReplicas' or find the cause of the load.`));
  }
  return rules;
}

/** Emits the PrometheusRule custom resource: the recorded indicators first, then the alerts. */
export function prometheusRule(scope: Construct, id: string, m: ResolvedMonitoring): ApiObject {
  const group = `s3www.${m.instance.namespace}.${m.instance.name}`;
  return new ApiObject(scope, id, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: `${m.instance.name}-alerts`, namespace: m.instance.namespace, labels: m.objectLabels },
    spec: {
      groups: [
        { name: `${group}.sli`, rules: recordingRules(m) },
        { name: group, rules: alertRules(m) },
      ],
    },
  });
}
