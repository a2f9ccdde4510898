/**
 * Black-box monitoring of s3www, which serves no metrics of its own: the blackbox exporter requests
 * the Service through a Prometheus Operator `Probe`, and alerts and a dashboard read the probe's
 * series, kube-state-metrics and MinIO's bucket metrics.
 */
import { checkDnsLabel, checkInteger, checkLabels, checkUrlPath, fail } from '@s3www-eks/cdk8s-common';
import { ApiObject, Duration } from 'cdk8s';
import { IPodSelector } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import type { Seeder } from './seeder-job';

/** Monitoring of an {@link S3www}: a blackbox `Probe`, a `PrometheusRule` and a Grafana dashboard. */
export interface S3wwwMonitoringOptions {
  /**
   * `host:port` of the blackbox exporter that runs the probe.
   * @default 'blackbox-exporter-prometheus-blackbox-exporter.monitoring.svc:9115'
   */
  readonly proberUrl?: string;

  /**
   * Blackbox exporter module that runs the probe.
   * @default 'http_2xx'
   */
  readonly module?: string;

  /**
   * URL path the probe requests; an object that must exist, such as a seeded `/index.html`, also
   * checks the bucket and the credentials.
   * @default '/'
   */
  readonly path?: string;

  /**
   * How often the probe runs (10 seconds to 5 minutes).
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * Pods of the blackbox exporter, which the NetworkPolicy admits to port 8080. Only s3www's side is
   * written: the exporter is not egress-isolated, and an egress policy would cut it off from its other targets.
   * @default - pods labelled app.kubernetes.io/name=prometheus-blackbox-exporter in the `monitoring` namespace
   */
  readonly prober?: IPodSelector;

  /**
   * The seeder that fills the served bucket: adds the alert `S3wwwSeedJobFailed` and the
   * dashboard's seeder panel for its Jobs.
   * @default - no seeder alert or panel
   */
  readonly seeder?: Seeder;

  /**
   * Labels of the Probe, PrometheusRule and dashboard ConfigMap, for a Prometheus that selects
   * them (e.g. `release: kube-prometheus-stack`).
   * @default {}
   */
  readonly ruleSelectorLabels?: { [key: string]: string };

  /**
   * Minutes the probe must fail before `S3wwwProbeFailing` fires (1-60).
   * @default 5
   */
  readonly probeFailingMinutes?: number;

  /**
   * Probe duration in milliseconds above which `S3wwwProbeSlow` fires after 10 minutes (10-60000).
   * @default 1000
   */
  readonly slowProbeMillis?: number;

  /**
   * Availability objective over 30 days, in percent of successful probes (90 to 99.99). Its error
   * budget drives the multi-window burn-rate alerts `S3wwwErrorBudgetBurnFast` (pages) and
   * `S3wwwErrorBudgetBurnSlow` (tickets) and the dashboard's "Error budget left".
   * @see https://sre.google/workbook/alerting-on-slos/
   * @default 99.9
   */
  readonly availabilityObjective?: number;

  /**
   * Page the `runbook_url` annotation of each alert points at; `#<alert name in lowercase>` is appended.
   * @default 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md'
   */
  readonly runbookBaseUrl?: string;

  /**
   * Namespace of the dashboard ConfigMap, for a Grafana sidecar that watches one namespace only.
   * @default - the namespace of s3www
   */
  readonly dashboardNamespace?: string;
}

/** Defaults of {@link S3wwwMonitoringOptions}. */
export const MONITORING_DEFAULTS = {
  proberUrl: 'blackbox-exporter-prometheus-blackbox-exporter.monitoring.svc:9115',
  module: 'http_2xx',
  path: '/',
  intervalSeconds: 30,
  probeFailingMinutes: 5,
  slowProbeMillis: 1000,
  availabilityObjective: 99.9,
  runbookBaseUrl: 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md',
  proberLabels: { 'app.kubernetes.io/name': 'prometheus-blackbox-exporter' },
  proberNamespace: 'monitoring',
} as const;

/** What the monitoring objects need to know about the instance. */
export interface MonitoredInstance {
  readonly name: string;
  readonly namespace: string;
  readonly serviceName: string;
  readonly servicePort: number;
  readonly bucket: string;
  /** Labels of every object, before `ruleSelectorLabels`. */
  readonly labels: Record<string, string>;
  /** RE2 pattern of the seeder Jobs' names, when there is a seeder. */
  readonly seedJobPattern?: string;
  /** Namespace of the seeder Jobs. */
  readonly seedJobNamespace?: string;
  /** The HPA's maximum, when autoscaling is on. */
  readonly maxReplicas?: number;
}

/** The options resolved and validated, and the label matchers every query uses. */
export interface ResolvedMonitoring {
  readonly instance: MonitoredInstance;
  readonly proberUrl: string;
  readonly module: string;
  readonly target: string;
  readonly intervalSeconds: number;
  readonly probeFailingMinutes: number;
  readonly slowProbeSeconds: number;
  /** The availability objective, in percent. */
  readonly objectivePercent: number;
  /** The error budget: the share of probes allowed to fail over 30 days (0.001 for 99.9%). */
  readonly errorBudget: number;
  readonly runbookBaseUrl: string;
  readonly dashboardNamespace: string;
  readonly objectLabels: Record<string, string>;
  /** The Probe's scrape job: its series carry `job="<probeJob>"`. */
  readonly probeJob: string;
  /** Label matchers of the probe's series. */
  readonly probe: string;
  /**
   * The `component` label of every alert (`s3www/<name>`): Alertmanager inhibits this instance's
   * warnings while one of its critical alerts fires.
   */
  readonly component: string;
}

/** A number without the binary floating-point noise of arithmetic on decimals (0.1 + 0.2). */
export function decimal(value: number): number {
  return Number(value.toPrecision(12));
}

/** A kube-state-metrics selector of this instance's namespace (or another) plus `matchers`. */
export function kubeSelector(m: ResolvedMonitoring, matchers: string, namespace: string = m.instance.namespace): string {
  return `{namespace="${namespace}",${matchers}}`;
}

export function resolveMonitoring(options: S3wwwMonitoringOptions, instance: MonitoredInstance): ResolvedMonitoring {
  const proberUrl = options.proberUrl ?? MONITORING_DEFAULTS.proberUrl;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:\d{1,5}$/.test(proberUrl)) {
    fail('monitoring.proberUrl', 'must be host:port of the blackbox exporter, without a scheme', proberUrl);
  }
  const module = options.module ?? MONITORING_DEFAULTS.module;
  if (!/^[A-Za-z0-9_-]+$/.test(module)) fail('monitoring.module', 'must be a blackbox exporter module name (letters, digits, \'_\' and \'-\')', module);
  const path = options.path ?? MONITORING_DEFAULTS.path;
  checkUrlPath('monitoring.path', path);
  const intervalSeconds = options.interval?.toSeconds({ integral: false }) ?? MONITORING_DEFAULTS.intervalSeconds;
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 10 || intervalSeconds > 300) {
    fail('monitoring.interval', 'must be a whole number of seconds between 10 and 300', `${intervalSeconds}s`);
  }
  const probeFailingMinutes = options.probeFailingMinutes ?? MONITORING_DEFAULTS.probeFailingMinutes;
  checkInteger('monitoring.probeFailingMinutes', probeFailingMinutes, 1, 60);
  const slowProbeMillis = options.slowProbeMillis ?? MONITORING_DEFAULTS.slowProbeMillis;
  checkInteger('monitoring.slowProbeMillis', slowProbeMillis, 10, 60000);
  const objectivePercent = options.availabilityObjective ?? MONITORING_DEFAULTS.availabilityObjective;
  if (typeof objectivePercent !== 'number' || !(objectivePercent >= 90 && objectivePercent <= 99.99)) {
    fail('monitoring.availabilityObjective', 'must be a percentage of successful probes between 90 and 99.99 (e.g. 99.9)', objectivePercent);
  }
  const runbookBaseUrl = options.runbookBaseUrl ?? MONITORING_DEFAULTS.runbookBaseUrl;
  if (!/^https?:\/\/[^\s#]+$/.test(runbookBaseUrl)) fail('monitoring.runbookBaseUrl', 'must be an http(s) URL without a fragment', runbookBaseUrl);
  const dashboardNamespace = options.dashboardNamespace ?? instance.namespace;
  checkDnsLabel('monitoring.dashboardNamespace', dashboardNamespace);
  const selector = options.ruleSelectorLabels ?? {};
  checkLabels('monitoring.ruleSelectorLabels', selector);
  const probeJob = `s3www-${instance.namespace}-${instance.name}`;
  return {
    instance,
    proberUrl,
    module,
    target: `http://${instance.serviceName}.${instance.namespace}.svc.cluster.local:${instance.servicePort}${path}`,
    intervalSeconds,
    probeFailingMinutes,
    slowProbeSeconds: slowProbeMillis / 1000,
    objectivePercent,
    errorBudget: decimal((100 - objectivePercent) / 100),
    runbookBaseUrl,
    dashboardNamespace,
    objectLabels: { ...instance.labels, ...selector },
    probeJob,
    probe: `{job="${probeJob}"}`,
    component: `s3www/${instance.name}`,
  };
}

/** The Probe custom resource (the Operator's CRD types are not a dependency). */
export function probeObject(scope: Construct, id: string, m: ResolvedMonitoring): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Probe',
    metadata: { name: m.instance.name, namespace: m.instance.namespace, labels: m.objectLabels },
    spec: {
      jobName: m.probeJob,
      interval: `${m.intervalSeconds}s`,
      module: m.module,
      prober: { url: m.proberUrl, scheme: 'http', path: '/probe' },
      targets: { staticConfig: { static: [m.target], labels: { namespace: m.instance.namespace, service: m.instance.serviceName } } },
    },
  });
}
