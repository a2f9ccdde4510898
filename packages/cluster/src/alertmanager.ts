/**
 * The Alertmanager configuration the monitoring stack gets when the cluster has `notifications`:
 * routing by severity, grouping, inhibition and the receivers. It holds no credential: the chat
 * webhook URL is a file Alertmanager reads from a mounted Kubernetes Secret.
 */

/** The service account of Alertmanager (kube-prometheus-stack names it after the release). */
export const ALERTMANAGER_SERVICE_ACCOUNT = 'kube-prometheus-stack-alertmanager';

/** The Kubernetes Secret, in the `monitoring` namespace, that holds the chat webhook URL. */
export const CHAT_WEBHOOK_SECRET = 'alertmanager-chat-webhook';

/** The key of the URL in that Secret. */
export const CHAT_WEBHOOK_KEY = 'url';

/** Where the Prometheus Operator mounts the Secrets listed in `alertmanagerSpec.secrets`. */
export const CHAT_WEBHOOK_FILE = `/etc/alertmanager/secrets/${CHAT_WEBHOOK_SECRET}/${CHAT_WEBHOOK_KEY}`;

/** The receivers: `page` (the SNS topic, plus the chat), `ticket` (the chat, else the topic), `null` (nobody). */
export const RECEIVERS = { page: 'page', ticket: 'ticket', none: 'null' } as const;

/** What the configuration needs to know. */
export interface AlertmanagerTargets {
  /** ARN of the SNS topic. */
  readonly topicArn: string;
  /** Region of the topic, for Alertmanager's SigV4 signing. */
  readonly region: string;
  /** Present when a chat webhook is configured. */
  readonly chat?: { readonly channel?: string };
}

/** Chat message: one block per alert with its summary, description and runbook. */
const CHAT_TEXT = [
  '{{ range .Alerts }}*{{ .Labels.severity | toUpper }}* {{ .Annotations.summary }}',
  '{{ .Annotations.description }}',
  '{{ if .Annotations.runbook_url }}Runbook: {{ .Annotations.runbook_url }}{{ end }}',
  '{{ end }}',
].join('\n');

/**
 * The Alertmanager configuration (`alertmanager.config` of kube-prometheus-stack). Every key the
 * chart's default configuration has is set, so Helm's merge with the chart defaults adds nothing.
 *
 * - Routing: `severity="critical"` pages (SNS topic, and the chat), `severity="warning"` and anything
 *   without a known severity opens a ticket (the chat, or the topic without one); `info` and `none`
 *   (kube-prometheus-stack's `Watchdog` heartbeat and `InfoInhibitor`) reach nobody.
 * - Grouping: one notification per alert name, namespace and component.
 * - Inhibition: while a critical alert fires, the warnings of the same namespace and `component`
 *   (`minio/<name>`, `s3www/<name>`) are held back, and the chart's rule for same-named alerts stays.
 */
export function alertmanagerConfig(targets: AlertmanagerTargets): Record<string, unknown> {
  const sns = {
    topic_arn: targets.topicArn,
    sigv4: { region: targets.region },
    send_resolved: true,
    // Lets subscribers filter with an SNS filter policy, e.g. a pager that only takes critical alerts.
    attributes: { severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}none{{ end }}' },
  };
  const chat = targets.chat && {
    api_url_file: CHAT_WEBHOOK_FILE,
    ...(targets.chat.channel ? { channel: targets.chat.channel } : {}),
    send_resolved: true,
    title: '{{ template "slack.default.title" . }}',
    text: CHAT_TEXT,
  };
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: RECEIVERS.ticket,
      group_by: ['alertname', 'namespace', 'component'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '12h',
      routes: [
        { receiver: RECEIVERS.none, matchers: ['alertname =~ "Watchdog|InfoInhibitor"'] },
        { receiver: RECEIVERS.none, matchers: ['severity =~ "info|none"'] },
        { receiver: RECEIVERS.page, matchers: ['severity = "critical"'], repeat_interval: '4h' },
        { receiver: RECEIVERS.ticket, matchers: ['severity = "warning"'] },
      ],
    },
    inhibit_rules: [
      { source_matchers: ['severity = "critical"', 'component =~ ".+"'], target_matchers: ['severity = "warning"'], equal: ['namespace', 'component'] },
      { source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ['namespace', 'alertname'] },
      { source_matchers: ['severity = "warning"'], target_matchers: ['severity = "info"'], equal: ['namespace', 'alertname'] },
      { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: ['namespace'] },
    ],
    receivers: [
      { name: RECEIVERS.none },
      { name: RECEIVERS.page, sns_configs: [sns], ...(chat ? { slack_configs: [chat] } : {}) },
      { name: RECEIVERS.ticket, ...(chat ? { slack_configs: [chat] } : { sns_configs: [sns] }) },
    ],
    templates: ['/etc/alertmanager/config/*.tmpl'],
  };
}
