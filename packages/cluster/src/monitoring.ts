import { Annotations, Duration, Size, SizeRoundingBehavior, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ALERTMANAGER_SERVICE_ACCOUNT, alertmanagerConfig, CHAT_WEBHOOK_SECRET } from './alertmanager';
import { Notifications } from './notifications';
import { DEFAULT_STORAGE_CLASS } from './storage-class';
import { checkDnsSubdomain } from './validation';

const PROMETHEUS_COMMUNITY = 'https://prometheus-community.github.io/helm-charts';
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/**
 * Where Grafana's admin user name and password come from. The password never appears in a template
 * or manifest: Grafana reads it from a Kubernetes Secret in the `monitoring` namespace.
 *
 * @example
 * declare const grafanaAdmin: secretsmanager.ISecret;
 * GrafanaAdminCredentials.fromSecretsManager(grafanaAdmin);
 * GrafanaAdminCredentials.fromKubernetesSecret('grafana-admin');
 */
export class GrafanaAdminCredentials {
  /**
   * A Kubernetes Secret in the `monitoring` namespace that you create yourself (e.g. with GitOps or sealed secrets).
   * @param secretName name of the Secret
   * @param userKey the key holding the user name
   * @param passwordKey the key holding the password
   */
  public static fromKubernetesSecret(secretName: string, userKey: string = 'admin-user', passwordKey: string = 'admin-password'): GrafanaAdminCredentials {
    return new GrafanaAdminCredentials(secretName, userKey, passwordKey, undefined, undefined, undefined);
  }

  /**
   * A Secrets Manager secret with a JSON value, copied into the Kubernetes Secret `grafana-admin` through
   * External Secrets Operator (the cluster's `syncSecret` machinery).
   * @param secret the Secrets Manager secret
   * @param usernameField JSON property holding the user name
   * @param passwordField JSON property holding the password
   */
  public static fromSecretsManager(secret: secretsmanager.ISecret, usernameField: string = 'username', passwordField: string = 'password'): GrafanaAdminCredentials {
    return new GrafanaAdminCredentials('grafana-admin', 'admin-user', 'admin-password', secret, usernameField, passwordField);
  }

  /** Name of the Kubernetes Secret Grafana reads. */
  public readonly secretName: string;

  /** Key of the user name in the Kubernetes Secret. */
  public readonly userKey: string;

  /** Key of the password in the Kubernetes Secret. */
  public readonly passwordKey: string;

  /** The Secrets Manager secret synced into the Kubernetes Secret, if the credentials come from Secrets Manager. */
  public readonly secretsManagerSecret?: secretsmanager.ISecret;

  /** JSON property of the user name in the Secrets Manager secret. */
  public readonly usernameField?: string;

  /** JSON property of the password in the Secrets Manager secret. */
  public readonly passwordField?: string;

  private constructor(secretName: string, userKey: string, passwordKey: string, secret: secretsmanager.ISecret | undefined,
    usernameField: string | undefined, passwordField: string | undefined) {
    checkDnsSubdomain('grafanaAdmin secretName', secretName);
    for (const [prop, key] of [['grafanaAdmin userKey', userKey], ['grafanaAdmin passwordKey', passwordKey]]) {
      if (!SECRET_KEY.test(key)) {
        throw new Error(`'${prop}' must be a Kubernetes Secret key (letters, digits, '-', '_' and '.'), got '${key}'`);
      }
    }
    this.secretName = secretName;
    this.userKey = userKey;
    this.passwordKey = passwordKey;
    this.secretsManagerSecret = secret;
    this.usernameField = usernameField;
    this.passwordField = passwordField;
  }
}

/** Options of the in-cluster monitoring stack: kube-prometheus-stack and the Prometheus blackbox exporter. */
export interface MonitoringOptions {
  /**
   * Helm chart version of `kube-prometheus-stack` (prometheus-community). Changing it upgrades the release in place.
   * @default '88.1.3'
   */
  readonly chartVersion?: string;

  /**
   * Helm chart version of `prometheus-blackbox-exporter` (prometheus-community).
   * @default '11.18.0'
   */
  readonly blackboxExporterChartVersion?: string;

  /**
   * How long Prometheus keeps samples; whole hours, at least 2 (one TSDB block).
   * Prometheus also stops at 85% of `storageSize`, whichever comes first.
   * @default Duration.days(10)
   */
  readonly retention?: Duration;

  /**
   * Size of Prometheus' gp3 volume; whole GiB, at least 1. The volume can be expanded later, not shrunk.
   * @default Size.gibibytes(50)
   */
  readonly storageSize?: Size;

  /**
   * Grafana's admin credentials.
   * @default - a new Secrets Manager secret with a generated password, synced into the cluster
   */
  readonly grafanaAdmin?: GrafanaAdminCredentials;

  /**
   * More kube-prometheus-stack values (e.g. resources), deep-merged over the ones this construct sets;
   * lists replace lists. They end up in the template: never put a secret here (reference Kubernetes
   * Secrets instead, e.g. `alertmanager.alertmanagerSpec.secrets`). The Alertmanager routing comes from
   * the cluster's `notifications`.
   * @default - none
   */
  readonly prometheusStackValues?: Record<string, any>;
}

/** Properties of {@link Monitoring}. */
export interface MonitoringProps {
  /** The cluster, with a kubectl provider. */
  readonly cluster: eks.ICluster;

  /** Grafana's admin credentials (the Cluster construct generates them when its options name none). */
  readonly grafanaAdmin: GrafanaAdminCredentials;

  /**
   * Chart versions, retention and storage; `grafanaAdmin` here is ignored in favour of the prop above.
   * @default - the defaults of each option
   */
  readonly options?: MonitoringOptions;

  /**
   * Where Alertmanager sends alerts: it routes by severity to the topic and the chat webhook (see
   * `Notifications`). Alertmanager's service account needs `sns:Publish` on the topic (the Cluster
   * construct grants it through Pod Identity) and, with a chat webhook, the Kubernetes Secret
   * `alertmanager-chat-webhook` (key `url`) in the `monitoring` namespace (the Cluster construct syncs it).
   * @default - the chart's configuration: Alertmanager has no receiver and every alert reaches nobody
   */
  readonly notifications?: Notifications;
}

/**
 * kube-prometheus-stack (Prometheus Operator, Prometheus, Alertmanager, Grafana, node exporter,
 * kube-state-metrics) and the Prometheus blackbox exporter in the `monitoring` namespace, from pinned charts.
 *
 * Prometheus selects every ServiceMonitor, PodMonitor, Probe and PrometheusRule in every namespace,
 * whatever their labels; Grafana loads every ConfigMap labelled `grafana_dashboard: "1"` in any namespace.
 */
export class Monitoring extends Construct {
  /** The namespace the stack runs in. */
  public static readonly NAMESPACE = 'monitoring';

  /** Alertmanager's service account, which the cluster gives its SNS permissions through Pod Identity. */
  public static readonly ALERTMANAGER_SERVICE_ACCOUNT = ALERTMANAGER_SERVICE_ACCOUNT;

  /** The blackbox exporter's in-cluster address, for Prometheus Operator `Probe` objects (module `http_2xx`). */
  public static readonly BLACKBOX_EXPORTER_URL = 'blackbox-exporter-prometheus-blackbox-exporter.monitoring.svc:9115';

  /** The `monitoring` Namespace. */
  public readonly namespace: eks.KubernetesManifest;

  /** The `kube-prometheus-stack` Helm release. */
  public readonly prometheusStack: eks.HelmChart;

  /** The `blackbox-exporter` Helm release. */
  public readonly blackboxExporter: eks.HelmChart;

  /** Where Grafana's admin credentials come from. */
  public readonly grafanaAdmin: GrafanaAdminCredentials;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const options = props.options ?? {};
    const retention = prometheusRetention(options.retention ?? Duration.days(10));
    const storageGib = storageGibibytes(options.storageSize ?? Size.gibibytes(50));
    this.grafanaAdmin = props.grafanaAdmin;

    const notifications = props.notifications;
    if (!notifications) {
      Annotations.of(this).addWarningV2('@s3www-eks/cluster:alertsReachNobody',
        "Alertmanager has no receiver: every alert reaches nobody. Set the cluster's 'notifications' (an SNS topic, e-mails, a chat webhook)");
    }
    const alerting = notifications && {
      alertmanager: {
        serviceAccount: { create: true, name: ALERTMANAGER_SERVICE_ACCOUNT },
        config: alertmanagerConfig({
          topicArn: notifications.topic.topicArn,
          region: notifications.topic.env.region || Stack.of(this).region,
          chat: notifications.chatWebhook && { channel: notifications.chatWebhook.channel },
        }),
        // Mounted at /etc/alertmanager/secrets/<name>/: the configuration names the file, never the URL.
        alertmanagerSpec: { secrets: notifications.chatWebhook ? [CHAT_WEBHOOK_SECRET] : [] },
      },
    };

    this.namespace = new eks.KubernetesManifest(this, 'Namespace', {
      cluster: props.cluster,
      manifest: [{
        apiVersion: 'v1',
        kind: 'Namespace',
        // node-exporter needs the host's network, PID namespace and file systems: only "privileged" admits it.
        metadata: { name: Monitoring.NAMESPACE, labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
      }],
    });

    this.prometheusStack = new eks.HelmChart(this, 'PrometheusStack', {
      cluster: props.cluster,
      repository: PROMETHEUS_COMMUNITY,
      chart: 'kube-prometheus-stack',
      version: options.chartVersion ?? '88.1.3',
      release: 'kube-prometheus-stack',
      namespace: Monitoring.NAMESPACE,
      createNamespace: false,
      wait: true,
      timeout: Duration.minutes(15),
      values: deepMerge({
        // EKS runs the control plane: its scheduler, controller manager and etcd cannot be scraped, and
        // kube-proxy binds its metrics to localhost. Scraping them would only fire TargetDown alerts.
        kubeControllerManager: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeEtcd: { enabled: false },
        kubeProxy: { enabled: false },
        prometheus: {
          prometheusSpec: {
            retention,
            retentionSize: `${Math.floor(storageGib * 1024 * 0.85)}MB`,
            // Pick up the monitors and rules of every chart in the cluster, not just this release's.
            ruleSelectorNilUsesHelmValues: false,
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            probeSelectorNilUsesHelmValues: false,
            storageSpec: {
              volumeClaimTemplate: {
                spec: {
                  storageClassName: DEFAULT_STORAGE_CLASS,
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: `${storageGib}Gi` } },
                },
              },
            },
          },
        },
        grafana: {
          enabled: true,
          admin: { existingSecret: this.grafanaAdmin.secretName, userKey: this.grafanaAdmin.userKey, passwordKey: this.grafanaAdmin.passwordKey },
          sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' } },
        },
        ...alerting,
      }, options.prometheusStackValues ?? {}),
    });
    this.prometheusStack.node.addDependency(this.namespace);

    this.blackboxExporter = new eks.HelmChart(this, 'BlackboxExporter', {
      cluster: props.cluster,
      repository: PROMETHEUS_COMMUNITY,
      chart: 'prometheus-blackbox-exporter',
      version: options.blackboxExporterChartVersion ?? '11.18.0',
      release: 'blackbox-exporter',
      namespace: Monitoring.NAMESPACE,
      createNamespace: false,
      wait: true,
      timeout: Duration.minutes(5),
      values: {
        config: {
          modules: {
            http_2xx: {
              prober: 'http',
              timeout: '5s',
              http: { valid_http_versions: ['HTTP/1.1', 'HTTP/2.0'], follow_redirects: true, preferred_ip_protocol: 'ip4' },
            },
          },
        },
      },
    });
    this.blackboxExporter.node.addDependency(this.namespace);
  }
}

/** Helm's own merge rule: objects merge key by key, anything else (lists included) is replaced. */
function deepMerge(base: Record<string, any>, override: Record<string, any>): Record<string, any> {
  const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const merged: Record<string, any> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = isObject(value) && isObject(base[key]) ? deepMerge(base[key], value) : value;
  }
  return merged;
}

/** Prometheus' `--storage.tsdb.retention.time` value, e.g. `10d` or `36h`. */
function prometheusRetention(retention: Duration): string {
  const hours = retention.toHours({ integral: false });
  if (!Number.isInteger(hours) || hours < 2) {
    throw new Error(`'monitoring.retention' must be a whole number of hours, at least 2, got ${retention.toHumanString()}`);
  }
  return hours % 24 === 0 ? `${hours / 24}d` : `${hours}h`;
}

/** The Prometheus volume size in GiB. */
function storageGibibytes(size: Size): number {
  const gib = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(gib) || gib < 1) {
    throw new Error(`'monitoring.storageSize' must be a whole number of GiB, at least 1, got ${gib} GiB`);
  }
  return gib;
}
