/** The alerting rules of an s3www instance, as a Prometheus Operator `PrometheusRule`. */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { kubeSelector, ResolvedMonitoring } from './monitoring';

/** One alerting rule as the Prometheus Operator takes it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
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
    labels: { severity, namespace },
    annotations: { summary, description, runbook_url: `${m.runbookBaseUrl}#${alert.toLowerCase()}` },
  });
  const rules = [
    rule('S3wwwProbeFailing', 'critical', `max(probe_success${m.probe}) == 0 or absent(probe_success${m.probe})`, `${m.probeFailingMinutes}m`,
      `s3www ${site} fails its probe`,
      `The blackbox exporter has not fetched ${m.target} successfully for ${m.probeFailingMinutes} minutes (or has not probed it at all): visitors most likely get errors.`),
    rule('S3wwwProbeSlow', 'warning', `max(probe_duration_seconds${m.probe}) > ${m.slowProbeSeconds}`, '10m',
      `s3www ${site} answers its probe in {{ $value | humanizeDuration }}`,
      `Fetching ${m.target} has taken more than ${m.slowProbeSeconds}s for 10 minutes: the pods, the network or the bucket are slow.`),
  ];
  if (m.instance.seedJobPattern) {
    rules.push(rule('S3wwwSeedJobFailed', 'warning',
      `max by (namespace, job_name) (kube_job_failed${kubeSelector(m, `job_name=~"${m.instance.seedJobPattern}",condition="true"`)}) > 0`, undefined,
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

/** Emits the PrometheusRule custom resource. */
export function prometheusRule(scope: Construct, id: string, m: ResolvedMonitoring): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: `${m.instance.name}-alerts`, namespace: m.instance.namespace, labels: m.objectLabels },
    spec: { groups: [{ name: `s3www.${m.instance.namespace}.${m.instance.name}`, rules: alertRules(m) }] },
  });
}
